using CsCheck;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Tests;

public class ReportingCycleTests
{
    [Theory]
    [InlineData("2026", "2026")]
    [InlineData(" 2018 ", "2018")]
    [InlineData("FY 2026-27", "FY 2026-27")]
    [InlineData("FY2026-27", "FY 2026-27")]
    [InlineData("fy 2026–27", "FY 2026-27")]
    [InlineData("FY 2026/27", "FY 2026-27")]
    [InlineData("FY 2026-2027", "FY 2026-27")]
    [InlineData("FY 2099-00", "FY 2099-00")]
    public void A_year_or_a_fiscal_year_is_read_and_written_one_way(string text, string label)
    {
        Assert.True(ReportingCycle.TryParse(text, out var cycle, out var problem), problem);
        Assert.Equal(label, cycle.Label);
    }

    [Theory]
    [InlineData("", "Enter the cycle: a year such as 2026, or a fiscal year such as FY 2026-27.")]
    [InlineData("abc", "Enter a year such as 2026, or a fiscal year such as FY 2026-27.")]
    [InlineData("20267", "Enter a year such as 2026, or a fiscal year such as FY 2026-27.")]
    [InlineData("2026-Q3", "Enter a year such as 2026, or a fiscal year such as FY 2026-27.")]
    [InlineData("２０２６", "Enter a year such as 2026, or a fiscal year such as FY 2026-27.")]
    [InlineData("FY ٢٠٢٦-27", "Enter a year such as 2026, or a fiscal year such as FY 2026-27.")]
    [InlineData("1850", "The Medi-Cal palliative care benefit began in 2018: enter 2018 or later.")]
    [InlineData("FY 2017-18", "The Medi-Cal palliative care benefit began in 2018: enter 2018 or later.")]
    [InlineData("FY 2026-28", "A fiscal year runs from July into the next year: FY 2026-27.")]
    [InlineData("FY 2026-2026", "A fiscal year runs from July into the next year: FY 2026-27.")]
    public void Anything_else_is_refused_with_the_reason(string text, string message)
    {
        Assert.False(ReportingCycle.TryParse(text, out _, out var problem));
        Assert.Equal(message, problem);
        Assert.Equal(message, Assert.Throws<DomainException>(() => ReportingCycle.Parse(text)).Message);
    }

    [Fact]
    public void Cycles_sort_by_when_they_begin_not_by_their_text()
    {
        string[] labels = ["FY 2026-27", "2025", "legacy", "2026", "FY 2025-26", "2027"];

        var sorted = labels.Order(ReportingCycle.LabelOrder).ToList();

        Assert.Equal(["legacy", "2025", "FY 2025-26", "2026", "FY 2026-27", "2027"], sorted);
    }

    [Fact]
    public void A_fiscal_year_runs_from_july_to_june()
    {
        var cycle = ReportingCycle.Parse("FY 2026-27");

        Assert.Equal((new DateOnly(2026, 7, 1), new DateOnly(2027, 6, 30)), (cycle.Starts, cycle.Ends));
    }

    [Fact]
    public void At_most_next_years_cycle_can_be_started()
    {
        var today = new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc);

        Assert.Null(ReportingCycle.Parse("2027").TooFarAhead(today));
        Assert.Null(ReportingCycle.Parse("FY 2027-28").TooFarAhead(today));
        Assert.Equal("A cycle can be started up to a year ahead: 2027 or FY 2027-28 at the latest.", ReportingCycle.Parse("2028").TooFarAhead(today));
    }

    private static readonly Gen<ReportingCycle> Cycles =
        Gen.Select(Gen.Int[ReportingCycle.FirstYear, 2099], Gen.Bool, (year, fiscal) => fiscal ? ReportingCycle.Fiscal(year) : ReportingCycle.Calendar(year));

    [Fact]
    public void Every_label_reads_back_as_the_same_cycle() =>
        Cycles.Sample(cycle => ReportingCycle.Parse(cycle.Label) == cycle && ReportingCycle.Parse(cycle.Label.ToLowerInvariant().Replace(" ", "")) == cycle);

    [Fact]
    public void Order_follows_the_first_day_of_the_cycle() =>
        Gen.Select(Cycles, Cycles).Sample((a, b) => Math.Sign(a.CompareTo(b)) == Math.Sign(a.Starts.CompareTo(b.Starts))
            && Math.Sign(ReportingCycle.CompareLabels(a.Label, b.Label)) == Math.Sign(a.CompareTo(b)));
}
