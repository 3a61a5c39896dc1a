using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Web.Features.Statewide;

public sealed record SectionProgress(string Code, Progress Progress);

public sealed record StatewideRow(
    Guid AssessmentId, string OrganizationName, PlanModel PlanModel, IReadOnlyList<string> CountyFips, string Counties, string Cycle, int Round, Decision Decision, DateTime SubmittedAt,
    Progress Overall, IReadOnlyList<SectionProgress> Sections);

/// <summary>A plan in the partner network: its counties, its active providers, and its counties with and without an active partner.</summary>
public sealed record NetworkPlan(Guid Id, string Name, IReadOnlyList<string> CountyFips, IReadOnlyList<string> ActiveProviders, IReadOnlyList<string> CoveredFips, IReadOnlyList<string> GapFips);

/// <summary>A provider in the partner network: the plans it actively serves, and those it is in another stage with.</summary>
public sealed record NetworkProvider(Guid Id, string Name, IReadOnlyList<string> ActivePlans, IReadOnlyList<string> OtherPlans);

/// <summary>The partner network statewide; <see cref="ActivePartners"/> counts, per county, the active partnerships covering it.</summary>
public sealed record PartnerNetwork(IReadOnlyList<NetworkPlan> Plans, IReadOnlyList<NetworkProvider> Providers, IReadOnlyDictionary<string, int> ActivePartners);

/// <summary>A submitted joint section-E assessment: who, when, and on how many criteria the two sides' views differ.</summary>
public sealed record JointRow(Guid Id, string PlanName, string ProviderName, string Cycle, DateTime SubmittedAt, int Differences);

/// <summary>One section across the plans that submitted in a cycle: how many have every element at minimum, and at enhancement.</summary>
public sealed record SectionStanding(string Code, string Title, int Plans, int AtMinimum, int AtEnhancement)
{
    public double MinimumShare => Plans == 0 ? 0 : (double)AtMinimum / Plans;
    public double EnhancementShare => Plans == 0 ? 0 : (double)AtEnhancement / Plans;
}

/// <summary>Where the state stands in a cycle: how many plans there are, how many submitted, and each section's standing.</summary>
public sealed record StateStanding(string? Cycle, IReadOnlyList<string> Cycles, int Plans, int Submitted, IReadOnlyList<SectionStanding> Sections);

/// <summary>An element as a column of the heatmap.</summary>
public sealed record HeatmapColumn(string SectionCode, string Code, string Title);

/// <summary>A plan as a row of the heatmap: its submitted round, where it serves, and each element's level.</summary>
public sealed record HeatmapRow(Guid OrganizationId, Guid AssessmentId, string Plan, PlanModel Model, IReadOnlyList<string> Regions, IReadOnlyList<string> CountyFips,
    IReadOnlyDictionary<string, Level> Levels)
{
    public int AtMinimum => Levels.Values.Count(l => l >= Level.MeetsMinimum);
}

/// <summary>Which plans the heatmap shows (of the cycle's submitted rounds) and how they are ordered.</summary>
public sealed record HeatmapQuery(string? Cycle = null, PlanModel? Model = null, string? Region = null, string? CountyFips = null, string? SortBy = null)
{
    /// <summary>Whether the row passes the filters: its plan model, a county in the region, the county.</summary>
    public bool Matches(HeatmapRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return (Model is null || row.Model == Model)
            && (string.IsNullOrWhiteSpace(Region) || row.Regions.Contains(Region))
            && (string.IsNullOrWhiteSpace(CountyFips) || row.CountyFips.Contains(CountyFips));
    }
}

/// <summary>Plans (rows) by elements (columns, grouped by section) for one cycle.</summary>
public sealed record Heatmap(string? Cycle, IReadOnlyList<string> Cycles, IReadOnlyList<HeatmapColumn> Columns, IReadOnlyList<HeatmapRow> Rows, IReadOnlyList<string> Counties);

/// <summary>A section of one plan from one cycle to the next: of its elements, how many were at minimum or above then and now.</summary>
public sealed record SectionTrend(string Code, int Elements, int AtMinimumBefore, int AtMinimumNow)
{
    public int Change => AtMinimumNow - AtMinimumBefore;
}

public sealed record PlanTrend(string Plan, Guid AssessmentId, IReadOnlyList<SectionTrend> Sections);

/// <summary>An element statewide: the share of plans at minimum or above in the previous cycle and in this one.</summary>
public sealed record ElementTrend(string SectionCode, string Code, string Title, double ShareBefore, double ShareNow)
{
    public double Change => ShareNow - ShareBefore;
}

/// <summary>From <see cref="Previous"/> to <see cref="Cycle"/>: each plan's sections, and each element statewide.</summary>
public sealed record Trends(string? Cycle, string? Previous, IReadOnlyList<string> Cycles, IReadOnlyList<PlanTrend> Plans, IReadOnlyList<ElementTrend> Elements)
{
    public IReadOnlyList<ElementTrend> ImprovedMost => Elements.Where(e => e.Change > 0).OrderByDescending(e => e.Change).ThenBy(e => e.Code, StringComparer.Ordinal).Take(5).ToList();

    public IReadOnlyList<ElementTrend> Lagging => Elements.OrderBy(e => e.ShareNow).ThenBy(e => e.Code, StringComparer.Ordinal).Take(5).ToList();
}

/// <summary>
/// Reviewers' view: every plan's latest submitted round, with its progress per section, computed with the guide's
/// scoring from the round's frozen answers. A fixed number of database commands, however many plans there are.
/// </summary>
/// <remarks>
/// Every reading of rounds (the table, where the state stands, the heatmap, trends, and the exports of each) has one
/// shape: a short query for the elements that head the columns, then one query that streams each round's answers
/// ordered by plan and round (<see cref="ReadRoundsAsync"/>), grouped into rounds as they arrive. The pages collect
/// the rounds into a list; the exports write each round out and forget it, so their memory does not grow with the plans.
/// </remarks>
public sealed class StatewideService(OperationRunner operations)
{
    internal const string OnlyReviewers = "Only statewide reviewers and administrators see every plan's submissions.";

    /// <summary>Every plan's latest submitted round.</summary>
    public Task<Outcome<IReadOnlyList<StatewideRow>>> LatestSubmittedAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<StatewideRow>>(principal, op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReviewers);
            return LatestAsync(op, OrganizationKind.ManagedCarePlan);
        }, cancellationToken);

    /// <summary>Every palliative care provider's latest submitted readiness round (section B).</summary>
    public Task<Outcome<IReadOnlyList<StatewideRow>>> LatestReadinessAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<StatewideRow>>(principal, op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReviewers);
            return LatestAsync(op, OrganizationKind.PalliativeCareProvider);
        }, cancellationToken);

    /// <summary>
    /// Where the state stands in <paramref name="cycle"/> (the latest cycle with a submission when null): of all plans, how
    /// many submitted a round for it, and per section how many of those have every element at minimum or above, and
    /// every element at enhancement, read from each plan's latest standing round of that cycle.
    /// </summary>
    public Task<Outcome<StateStanding>> StandingAsync(ClaimsPrincipal principal, string? cycle = null, CancellationToken cancellationToken = default) =>
        operations.RunAsync<StateStanding>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReviewers);
            var plans = await CountPlansAsync(op);
            var reading = await ReadCycleAsync(op, cycle, withPrevious: false);
            if (reading.Chosen is null)
            {
                return new StateStanding(null, reading.Cycles, plans, 0, []);
            }

            var tally = new StandingTally(reading);
            await foreach (var row in reading.RowsAsync(op.Cancellation))
            {
                tally.Add(row);
            }

            return new StateStanding(reading.Chosen, reading.Cycles, plans, tally.Rounds, tally.Sections);
        }, cancellationToken);

    /// <summary>
    /// The heatmap of a cycle (the latest with a submission when none is named): each plan's latest standing round of the
    /// cycle as a row, each element as a column, the cell its level; filtered by plan model, region and county, sorted by
    /// plan (default), by elements at minimum ("minimum"), or by one element's level (its code).
    /// </summary>
    public Task<Outcome<Heatmap>> HeatmapAsync(ClaimsPrincipal principal, HeatmapQuery query, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Heatmap>(principal, async op =>
        {
            ArgumentNullException.ThrowIfNull(query);
            op.Demand(Permission.ViewStatewide, OnlyReviewers);
            var reading = await ReadCycleAsync(op, query.Cycle, withPrevious: false);
            var rows = new List<HeatmapRow>();
            await foreach (var row in reading.RowsAsync(op.Cancellation))
            {
                rows.Add(row);
            }

            var counties = rows.SelectMany(r => r.CountyFips).Distinct().OrderBy(f => CaliforniaCounties.ByFips(f)?.Name, StringComparer.Ordinal).ToList();
            IEnumerable<HeatmapRow> shown = rows.Where(query.Matches);
            shown = query.SortBy switch
            {
                ExportQuery.ByMinimum => shown.OrderByDescending(r => r.AtMinimum).ThenBy(r => r.Plan, StringComparer.Ordinal),
                { } code when reading.Columns.Any(c => c.Code == code) => shown.OrderByDescending(r => r.Levels.GetValueOrDefault(code)).ThenBy(r => r.Plan, StringComparer.Ordinal),
                _ => shown.OrderBy(r => r.Plan, StringComparer.Ordinal),
            };
            return new Heatmap(reading.Chosen, reading.Cycles, reading.Columns, shown.ToList(), counties);
        }, cancellationToken);

    /// <summary>
    /// Trends from the cycle before <paramref name="cycle"/> (the latest cycle when null) to it: for each plan with a round
    /// in both, the change per section in elements at minimum or above; statewide, each element's share of plans at minimum
    /// then and now, with the elements that improved most and those that lag (lowest share at minimum now).
    /// </summary>
    public Task<Outcome<Trends>> TrendsAsync(ClaimsPrincipal principal, string? cycle = null, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Trends>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReviewers);
            var reading = await ReadCycleAsync(op, cycle, withPrevious: true);
            if (reading.Chosen is null || reading.Previous is null)
            {
                return new Trends(reading.Chosen, reading.Previous, reading.Cycles, [], []);
            }

            var tally = new TrendTally(reading);
            var plans = new List<PlanTrend>();
            await foreach (var plan in tally.PlansAsync(op.Cancellation))
            {
                plans.Add(plan);
            }

            return new Trends(reading.Chosen, reading.Previous, reading.Cycles, plans.OrderBy(p => p.Plan, StringComparer.Ordinal).ToList(), tally.Elements);
        }, cancellationToken);

    /// <summary>For each plan its active providers and covered counties, for each provider the plans it serves, and the gaps.</summary>
    public Task<Outcome<PartnerNetwork>> PartnerNetworkAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<PartnerNetwork>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReviewers);
            var counts = new Dictionary<string, int>();
            var plans = new List<NetworkPlan>();
            await foreach (var plan in NetworkPlansAsync(op, counts))
            {
                plans.Add(plan);
            }

            var providers = new List<NetworkProvider>();
            await foreach (var provider in NetworkProvidersAsync(op))
            {
                providers.Add(provider);
            }

            return new PartnerNetwork(plans.OrderBy(p => p.Name, StringComparer.Ordinal).ToList(), providers.OrderBy(p => p.Name, StringComparer.Ordinal).ToList(), counts);
        }, cancellationToken);

    /// <summary>Every submitted joint section-E assessment, newest first (drafts stay with the two organizations).</summary>
    public Task<Outcome<IReadOnlyList<JointRow>>> JointSubmittedAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<JointRow>>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReviewers);
            var joints = new List<JointRow>();
            await foreach (var joint in JointRowsAsync(op))
            {
                joints.Add(joint);
            }

            return joints;
        }, cancellationToken);

    /// <summary>
    /// The submitted joint section-E assessments, newest first, one at a time as they stream (one command): each with its
    /// answers, on how many criteria the two sides' views differ (both answered, and not the same).
    /// </summary>
    internal static async IAsyncEnumerable<JointRow> JointRowsAsync(Operation op)
    {
        var db = op.Db;
        var joints = from j in db.JointAssessments
                     where j.SubmittedAt != null
                     join plan in db.Organizations on j.PlanOrganizationId equals plan.Id
                     join provider in db.Organizations on j.ProviderOrganizationId equals provider.Id
                     orderby j.SubmittedAt descending, j.Id
                     select new
                     {
                         j.Id,
                         Plan = plan.Name,
                         Provider = provider.Name,
                         j.Cycle,
                         SubmittedAt = j.SubmittedAt!.Value,
                         Answers = j.Answers.Select(a => new { a.CriterionId, a.Answer }).ToList(),
                     };
        await foreach (var j in joints.AsNoTracking().AsSingleQuery().AsAsyncEnumerable().WithCancellation(op.Cancellation))
        {
            var differences = j.Answers.GroupBy(a => a.CriterionId).Count(c => c.All(a => a.Answer != Answer.Open) && c.Select(a => a.Answer).Distinct().Count() > 1);
            yield return new JointRow(j.Id, j.Plan, j.Provider, j.Cycle, j.SubmittedAt, differences);
        }
    }

    /// <summary>
    /// The plans of <paramref name="organizations"/> compared in the reading's cycle, element by element: each plan's latest
    /// standing round of the cycle (one command for the plans, in the compare page's order: by name), and the levels as
    /// the answers stream ordered by element (one more), a row per element of the cycle. Null when an organization named
    /// is not a plan with a round in the cycle.
    /// </summary>
    internal static async Task<CompareReading?> ReadCompareAsync(Operation op, CycleReading reading, IReadOnlyList<Guid> organizations)
    {
        if (reading.Chosen is null || organizations.Count == 0)
        {
            return organizations.Count == 0 ? new CompareReading(reading, [], EmptyCompareAnswers()) : null;
        }

        var db = op.Db;
        var rounds = LatestRounds(db, OrganizationKind.ManagedCarePlan, [reading.Chosen]).Where(s => organizations.Contains(s.OrganizationId));
        var plans = (await (from s in rounds
                            join o in db.Organizations on s.OrganizationId equals o.Id
                            orderby o.Name, o.Id
                            select new ComparedPlan(o.Id, s.AssessmentId, o.Name)).AsNoTracking().ToListAsync(op.Cancellation))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (plans.Count != organizations.Count)
        {
            return null;
        }

        var answers = from s in rounds
                      join se in db.SubmittedElements on s.Id equals se.SubmissionId
                      join e in db.Elements on se.ElementId equals e.Id
                      join x in db.SubmittedAnswers on se.Id equals x.SubmittedElementId
                      orderby e.Section!.Order, e.Order, e.Code, se.Id
                      select new CompareAnswer(e.Id, s.OrganizationId, se.Id, x.Kind, x.Answer);
        return new CompareReading(reading, plans, answers.AsNoTracking().AsAsyncEnumerable());
    }

    private static async IAsyncEnumerable<CompareAnswer> EmptyCompareAnswers()
    {
        await Task.CompletedTask;
        yield break;
    }

    /// <summary>How many plans the portal has (submitted or not).</summary>
    internal static Task<int> CountPlansAsync(Operation op) =>
        op.Db.Organizations.CountAsync(o => o.Kind == OrganizationKind.ManagedCarePlan, op.Cancellation);

    private static async Task<Outcome<IReadOnlyList<StatewideRow>>> LatestAsync(Operation op, OrganizationKind kind)
    {
        var reading = await ReadLatestAsync(op, kind);
        var rows = new List<StatewideRow>();
        await foreach (var row in reading.RowsAsync(op.Cancellation))
        {
            rows.Add(row);
        }

        return rows.OrderBy(r => r.OrganizationName, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Each organization's latest round that stands (a withdrawn round was taken back before anyone reviewed it), in any
    /// cycle: the section codes its elements fall in (one command), and its rounds as they stream (one more).
    /// </summary>
    internal static async Task<LatestReading> ReadLatestAsync(Operation op, OrganizationKind kind)
    {
        var latest = LatestRounds(op.Db, kind, cycles: null);
        var elements = await ElementsAsync(op, latest, shown: null);
        return new LatestReading(elements, ReadRoundsAsync(Answers(op.Db, latest), op.Cancellation));
    }

    /// <summary>
    /// Each plan's latest standing round of a cycle (the latest cycle with one when none is named), and with
    /// <paramref name="withPrevious"/> of the cycle before it as well: the cycles (one command), the elements (one), and
    /// the rounds as they stream (one), ordered by plan and, within a plan, by cycle. With <paramref name="kind"/> the
    /// providers' readiness rounds (section B) instead of the plans'.
    /// </summary>
    /// <remarks>
    /// With <paramref name="sortBy"/> (the heatmap's sort: <see cref="ExportQuery.ByMinimum"/> or a column's code) the
    /// rounds come in that order, computed by the database from the answers as <see cref="Scoring"/> does, the most
    /// first, then by plan; <see cref="CycleReading.SortedBy"/> says whether the sort was one the cycle offers.
    /// </remarks>
    internal static async Task<CycleReading> ReadCycleAsync(Operation op, string? cycle, bool withPrevious, string? sortBy = null, DateTime? submittedBefore = null,
        OrganizationKind kind = OrganizationKind.ManagedCarePlan)
    {
        var db = op.Db;
        var cycles = await CyclesAsync(op, kind);
        var chosen = cycle is not null && cycles.Contains(cycle) ? cycle : cycles.FirstOrDefault();
        var previous = withPrevious && chosen is not null ? cycles.SkipWhile(c => c != chosen).Skip(1).FirstOrDefault() : null;
        if (chosen is null || (withPrevious && previous is null))
        {
            return new CycleReading(cycles, chosen, previous, [], EmptyRounds());
        }

        var shown = LatestRounds(db, kind, [chosen], submittedBefore);
        var rounds = previous is null ? shown : LatestRounds(db, kind, [chosen, previous], submittedBefore);
        var elements = await ElementsAsync(op, rounds, previous is null ? null : shown);
        var sorted = sortBy == ExportQuery.ByMinimum || (sortBy is not null && elements.Any(e => e.Shown && e.Code == sortBy));
        // As of an instant, a plan counts under the model it had in the cycle (a later move changes nothing published).
        var asSubmitted = submittedBefore is not null;
        var answers = sorted ? SortedAnswers(db, rounds, sortBy!, asSubmitted) : Answers(db, rounds, asSubmitted);
        return new CycleReading(cycles, chosen, previous, elements, ReadRoundsAsync(answers, op.Cancellation)) { SortedBy = sorted ? sortBy : null };
    }

    /// <summary>The cycles plans (or organizations of <paramref name="kind"/>) have a standing round of, the latest first (one command).</summary>
    internal static async Task<List<string>> CyclesAsync(Operation op, OrganizationKind kind = OrganizationKind.ManagedCarePlan)
    {
        var db = op.Db;
        return (await (from s in db.Submissions
                       join a in db.Assessments on s.AssessmentId equals a.Id
                       join o in db.Organizations on s.OrganizationId equals o.Id
                       where s.Decision != Decision.Withdrawn && o.Kind == kind
                       select a.Cycle).Distinct().ToListAsync(op.Cancellation))
            .OrderByDescending(ReportingCycle.Of).ToList();
    }

    /// <summary>
    /// The answers of <see cref="Answers"/>, the rounds ordered by the heatmap's sort: elements at minimum or above
    /// (<see cref="ExportQuery.ByMinimum"/>), or the level of the element <paramref name="sortBy"/> (a code), the most first;
    /// then by plan as the page sorts its rows. The level is the guide's scoring (<see cref="Scoring.LevelOf"/>) in SQL:
    /// nothing answered is not started, a minimum criterion not met (or none) is below minimum, an enhancement met on
    /// top of every minimum is enhancement. (A round answers an element of a code once; no aggregate wraps the subqueries,
    /// which SQL Server would refuse.)
    /// </summary>
    internal static IQueryable<RoundAnswer> SortedAnswers(ToolkitDbContext db, IQueryable<Submission> rounds, string sortBy, bool asSubmitted = false)
    {
        var keyed = sortBy == ExportQuery.ByMinimum
            ? rounds.Select(s => new SortedRound
            {
                Round = s,
                Key = db.SubmittedElements.Count(e => e.SubmissionId == s.Id
                    && db.SubmittedAnswers.Any(x => x.SubmittedElementId == e.Id && x.Kind == CriterionKind.Minimum)
                    && !db.SubmittedAnswers.Any(x => x.SubmittedElementId == e.Id && x.Kind == CriterionKind.Minimum && x.Answer != Answer.Met)),
            })
            : rounds.Select(s => new SortedRound
            {
                Round = s,
                Key = db.SubmittedElements
                    .Where(e => e.SubmissionId == s.Id && db.Elements.Any(x => x.Id == e.ElementId && x.Code == sortBy)
                        && db.SubmittedAnswers.Any(x => x.SubmittedElementId == e.Id))
                    .Select(e => (int?)(!db.SubmittedAnswers.Any(x => x.SubmittedElementId == e.Id && x.Answer != Answer.Open)
                        ? (int)Level.NotStarted
                        : !db.SubmittedAnswers.Any(x => x.SubmittedElementId == e.Id && x.Kind == CriterionKind.Minimum)
                            || db.SubmittedAnswers.Any(x => x.SubmittedElementId == e.Id && x.Kind == CriterionKind.Minimum && x.Answer != Answer.Met)
                            ? (int)Level.BelowMinimum
                            : db.SubmittedAnswers.Any(x => x.SubmittedElementId == e.Id && x.Kind == CriterionKind.Enhancement && x.Answer == Answer.Met)
                                ? (int)Level.MeetsEnhancement
                                : (int)Level.MeetsMinimum))
                    .FirstOrDefault() ?? (int)Level.NotStarted,
            });
        return from k in keyed
               join a in db.Assessments on k.Round.AssessmentId equals a.Id
               join o in db.Organizations on k.Round.OrganizationId equals o.Id
               from e in db.SubmittedElements.Where(e => e.SubmissionId == k.Round.Id).DefaultIfEmpty()
               from x in db.SubmittedAnswers.Where(x => x.SubmittedElementId == e!.Id).DefaultIfEmpty()
               orderby k.Key descending, o.Name, o.Id, a.Cycle, k.Round.Id, e!.Id
               select new RoundAnswer(k.Round.Id, k.Round.AssessmentId, o.Id, o.Name, asSubmitted ? a.PlanModel : o.PlanModel, o.CountyFips, a.Cycle, k.Round.Round, k.Round.Decision, k.Round.SubmittedAt,
                   (Guid?)e!.Id, (Guid?)e.ElementId, (CriterionKind?)x!.Kind, (Answer?)x.Answer);
    }

    /// <summary>A round with its place in a sort.</summary>
    private sealed class SortedRound
    {
        public Submission Round { get; init; } = default!;

        public int Key { get; init; }
    }

    /// <summary>
    /// Each organization's latest standing round of each named cycle, or of all its cycles when none is named; with
    /// <paramref name="submittedBefore"/>, as things stood at that instant: the rounds submitted before it, and a round
    /// withdrawn since still standing.
    /// </summary>
    internal static IQueryable<Submission> LatestRounds(ToolkitDbContext db, OrganizationKind kind, IReadOnlyList<string>? cycles, DateTime? submittedBefore = null)
    {
        var submissions = submittedBefore is { } end
            ? db.Submissions.Where(s => s.SubmittedAt < end && (s.Decision != Decision.Withdrawn || s.DecidedAt >= end))
            : db.Submissions.Where(s => s.Decision != Decision.Withdrawn);
        var standing = from s in submissions
                       join a in db.Assessments on s.AssessmentId equals a.Id
                       join o in db.Organizations on s.OrganizationId equals o.Id
                       where o.Kind == kind
                       select new { Submission = s, a.Cycle };
        if (cycles is null)
        {
            var any = standing.Select(x => x.Submission);
            return any.Where(s => s.SubmittedAt == any.Where(x => x.OrganizationId == s.OrganizationId).Max(x => x.SubmittedAt));
        }

        var named = standing.Where(x => cycles.Contains(x.Cycle));
        return named
            .Where(x => x.Submission.SubmittedAt == named.Where(y => y.Submission.OrganizationId == x.Submission.OrganizationId && y.Cycle == x.Cycle).Max(y => y.Submission.SubmittedAt))
            .Select(x => x.Submission);
    }

    /// <summary>
    /// The elements answered in <paramref name="rounds"/>, in the guide's order, with their section's title in the current
    /// guide; <see cref="ElementColumn.Shown"/> says whether the element is answered in <paramref name="shown"/> (all are
    /// when it is null).
    /// </summary>
    private static Task<List<ElementColumn>> ElementsAsync(Operation op, IQueryable<Submission> rounds, IQueryable<Submission>? shown)
    {
        var db = op.Db;
        // A round's elements are frozen with its answers (every criterion, open or not): its elements are the answered ones.
        IQueryable<Guid> AnsweredIn(IQueryable<Submission> submissions) =>
            (from se in db.SubmittedElements
             join s in submissions on se.SubmissionId equals s.Id
             select se.ElementId).Distinct();
        var answered = AnsweredIn(rounds);
        var elements = db.Elements.AsNoTracking().Where(e => answered.Contains(e.Id)).OrderBy(e => e.Section!.Order).ThenBy(e => e.Order).ThenBy(e => e.Code);
        var currentTitles = db.Sections.Where(x => db.FrameworkVersions.Any(f => f.IsCurrent && f.Id == x.FrameworkVersionId));
        if (shown is null)
        {
            return elements.Select(e => new ElementColumn(e.Id, e.Section!.Code, currentTitles.Where(x => x.Code == e.Section.Code).Select(x => x.Title).FirstOrDefault(), e.Code, e.Title, true))
                .ToListAsync(op.Cancellation);
        }

        var answeredInShown = AnsweredIn(shown);
        return elements.Select(e => new ElementColumn(e.Id, e.Section!.Code, currentTitles.Where(x => x.Code == e.Section.Code).Select(x => x.Title).FirstOrDefault(), e.Code, e.Title,
                answeredInShown.Contains(e.Id)))
            .ToListAsync(op.Cancellation);
    }

    /// <summary>Every answer of the rounds with its round and organization, ordered so that a round's answers come together, and an organization's rounds.</summary>
    internal static IQueryable<RoundAnswer> Answers(ToolkitDbContext db, IQueryable<Submission> rounds, bool asSubmitted = false) =>
        from s in rounds
        join a in db.Assessments on s.AssessmentId equals a.Id
        join o in db.Organizations on s.OrganizationId equals o.Id
        from e in db.SubmittedElements.Where(e => e.SubmissionId == s.Id).DefaultIfEmpty()
        from x in db.SubmittedAnswers.Where(x => x.SubmittedElementId == e!.Id).DefaultIfEmpty()
        orderby o.Name, o.Id, a.Cycle, s.Id, e!.Id
        select new RoundAnswer(s.Id, s.AssessmentId, o.Id, o.Name, asSubmitted ? a.PlanModel : o.PlanModel, o.CountyFips, a.Cycle, s.Round, s.Decision, s.SubmittedAt,
            (Guid?)e!.Id, (Guid?)e.ElementId, (CriterionKind?)x!.Kind, (Answer?)x.Answer);

    /// <summary>Streams the answers and hands on each round once its last answer has arrived: one round in memory at a time.</summary>
    private static async IAsyncEnumerable<RoundRead> ReadRoundsAsync(IQueryable<RoundAnswer> answers, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RoundAnswer? head = null;
        var elements = new List<ElementAnswers>();
        ElementAnswers? current = null;
        await foreach (var row in answers.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (head is not null && row.SubmissionId != head.SubmissionId)
            {
                yield return Round(head, elements);
                elements = [];
                current = null;
                head = row;
            }

            head ??= row;
            if (row is { SubmittedElementId: { } id, ElementId: { } elementId, Kind: { } kind, Answer: { } answer })
            {
                if (current?.SubmittedElementId != id)
                {
                    current = new ElementAnswers(id, elementId, []);
                    elements.Add(current);
                }

                current.Answers.Add((kind, answer));
            }
        }

        if (head is not null)
        {
            yield return Round(head, elements);
        }

        static RoundRead Round(RoundAnswer head, List<ElementAnswers> elements) =>
            new(head.SubmissionId, head.AssessmentId, head.OrganizationId, head.Name, head.Model, head.CountyFips, head.Cycle, head.Round, head.Decision, head.SubmittedAt, elements);
    }

    private static async IAsyncEnumerable<RoundRead> EmptyRounds()
    {
        await Task.CompletedTask;
        yield break;
    }

    /// <summary>
    /// The plans and their active partners, one plan at a time as the rows stream (ordered by plan), counting in
    /// <paramref name="activePartners"/> the active partnerships that cover each county.
    /// </summary>
    internal static async IAsyncEnumerable<NetworkPlan> NetworkPlansAsync(Operation op, Dictionary<string, int>? activePartners)
    {
        var db = op.Db;
        var rows = from o in db.Organizations
                   where o.Kind == OrganizationKind.ManagedCarePlan
                   from p in db.Partnerships.Where(p => p.PlanOrganizationId == o.Id && p.Status == PartnershipStatus.Active).DefaultIfEmpty()
                   from v in db.Organizations.Where(v => v.Id == p!.ProviderOrganizationId).DefaultIfEmpty()
                   orderby o.Name, o.Id
                   select new { o.Id, o.Name, o.CountyFips, Partnered = p != null, Provider = v == null ? null : v.Name, Counties = p == null ? null : p.CountyFips };
        (Guid Id, string Name, IReadOnlyList<string> Counties)? plan = null;
        var providers = new List<string>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in rows.AsNoTracking().AsAsyncEnumerable().WithCancellation(op.Cancellation))
        {
            if (plan is { } previous && previous.Id != row.Id)
            {
                yield return Plan(previous, providers, covered);
                providers = [];
                covered = new HashSet<string>(StringComparer.Ordinal);
            }

            plan = (row.Id, row.Name, row.CountyFips);
            if (row.Partnered)
            {
                if (row.Provider is not null)
                {
                    providers.Add(row.Provider);
                }

                foreach (var fips in row.Counties ?? [])
                {
                    if (activePartners is not null)
                    {
                        activePartners[fips] = activePartners.GetValueOrDefault(fips) + 1;
                    }

                    if (row.CountyFips.Contains(fips))
                    {
                        covered.Add(fips);
                    }
                }
            }
        }

        if (plan is { } last)
        {
            yield return Plan(last, providers, covered);
        }

        static NetworkPlan Plan((Guid Id, string Name, IReadOnlyList<string> Counties) plan, List<string> providers, HashSet<string> covered)
        {
            var coveredFips = covered.Order(StringComparer.Ordinal).ToList();
            return new NetworkPlan(plan.Id, plan.Name, plan.Counties, providers.Order(StringComparer.Ordinal).ToList(), coveredFips, plan.Counties.Except(coveredFips).ToList());
        }
    }

    /// <summary>The providers and the plans they are partnered with, one provider at a time as the rows stream (ordered by provider).</summary>
    internal static async IAsyncEnumerable<NetworkProvider> NetworkProvidersAsync(Operation op)
    {
        var db = op.Db;
        var rows = from o in db.Organizations
                   where o.Kind == OrganizationKind.PalliativeCareProvider
                   from p in db.Partnerships.Where(p => p.ProviderOrganizationId == o.Id).DefaultIfEmpty()
                   from plan in db.Organizations.Where(x => x.Id == p!.PlanOrganizationId).DefaultIfEmpty()
                   orderby o.Name, o.Id
                   select new { o.Id, o.Name, Plan = plan == null ? null : plan.Name, Status = p == null ? (PartnershipStatus?)null : p.Status };
        (Guid Id, string Name)? provider = null;
        var active = new List<string>();
        var other = new List<string>();
        await foreach (var row in rows.AsNoTracking().AsAsyncEnumerable().WithCancellation(op.Cancellation))
        {
            if (provider is { } previous && previous.Id != row.Id)
            {
                yield return new NetworkProvider(previous.Id, previous.Name, active.Order(StringComparer.Ordinal).ToList(), other.Order(StringComparer.Ordinal).ToList());
                active = [];
                other = [];
            }

            provider = (row.Id, row.Name);
            if (row is { Plan: { } name, Status: { } status })
            {
                (status == PartnershipStatus.Active ? active : other).Add(status == PartnershipStatus.Active ? name : $"{name} ({status.Describe().ToLowerInvariant()})");
            }
        }

        if (provider is { } last)
        {
            yield return new NetworkProvider(last.Id, last.Name, active.Order(StringComparer.Ordinal).ToList(), other.Order(StringComparer.Ordinal).ToList());
        }
    }

    /// <summary>The regions of the counties, in order, each once.</summary>
    internal static List<string> RegionsOf(IEnumerable<string> countyFips) =>
        countyFips.Select(f => CaliforniaCounties.ByFips(f)?.Region).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
}

/// <summary>One answer of a round as it streams from the database, with its round and organization (nulls: a round without answers).</summary>
internal sealed record RoundAnswer(
    Guid SubmissionId, Guid AssessmentId, Guid OrganizationId, string Name, PlanModel Model, IReadOnlyList<string> CountyFips, string Cycle, int Round, Decision Decision,
    DateTime SubmittedAt, Guid? SubmittedElementId, Guid? ElementId, CriterionKind? Kind, Answer? Answer);

/// <summary>A submitted element's answers.</summary>
internal sealed record ElementAnswers(Guid SubmittedElementId, Guid ElementId, List<(CriterionKind Kind, Answer Answer)> Answers);

/// <summary>A round with its organization and answers, read from the stream.</summary>
internal sealed record RoundRead(
    Guid SubmissionId, Guid AssessmentId, Guid OrganizationId, string Name, PlanModel Model, IReadOnlyList<string> CountyFips, string Cycle, int Round, Decision Decision,
    DateTime SubmittedAt, IReadOnlyList<ElementAnswers> Elements);

/// <summary>An element answered in the rounds read: its section (and the current guide's title of it), code and title; whether it heads a column.</summary>
internal sealed record ElementColumn(Guid Id, string SectionCode, string? SectionTitle, string Code, string Title, bool Shown);

/// <summary>Each organization's latest round, as <see cref="StatewideRow"/>s one at a time.</summary>
internal sealed class LatestReading(IReadOnlyList<ElementColumn> elements, IAsyncEnumerable<RoundRead> rounds)
{
    private readonly Dictionary<Guid, string> _sectionOf = elements.ToDictionary(e => e.Id, e => e.SectionCode);

    /// <summary>The sections the rounds' elements fall in, in code order.</summary>
    public IReadOnlyList<string> SectionCodes { get; } = elements.Select(e => e.SectionCode).Distinct().Order(StringComparer.Ordinal).ToList();

    public async IAsyncEnumerable<StatewideRow> RowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var round in rounds.WithCancellation(cancellationToken))
        {
            var answered = round.Elements
                .Select(e => (Section: _sectionOf.GetValueOrDefault(e.ElementId, "?"), Answers: (IReadOnlyCollection<(CriterionKind, Answer)>)e.Answers))
                .ToList();
            yield return new StatewideRow(
                round.AssessmentId, round.Name, round.Model, round.CountyFips, CaliforniaCounties.Describe(round.CountyFips), round.Cycle, round.Round, round.Decision,
                round.SubmittedAt, Scoring.Summarize(answered.Select(e => e.Answers)),
                answered.GroupBy(e => e.Section).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new SectionProgress(g.Key, Scoring.Summarize(g.Select(e => e.Answers)))).ToList());
        }
    }
}

/// <summary>A cycle's rounds (and the previous cycle's, for trends), as heatmap rows one at a time.</summary>
internal sealed class CycleReading(List<string> cycles, string? chosen, string? previous, IReadOnlyList<ElementColumn> elements, IAsyncEnumerable<RoundRead> rounds)
{
    private readonly Dictionary<Guid, string> _codeOf = elements.ToDictionary(e => e.Id, e => e.Code);

    public List<string> Cycles { get; } = cycles;

    public string? Chosen { get; } = chosen;

    /// <summary>Every element answered in the rounds read, in the guide's order (the columns are the chosen cycle's, each code once).</summary>
    public IReadOnlyList<ElementColumn> Elements { get; } = elements;

    public string? Previous { get; } = previous;

    /// <summary>The heatmap's sort the rounds come in (null: by plan).</summary>
    public string? SortedBy { get; init; }

    /// <summary>The chosen cycle's elements as columns, in the guide's order, each code once.</summary>
    public List<HeatmapColumn> Columns { get; } = elements.Where(e => e.Shown).Select(e => new HeatmapColumn(e.SectionCode, e.Code, e.Title))
        .GroupBy(c => c.Code).Select(g => g.First()).ToList();

    /// <summary>Each section's title in the current guide (its code when the current guide has no such section).</summary>
    public IReadOnlyDictionary<string, string> SectionTitles { get; } = elements.GroupBy(e => e.SectionCode).ToDictionary(g => g.Key, g => g.First().SectionTitle ?? g.Key);

    /// <summary>The rounds as heatmap rows, each with its cycle and when it was submitted, ordered by plan and, within a plan, by cycle.</summary>
    public async IAsyncEnumerable<(HeatmapRow Row, string Cycle, DateTime SubmittedAt)> RoundsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var round in rounds.WithCancellation(cancellationToken))
        {
            var levels = round.Elements.Select(e => (Code: _codeOf.GetValueOrDefault(e.ElementId, "?"), Level: Scoring.LevelOf(e.Answers)))
                .GroupBy(l => l.Code).ToDictionary(g => g.Key, g => g.First().Level);
            yield return (new HeatmapRow(round.OrganizationId, round.AssessmentId, round.Name, round.Model, StatewideService.RegionsOf(round.CountyFips), round.CountyFips, levels),
                round.Cycle, round.SubmittedAt);
        }
    }

    /// <summary>The chosen cycle's rows (the reading has no other when it was made without the previous cycle).</summary>
    public async IAsyncEnumerable<HeatmapRow> RowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (row, cycle, _) in RoundsAsync(cancellationToken))
        {
            if (cycle == Chosen)
            {
                yield return row;
            }
        }
    }
}

/// <summary>A plan compared: its organization, its latest standing round of the cycle, its name.</summary>
internal sealed record ComparedPlan(Guid OrganizationId, Guid AssessmentId, string Name);

/// <summary>One answer of a compared plan's round, as it streams ordered by element.</summary>
internal sealed record CompareAnswer(Guid ElementId, Guid OrganizationId, Guid SubmittedElementId, CriterionKind Kind, Answer Answer);

/// <summary>An element of the cycle with each compared plan's level, in the plans' order (null: the plan's round did not answer it).</summary>
internal sealed record CompareRow(HeatmapColumn Column, IReadOnlyList<Level?> Levels)
{
    /// <summary>Whether the plans' levels are not all the same (as the compare page marks "levels differ").</summary>
    public bool Differs => Levels.Distinct().Count() > 1;
}

/// <summary>
/// Plans compared element by element, a row per element of the cycle as the answers stream ordered by element: one
/// element's row (a level per plan) is in memory at a time, however many plans there are.
/// </summary>
internal sealed class CompareReading(CycleReading reading, IReadOnlyList<ComparedPlan> plans, IAsyncEnumerable<CompareAnswer> answers)
{
    public string? Cycle => reading.Chosen;

    /// <summary>The plans in the compare page's order (by name): the file's columns.</summary>
    public IReadOnlyList<ComparedPlan> Plans => plans;

    public async IAsyncEnumerable<CompareRow> RowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (plans.Count == 0)
        {
            yield break;
        }

        // The answers arrive in the guide's order of elements (the reading's elements are in that order): an element's row
        // is complete once the stream has passed the last place of its code (a code is one element in each guide version).
        var place = new Dictionary<Guid, int>();
        var codeOf = new Dictionary<Guid, string>();
        var lastPlace = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < reading.Elements.Count; i++)
        {
            var element = reading.Elements[i];
            (place[element.Id], codeOf[element.Id], lastPlace[element.Code]) = (i, element.Code, i);
        }

        var planIndex = new Dictionary<Guid, int>();
        for (var i = 0; i < plans.Count; i++)
        {
            planIndex[plans[i].OrganizationId] = i;
        }

        var columns = reading.Columns;
        var open = new Dictionary<string, Level?[]>(StringComparer.Ordinal);
        var next = 0;
        Guid? current = null;
        (string Code, int Plan) owner = (string.Empty, 0);
        var given = new List<(CriterionKind Kind, Answer Answer)>();
        await foreach (var answer in answers.WithCancellation(cancellationToken))
        {
            if (answer.SubmittedElementId != current)
            {
                Close();
                current = answer.SubmittedElementId;
                owner = (codeOf[answer.ElementId], planIndex[answer.OrganizationId]);
                var at = place[answer.ElementId];
                while (next < columns.Count && lastPlace[columns[next].Code] < at)
                {
                    yield return Complete(columns[next++]);
                }
            }

            given.Add((answer.Kind, answer.Answer));
        }

        Close();
        while (next < columns.Count)
        {
            yield return Complete(columns[next++]);
        }

        void Close()
        {
            if (current is not null && given.Count > 0)
            {
                if (!open.TryGetValue(owner.Code, out var levels))
                {
                    levels = new Level?[plans.Count];
                    open[owner.Code] = levels;
                }

                levels[owner.Plan] ??= Scoring.LevelOf(given);
            }

            given = [];
        }

        CompareRow Complete(HeatmapColumn column) => new(column, open.Remove(column.Code, out var levels) ? levels : new Level?[plans.Count]);
    }
}

/// <summary>Where the state stands, counted one plan's round at a time: per section, the plans that answered it, those with every element at minimum, and at enhancement.</summary>
internal sealed class StandingTally(CycleReading reading)
{
    private readonly List<(string Code, List<string> Elements, int[] Counts)> _sections =
        reading.Columns.GroupBy(c => c.SectionCode).Select(g => (g.Key, g.Select(c => c.Code).ToList(), new int[3])).ToList();

    public int Rounds { get; private set; }

    public void Add(HeatmapRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Rounds++;
        foreach (var (_, elements, counts) in _sections)
        {
            var levels = elements.Where(row.Levels.ContainsKey).Select(c => row.Levels[c]).ToList();
            if (levels.Count == 0)
            {
                continue;
            }

            counts[0]++;
            counts[1] += levels.All(l => l >= Level.MeetsMinimum) ? 1 : 0;
            counts[2] += levels.All(l => l >= Level.MeetsEnhancement) ? 1 : 0;
        }
    }

    public List<SectionStanding> Sections =>
        _sections.Select(s => new SectionStanding(s.Code, reading.SectionTitles.GetValueOrDefault(s.Code, s.Code), s.Counts[0], s.Counts[1], s.Counts[2])).ToList();
}

/// <summary>
/// Trends counted one plan at a time as the two cycles' rounds stream (a plan's rounds come together): each plan with a
/// round in both cycles as it completes, and, once the stream has ended, each element's share at minimum then and now.
/// </summary>
internal sealed class TrendTally(CycleReading reading)
{
    private readonly Dictionary<string, int> _atMinimumBefore = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _atMinimumNow = new(StringComparer.Ordinal);
    private int _before;
    private int _now;

    public async IAsyncEnumerable<PlanTrend> PlansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        HeatmapRow? before = null;
        HeatmapRow? now = null;
        await foreach (var (row, cycle, _) in reading.RoundsAsync(cancellationToken))
        {
            if ((before ?? now) is { } plan && plan.OrganizationId != row.OrganizationId)
            {
                if (Pair(before, now) is { } trend)
                {
                    yield return trend;
                }

                (before, now) = (null, null);
            }

            var isNow = cycle == reading.Chosen;
            var counts = isNow ? _atMinimumNow : _atMinimumBefore;
            foreach (var (code, level) in row.Levels)
            {
                if (level >= Level.MeetsMinimum)
                {
                    counts[code] = counts.GetValueOrDefault(code) + 1;
                }
            }

            if (isNow)
            {
                _now++;
                now = row;
            }
            else
            {
                _before++;
                before = row;
            }
        }

        if (Pair(before, now) is { } last)
        {
            yield return last;
        }
    }

    /// <summary>Each element of the chosen cycle: its share of plans at minimum in the previous cycle and in this one (after <see cref="PlansAsync"/> has run).</summary>
    public List<ElementTrend> Elements =>
        reading.Columns.Select(c => new ElementTrend(c.SectionCode, c.Code, c.Title, Share(_atMinimumBefore, _before, c.Code), Share(_atMinimumNow, _now, c.Code))).ToList();

    private static double Share(Dictionary<string, int> counts, int rounds, string code) => rounds == 0 ? 0 : (double)counts.GetValueOrDefault(code) / rounds;

    private PlanTrend? Pair(HeatmapRow? before, HeatmapRow? now) =>
        before is null || now is null
            ? null
            : new PlanTrend(now.Plan, now.AssessmentId, reading.Columns.GroupBy(c => c.SectionCode).Select(section =>
            {
                int AtMinimum(HeatmapRow row) => section.Count(c => row.Levels.GetValueOrDefault(c.Code) >= Level.MeetsMinimum);
                return new SectionTrend(section.Key, section.Count(), AtMinimum(before), AtMinimum(now));
            }).ToList());
}
