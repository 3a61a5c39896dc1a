using System.Globalization;
using System.Text.RegularExpressions;
using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Assessments;

/// <summary>
/// The reporting year an assessment covers: a calendar year (<c>2026</c>) or a California state fiscal year, July to June
/// (<c>FY 2026-27</c>). Cycles order by when they begin, so <c>FY 2025-26</c> comes before <c>2026</c>, which comes before
/// <c>FY 2026-27</c>. <see cref="Label"/> is the one spelling stored and shown.
/// </summary>
public readonly partial record struct ReportingCycle : IComparable<ReportingCycle>
{
    /// <summary>The Medi-Cal palliative care benefit (SB 1004, APL 18-020) began in 2018: no program cycle is earlier.</summary>
    public const int FirstYear = 2018;

    public const string Example = "a year such as 2026, or a fiscal year such as FY 2026-27";

    private ReportingCycle(int year, bool isFiscal)
    {
        Year = year;
        IsFiscal = isFiscal;
    }

    /// <summary>The calendar year, or the year a fiscal year begins in.</summary>
    public int Year { get; }

    /// <summary>A state fiscal year (July to June) rather than a calendar year.</summary>
    public bool IsFiscal { get; }

    public string Label => IsFiscal
        ? string.Create(CultureInfo.InvariantCulture, $"FY {Year}-{(Year + 1) % 100:00}")
        : Year.ToString(CultureInfo.InvariantCulture);

    /// <summary>The first day of the cycle.</summary>
    public DateOnly Starts => new(Year, IsFiscal ? 7 : 1, 1);

    /// <summary>The last day of the cycle.</summary>
    public DateOnly Ends => Starts.AddYears(1).AddDays(-1);

    public static ReportingCycle Calendar(int year) => new(year, false);

    public static ReportingCycle Fiscal(int startYear) => new(startYear, true);

    /// <summary>
    /// Reads a cycle as people write it: <c>2026</c>, <c>FY 2026-27</c>, <c>FY2026-27</c>, <c>fy 2026–2027</c>. Returns
    /// false with the reason, in words for the field, when the text is not a cycle.
    /// </summary>
    public static bool TryParse(string? text, out ReportingCycle cycle, out string problem)
    {
        cycle = default;
        problem = string.Empty;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            problem = $"Enter the cycle: {Example}.";
            return false;
        }

        var calendar = CalendarPattern().Match(trimmed);
        var fiscal = FiscalPattern().Match(trimmed);
        if (!calendar.Success && !fiscal.Success)
        {
            problem = $"Enter {Example}.";
            return false;
        }

        var year = int.Parse(calendar.Success ? calendar.Groups["year"].Value : fiscal.Groups["start"].Value, CultureInfo.InvariantCulture);
        if (year < FirstYear)
        {
            problem = $"The Medi-Cal palliative care benefit began in {FirstYear}: enter {FirstYear} or later.";
            return false;
        }

        if (fiscal.Success && !EndsTheYearAfter(year, fiscal.Groups["end"].Value))
        {
            problem = $"A fiscal year runs from July into the next year: FY {year}-{(year + 1) % 100:00}.";
            return false;
        }

        cycle = new ReportingCycle(year, fiscal.Success);
        return true;
    }

    /// <summary>Reads a cycle that must be valid (a stored or seeded one); a bad one is a rule broken.</summary>
    public static ReportingCycle Parse(string? text) =>
        TryParse(text, out var cycle, out var problem) ? cycle : throw new DomainException(problem);

    /// <summary>The cycle a stored label names, or null for a label written before cycles were checked (it sorts first).</summary>
    public static ReportingCycle? Of(string? label) => TryParse(label, out var cycle, out _) ? cycle : null;

    /// <summary>Why the cycle cannot be started on <paramref name="today"/>, or null: at most next year's cycle may be started.</summary>
    public string? TooFarAhead(DateTime today)
    {
        var latest = today.Year + 1;
        return Year > latest
            ? $"A cycle can be started up to a year ahead: {latest} or FY {latest}-{(latest + 1) % 100:00} at the latest."
            : null;
    }

    /// <summary>Orders stored labels by time; a label that is not a cycle sorts before every cycle, then by its text.</summary>
    public static int CompareLabels(string? left, string? right)
    {
        var (a, b) = (Of(left), Of(right));
        return (a, b) switch
        {
            ({ } x, { } y) => x.CompareTo(y),
            (null, null) => string.CompareOrdinal(left, right),
            (null, _) => -1,
            _ => 1,
        };
    }

    /// <summary>Sorts stored labels by time (see <see cref="CompareLabels"/>).</summary>
    public static IComparer<string> LabelOrder { get; } = Comparer<string>.Create(CompareLabels);

    public int CompareTo(ReportingCycle other) => MonthIndex.CompareTo(other.MonthIndex);

    public static bool operator <(ReportingCycle left, ReportingCycle right) => left.CompareTo(right) < 0;

    public static bool operator >(ReportingCycle left, ReportingCycle right) => left.CompareTo(right) > 0;

    public static bool operator <=(ReportingCycle left, ReportingCycle right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ReportingCycle left, ReportingCycle right) => left.CompareTo(right) >= 0;

    public override string ToString() => Label;

    /// <summary>Months from year 0 to the first month of the cycle: the order of cycles.</summary>
    private int MonthIndex => (Year * 12) + (IsFiscal ? 6 : 0);

    private static bool EndsTheYearAfter(int start, string end) =>
        end.Length == 2
            ? int.Parse(end, CultureInfo.InvariantCulture) == (start + 1) % 100
            : int.Parse(end, CultureInfo.InvariantCulture) == start + 1;

    [GeneratedRegex(@"^(?<year>[0-9]{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex CalendarPattern();

    // "FY 2026-27", "FY2026-27", "FY 2026–27" (en dash), "FY 2026/27", "FY 2026-2027"; any case.
    [GeneratedRegex(@"^FY\s*(?<start>[0-9]{4})\s*[-–/]\s*(?<end>[0-9]{2}|[0-9]{4})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FiscalPattern();
}
