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
/// The reviewers' statewide page with 4 and with 60 submitted plans: the database commands of one
/// <see cref="StatewideService.LatestSubmittedAsync"/> call (its projections should not grow with the plans), and the
/// median time of the call and of GET /statewide. Two portals on copies of the empty template, one per size, both
/// running, timed in alternation so that both see the same state of the machine and of the JIT.
/// </summary>
internal sealed partial class StatewideScenario : IScenario
{
    private const int FewPlans = 4;
    private const int ManyPlans = 60;
    private const int WarmUpCalls = 3;
    private const int TimedCalls = 25;

    public string Name => "statewide";

    public string Description => "Statewide page for 4 vs 60 submitted plans: database commands and median time of StatewideService.LatestSubmittedAsync and GET /statewide";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        await using var few = await PlansPortal.StartAsync(FewPlans, cancellationToken);
        await using var many = await PlansPortal.StartAsync(ManyPlans, cancellationToken);
        PlansPortal[] both = [few, many];
        PlansPortal[] reversed = [many, few];

        // Commands are counted after the warm-up calls: a first call's one-off reads stay out of the figure.
        foreach (var portal in both)
        {
            for (var i = 0; i < WarmUpCalls; i++)
            {
                await portal.CallServiceAsync(cancellationToken);
                await portal.GetPageAsync(cancellationToken);
            }

            await portal.CountCommandsAsync(cancellationToken);
        }

        for (var i = 0; i < TimedCalls; i++)
        {
            // Alternate which size goes first, so that neither always follows the other.
            foreach (var portal in i % 2 == 0 ? both : reversed)
            {
                portal.ServiceTimes.Add(await portal.CallServiceAsync(cancellationToken));
            }
        }

        for (var i = 0; i < TimedCalls; i++)
        {
            foreach (var portal in i % 2 == 0 ? both : reversed)
            {
                portal.PageTimes.Add(await portal.GetPageAsync(cancellationToken));
            }
        }

        foreach (var portal in both)
        {
            Progress($"{portal.Plans} plans: {portal.Commands} commands, service median {Milliseconds(Median(portal.SortedServiceTimes))}, " +
                     $"GET /statewide median {Milliseconds(Median(portal.SortedPageTimes))} ({portal.PageLength:N0} characters)");
        }

        var sameCommands = few.Commands == many.Commands;
        var commandNotes = sameCommands
            ? Invariant($"CommandCounter around one call (the viewer's resolution included); the same number for {FewPlans} and {ManyPlans} plans: the reads are projections, not one query per plan")
            : Invariant($"CommandCounter around one call; NOT the same for {FewPlans} and {ManyPlans} plans ({few.Commands} vs {many.Commands}): the page's reads grow with the plans");
        var timing = Invariant($"median of {TimedCalls} calls after {WarmUpCalls} warm-up calls, alternating with the other portal");
        return
        [
            new(Name, Invariant($"Database commands per call, {FewPlans} plans"), Invariant($"{few.Commands}"), commandNotes),
            new(Name, Invariant($"Database commands per call, {ManyPlans} plans"), Invariant($"{many.Commands}"), sameCommands ? "equal to the 4-plan figure" : "differs from the 4-plan figure"),
            new(Name, Invariant($"LatestSubmittedAsync, median, {FewPlans} plans"), Milliseconds(Median(few.SortedServiceTimes)),
                Invariant($"{timing}; min {Milliseconds(few.SortedServiceTimes[0])}, max {Milliseconds(few.SortedServiceTimes[^1])}; ") +
                "each portal on a copy of the empty template with that many plans (SubmittedPlansAsync: every criterion met, submitted) and a statewide reviewer"),
            new(Name, Invariant($"LatestSubmittedAsync, median, {ManyPlans} plans"), Milliseconds(Median(many.SortedServiceTimes)),
                Invariant($"min {Milliseconds(many.SortedServiceTimes[0])}, max {Milliseconds(many.SortedServiceTimes[^1])}")),
            new(Name, Invariant($"LatestSubmittedAsync, {ManyPlans} / {FewPlans} plans"), Ratio(Median(many.SortedServiceTimes), Median(few.SortedServiceTimes)), "ratio of the medians"),
            new(Name, Invariant($"GET /statewide, median, {FewPlans} plans"), Milliseconds(Median(few.SortedPageTimes)),
                Invariant($"{timing}; signed in as the reviewer through the login form, the prerendered page with one row per plan ({few.PageLength:N0} characters); ") +
                Invariant($"min {Milliseconds(few.SortedPageTimes[0])}, max {Milliseconds(few.SortedPageTimes[^1])}")),
            new(Name, Invariant($"GET /statewide, median, {ManyPlans} plans"), Milliseconds(Median(many.SortedPageTimes)),
                Invariant($"{many.PageLength:N0} characters; min {Milliseconds(many.SortedPageTimes[0])}, max {Milliseconds(many.SortedPageTimes[^1])}")),
            new(Name, Invariant($"GET /statewide, {ManyPlans} / {FewPlans} plans"), Ratio(Median(many.SortedPageTimes), Median(few.SortedPageTimes)), "ratio of the medians"),
        ];
    }

    private static void Progress(string line) => Console.Error.WriteLine($"  {line}");

    [GeneratedRegex("assessments/[0-9a-fA-F-]{36}/report")]
    private static partial Regex ReportLink();

    /// <summary>A portal on a copy of the empty template with <see cref="Plans"/> submitted plans and a statewide reviewer.</summary>
    private sealed class PlansPortal : IAsyncDisposable
    {
        private readonly InProcessPortal _portal;
        private readonly IServiceScope _scope;
        private readonly StatewideService _statewide;
        private readonly TestUser _reviewer;
        private readonly PortalUser _browser;

        private PlansPortal(InProcessPortal portal, IServiceScope scope, TestUser reviewer, PortalUser browser, int plans)
        {
            _portal = portal;
            _scope = scope;
            _statewide = scope.ServiceProvider.GetRequiredService<StatewideService>();
            _reviewer = reviewer;
            _browser = browser;
            Plans = plans;
        }

        public int Plans { get; }

        public int Commands { get; private set; }

        public int PageLength { get; private set; }

        public List<double> ServiceTimes { get; } = [];

        public List<double> PageTimes { get; } = [];

        public IReadOnlyList<double> SortedServiceTimes => [.. ServiceTimes.Order()];

        public IReadOnlyList<double> SortedPageTimes => [.. PageTimes.Order()];

        public static async Task<PlansPortal> StartAsync(int plans, CancellationToken cancellationToken)
        {
            Progress($"{plans} plans: starting a portal in-process on a copy of the empty template");
            var portal = await InProcessPortal.StartOnEmptyTemplateAsync();
            IServiceScope? scope = null;
            try
            {
                var reviewer = await portal.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer, withPassword: true);
                await portal.Data.SubmittedPlansAsync(plans);
                var browser = await PortalUser.LogInAsync(portal.BaseUrl, reviewer.Email, TestUser.Password, cancellationToken);
                scope = portal.Services.CreateScope();
                return new PlansPortal(portal, scope, reviewer, browser, plans);
            }
            catch
            {
                scope?.Dispose();
                await portal.DisposeAsync();
                throw;
            }
        }

        /// <summary>Counts the database commands of one call (this async flow only).</summary>
        public async Task CountCommandsAsync(CancellationToken cancellationToken)
        {
            using var counter = CommandCounter.Start();
            await CallServiceAsync(cancellationToken);
            Commands = counter.Count;
        }

        /// <summary>One call as the page makes it; answers its time in ms. Throws unless it answers one row per plan.</summary>
        public async Task<double> CallServiceAsync(CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var outcome = await _statewide.LatestSubmittedAsync(_reviewer.Principal, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!outcome.Succeeded || outcome.Value.Count != Plans)
            {
                throw new InvalidOperationException(
                    $"LatestSubmittedAsync answered {(outcome.Succeeded ? $"{outcome.Value.Count} rows" : outcome.Message)} for {Plans} submitted plans.");
            }

            return elapsed;
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
    }
}
