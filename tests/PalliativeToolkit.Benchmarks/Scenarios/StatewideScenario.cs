using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Benchmarks.Portal;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Statewide;
using static PalliativeToolkit.Benchmarks.Statistics;

namespace PalliativeToolkit.Benchmarks.Scenarios;

/// <summary>
/// The reviewers' statewide dashboard, heatmap and exports with 4 and with 60 plans that each submitted three cycles:
/// the database commands of one call of each (they should not grow with the plans), and the median time of each call
/// and of GET /statewide; then each export's peak managed memory with 60 and with 600 plans (it should stay flat: the
/// rows stream). The portals run on copies of the empty template, side by side in this process; the 4- and 60-plan
/// portals are timed in alternation so that both see the same state of the machine and of the JIT.
/// </summary>
internal sealed partial class StatewideScenario : IScenario
{
    private const int FewPlans = 4;
    private const int ManyPlans = 60;
    private const int MostPlans = 600;
    private const int WarmUpCalls = 3;
    private const int TimedCalls = 25;
    private const int MemoryRuns = 5;
    private static readonly string[] Cycles = ["FY 2023-24", "FY 2024-25", "FY 2025-26"];

    public string Name => "statewide";

    public string Description =>
        "Statewide dashboard, heatmap and exports for 4 vs 60 plans × 3 cycles: database commands and median times; each export's peak managed memory for 60 vs 600 plans";

    /// <summary>What is measured: the dashboard's calls, the heatmap, and each export (a CSV per view, the workbook).</summary>
    private static IReadOnlyList<Measure> Measures { get; } =
    [
        new("LatestSubmittedAsync", Export: false, (p, _, ct) => p.LatestAsync(ct)),
        new("StandingAsync", Export: false, (p, _, ct) => p.StandingAsync(ct)),
        new("HeatmapAsync", Export: false, (p, _, ct) => p.HeatmapAsync(ct)),
        .. ExportViews.All.Select(v => new Measure($"export {v.Slug()}.csv", Export: true, (p, s, ct) => p.CsvAsync(v, s, ct))),
        new("export workbook .xlsx", Export: true, (p, s, ct) => p.WorkbookAsync(s, ct)),
    ];

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var rows = new List<ResultRow>();
        await using (var few = await PlansPortal.StartAsync(FewPlans, cancellationToken))
        await using (var many = await PlansPortal.StartAsync(ManyPlans, cancellationToken))
        {
            rows.AddRange(await TimeAsync(few, many, cancellationToken));
        }

        rows.AddRange(await MeasureMemoryAsync(cancellationToken));
        return rows;
    }

    /// <summary>Commands and median times of every measure, and of GET /statewide, for 4 and 60 plans.</summary>
    private async Task<IReadOnlyList<ResultRow>> TimeAsync(PlansPortal few, PlansPortal many, CancellationToken cancellationToken)
    {
        PlansPortal[] both = [few, many];
        PlansPortal[] reversed = [many, few];
        var commands = new Dictionary<(PlansPortal, string), int>();
        var times = new Dictionary<(PlansPortal, string), List<double>>();

        // Commands are counted after the warm-up calls: a first call's one-off reads stay out of the figure.
        foreach (var portal in both)
        {
            for (var i = 0; i < WarmUpCalls; i++)
            {
                await portal.GetPageAsync(cancellationToken);
                foreach (var measure in Measures)
                {
                    await measure.Call(portal, Stream.Null, cancellationToken);
                }
            }

            foreach (var measure in Measures)
            {
                using var counter = CommandCounter.Start();
                await measure.Call(portal, Stream.Null, cancellationToken);
                commands[(portal, measure.Name)] = counter.Count;
                times[(portal, measure.Name)] = [];
            }
        }

        foreach (var measure in Measures)
        {
            for (var i = 0; i < TimedCalls; i++)
            {
                // Alternate which size goes first, so that neither always follows the other.
                foreach (var portal in i % 2 == 0 ? both : reversed)
                {
                    var start = Stopwatch.GetTimestamp();
                    await measure.Call(portal, Stream.Null, cancellationToken);
                    times[(portal, measure.Name)].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }

        for (var i = 0; i < TimedCalls; i++)
        {
            foreach (var portal in i % 2 == 0 ? both : reversed)
            {
                portal.PageTimes.Add(await portal.GetPageAsync(cancellationToken));
            }
        }

        var rows = new List<ResultRow>();
        var timing = Invariant($"median of {TimedCalls} calls after {WarmUpCalls} warm-up calls, the two portals alternating");
        foreach (var measure in Measures)
        {
            var (fewCommands, manyCommands) = (commands[(few, measure.Name)], commands[(many, measure.Name)]);
            IReadOnlyList<double> fewSorted = [.. times[(few, measure.Name)].Order()];
            IReadOnlyList<double> manyTimes = [.. times[(many, measure.Name)].Order()];
            Progress($"{measure.Name}: {fewCommands} / {manyCommands} commands; median {Milliseconds(Median(fewSorted))} / {Milliseconds(Median(manyTimes))}");
            rows.Add(new(Name, Invariant($"{measure.Name}: database commands, {FewPlans} / {ManyPlans} plans"), Invariant($"{fewCommands} / {manyCommands}"),
                fewCommands == manyCommands
                    ? "equal: the reads are projections streamed or listed, not a query per plan (the viewer's resolution included)"
                    : "NOT equal: the reads grow with the plans"));
            rows.Add(new(Name, Invariant($"{measure.Name}: median, {FewPlans} / {ManyPlans} plans"),
                Invariant($"{Milliseconds(Median(fewSorted))} / {Milliseconds(Median(manyTimes))}"),
                Invariant($"{Ratio(Median(manyTimes), Median(fewSorted))}; {timing}") + (measure.Export ? "; written to Stream.Null" : string.Empty)));
        }

        rows.Add(new(Name, Invariant($"GET /statewide, median, {FewPlans} / {ManyPlans} plans"),
            Invariant($"{Milliseconds(Median(few.SortedPageTimes))} / {Milliseconds(Median(many.SortedPageTimes))}"),
            Invariant($"{Ratio(Median(many.SortedPageTimes), Median(few.SortedPageTimes))}; {timing}; signed in as the reviewer through the login form, the prerendered page ") +
            Invariant($"with one row per plan ({few.PageLength:N0} and {many.PageLength:N0} characters)")));
        return rows;
    }

    /// <summary>
    /// Each export's peak managed memory with 60 and with 600 plans: the highest live managed heap seen while it runs, less
    /// the live heap just before it (see <see cref="PeakMemory"/>).
    /// </summary>
    private async Task<IReadOnlyList<ResultRow>> MeasureMemoryAsync(CancellationToken cancellationToken)
    {
        await using var many = await PlansPortal.StartAsync(ManyPlans, cancellationToken);
        await using var most = await PlansPortal.StartAsync(MostPlans, cancellationToken);
        var rows = new List<ResultRow>();
        // The heatmap page's call lists every row: the control that shows what growing with the plans looks like here.
        foreach (var measure in Measures.Where(m => m.Export || m.Name == "HeatmapAsync"))
        {
            var figures = new List<(long Peak, long Bytes, int Samples)>();
            foreach (var portal in new[] { many, most })
            {
                await measure.Call(portal, Stream.Null, cancellationToken); // warm: the first call's one-off work (compiling the query) is not the export's
                portal.LastHeatmap = null;

                // The median of a few runs: a run that first fills a cache of the process (a one-off) does not decide the figure.
                var peaks = new List<double>();
                var (bytes, samples) = (0L, 0);
                for (var run = 0; run < MemoryRuns; run++)
                {
                    var peak = PeakMemory.Start();
                    var destination = new SamplingStream(peak);
                    await measure.Call(portal, destination, cancellationToken);
                    if (!measure.Export)
                    {
                        // The control's answer is still held (as the page holds it while it renders): sample it, then let it go.
                        peak.Sample();
                        portal.LastHeatmap = null;
                    }

                    peaks.Add(peak.Peak);
                    (bytes, samples) = (destination.Bytes, samples + peak.Samples);
                }

                figures.Add(((long)Median([.. peaks.Order()]), bytes, samples));
            }

            var (sixty, sixHundred) = (figures[0], figures[1]);
            Progress($"{measure.Name}: peak {Kilobytes(sixty.Peak)} / {Kilobytes(sixHundred.Peak)} for files of {Kilobytes(sixty.Bytes)} / {Kilobytes(sixHundred.Bytes)}");
            rows.Add(new(Name, Invariant($"{measure.Name}: peak managed memory, {ManyPlans} / {MostPlans} plans"),
                Invariant($"{Kilobytes(sixty.Peak)} / {Kilobytes(sixHundred.Peak)}"),
                (measure.Export ? Invariant($"the file: {Kilobytes(sixty.Bytes)} / {Kilobytes(sixHundred.Bytes)}; ") : "the control: the page's call, which lists every row, sampled once it has answered (its rows still held); ") + Invariant($"the median of {MemoryRuns} runs, each sampling the live heap (a full blocking GC each time) when the file is opened and at each write to it ({sixty.Samples} / {sixHundred.Samples} samples), less the live heap before")));
        }

        return rows;
    }

    private static string Kilobytes(long bytes) => bytes < 10 * 1024 ? Invariant($"{bytes / 1024.0:N1} KB") : Invariant($"{bytes / 1024.0:N0} KB");

    private static void Progress(string line) => Console.Error.WriteLine($"  {line}");

    [GeneratedRegex("assessments/[0-9a-fA-F-]{36}/report")]
    private static partial Regex ReportLink();

    /// <summary>A call of the portal: answers the rows it produced (a check that it read what was seeded).</summary>
    private sealed record Measure(string Name, bool Export, Func<PlansPortal, Stream, CancellationToken, Task<int>> Call);

    /// <summary>
    /// The high-water mark of the live managed heap during a run, sampled on the export's own flow at fixed points: when it
    /// opens the file (after its short queries) and at each write to the destination, which the writers make whenever
    /// their buffer is nearly full and at the end (so a row kept instead of written would still be there). Each sample is a
    /// full blocking collection, then <see cref="GC.GetTotalMemory(bool)"/>: what is still reachable, not garbage. The
    /// figure is the highest sample less the live heap before the run. Sampling from another thread instead measured the
    /// export's own allocations in flight on the other core as well, a megabyte of noise that hid the difference.
    /// </summary>
    private sealed class PeakMemory
    {
        private readonly long _baseline;
        private long _peak;

        private PeakMemory()
        {
            _baseline = Live();
            _peak = _baseline;
        }

        public int Samples { get; private set; }

        public static PeakMemory Start() => new();

        public void Sample()
        {
            Samples++;
            _peak = Math.Max(_peak, Live());
        }

        /// <summary>The peak above the baseline, in bytes.</summary>
        public long Peak => Math.Max(0, _peak - _baseline);

        private static long Live()
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            return GC.GetTotalMemory(forceFullCollection: false);
        }
    }

    /// <summary>A destination that keeps nothing: it counts the bytes and samples the live heap at each write.</summary>
    private sealed class SamplingStream(PeakMemory peak) : Stream
    {
        public long Bytes { get; private set; }

        /// <summary>The export opens its file: its short queries are done and its rows are about to stream.</summary>
        public SamplingStream Opened()
        {
            peak.Sample();
            return this;
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Bytes;

        public override long Position { get => Bytes; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("A response body refuses synchronous writes; so does this.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Bytes += buffer.Length;
            peak.Sample();
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>A portal on a copy of the empty template with <see cref="Plans"/> plans, each submitted in three cycles, and a statewide reviewer.</summary>
    private sealed class PlansPortal : IAsyncDisposable
    {
        private static readonly ExportQuery Latest = new(Cycles[^1]);
        private readonly ExportQuery _query;
        private readonly InProcessPortal _portal;
        private readonly IServiceScope _scope;
        private readonly StatewideService _statewide;
        private readonly StatewideExports _exports;
        private readonly TestUser _reviewer;
        private readonly PortalUser _browser;

        private PlansPortal(InProcessPortal portal, IServiceScope scope, TestUser reviewer, PortalUser browser, IReadOnlyList<Guid> plans)
        {
            _portal = portal;
            _scope = scope;
            _statewide = scope.ServiceProvider.GetRequiredService<StatewideService>();
            _exports = scope.ServiceProvider.GetRequiredService<StatewideExports>();
            _reviewer = reviewer;
            _browser = browser;
            Plans = plans.Count;
            // The exports' address: the latest cycle, and every plan compared (the compare view and the workbook's sheet of it).
            _query = Latest with { Plans = plans };
        }

        public int Plans { get; }

        public int PageLength { get; private set; }

        public List<double> PageTimes { get; } = [];

        public IReadOnlyList<double> SortedPageTimes => [.. PageTimes.Order()];

        public static async Task<PlansPortal> StartAsync(int plans, CancellationToken cancellationToken)
        {
            Progress($"{plans} plans × {Cycles.Length} cycles: starting a portal in-process on a copy of the empty template");
            var portal = await InProcessPortal.StartOnEmptyTemplateAsync();
            IServiceScope? scope = null;
            try
            {
                var reviewer = await portal.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer, withPassword: true);
                var seeding = Stopwatch.StartNew();
                var seeded = await portal.Data.SubmittedPlansAsync(plans, Cycles);
                Progress($"{plans} plans × {Cycles.Length} cycles seeded in {seeding.Elapsed.TotalSeconds:0.0} s");
                var browser = await PortalUser.LogInAsync(portal.BaseUrl, reviewer.Email, TestUser.Password, cancellationToken);
                scope = portal.Services.CreateScope();
                return new PlansPortal(portal, scope, reviewer, browser, [.. seeded.Select(p => p.Id)]);
            }
            catch
            {
                scope?.Dispose();
                await portal.DisposeAsync();
                throw;
            }
        }

        public async Task<int> LatestAsync(CancellationToken cancellationToken) =>
            Check("LatestSubmittedAsync rows", (await _statewide.LatestSubmittedAsync(_reviewer.Principal, cancellationToken)).Value.Count, Plans);

        public async Task<int> StandingAsync(CancellationToken cancellationToken) =>
            Check("StandingAsync plans submitted", (await _statewide.StandingAsync(_reviewer.Principal, Latest.Cycle, cancellationToken)).Value.Submitted, Plans);

        /// <summary>The last heatmap answered, held as a page holds it while it renders (the memory scenario's control).</summary>
        public Heatmap? LastHeatmap { get; set; }

        public async Task<int> HeatmapAsync(CancellationToken cancellationToken)
        {
            LastHeatmap = (await _statewide.HeatmapAsync(_reviewer.Principal, Latest.Heatmap, cancellationToken)).Value;
            return Check("HeatmapAsync rows", LastHeatmap.Rows.Count, Plans);
        }

        public async Task<int> CsvAsync(ExportView view, Stream destination, CancellationToken cancellationToken)
        {
            var outcome = await _exports.CsvAsync(_reviewer.Principal, view, _query, _ => Task.FromResult(Open(destination)), cancellationToken);
            var rows = outcome.Succeeded ? outcome.Value.Rows : throw new InvalidOperationException($"{view.Slug()}: {outcome.Message}");
            return view is ExportView.Heatmap or ExportView.Submissions or ExportView.PartnerPlans ? Check($"{view.Slug()} rows", rows, Plans) : rows;
        }

        public async Task<int> WorkbookAsync(Stream destination, CancellationToken cancellationToken)
        {
            var outcome = await _exports.WorkbookAsync(_reviewer.Principal, _query, _ => Task.FromResult(Open(destination)), cancellationToken);
            return outcome.Succeeded ? outcome.Value.Rows : throw new InvalidOperationException($"workbook: {outcome.Message}");
        }

        /// <summary>GET /statewide as the signed-in reviewer; answers its time in ms. Throws unless the page links every plan's report.</summary>
        public async Task<double> GetPageAsync(CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var html = await _browser.GetPageAsync("statewide", cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var rows = ReportLink().Matches(html).Select(m => m.Value).Distinct(StringComparer.Ordinal).Count();
            if (rows != Plans)
            {
                throw new InvalidOperationException($"GET {_portal.BaseUrl}statewide shows {rows} plans' report links for {Plans} submitted plans.");
            }

            PageLength = html.Length;
            return elapsed;
        }

        public async ValueTask DisposeAsync()
        {
            _browser.Dispose();
            _scope.Dispose();
            await _portal.DisposeAsync();
        }

        private static Stream Open(Stream destination) => destination is SamplingStream sampling ? sampling.Opened() : destination;

        private int Check(string what, int value, int expected) =>
            value == expected ? value : throw new InvalidOperationException($"{what}: {value} for {Plans} plans, {expected} expected.");
    }
}
