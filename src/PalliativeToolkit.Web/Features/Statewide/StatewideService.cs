using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;

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
public sealed record HeatmapQuery(string? Cycle = null, PlanModel? Model = null, string? Region = null, string? CountyFips = null, string? SortBy = null);

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
public sealed class StatewideService(OperationRunner operations)
{
    private const string OnlyReviewers = "Only statewide reviewers and administrators see every plan's submissions.";

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
            var plans = await op.Db.Organizations.CountAsync(o => o.Kind == OrganizationKind.ManagedCarePlan, op.Cancellation);
            var (cycles, chosen, columns, rows) = await CycleRoundsAsync(op, cycle);
            if (chosen is null)
            {
                return new StateStanding(null, cycles, plans, 0, []);
            }

            var sections = SectionStandings(columns, rows, await SectionTitlesAsync(op, columns));
            return new StateStanding(chosen, cycles, plans, rows.Count, sections);
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
            var (cycles, chosen, columns, rows) = await CycleRoundsAsync(op, query.Cycle);
            var counties = rows.SelectMany(r => r.CountyFips).Distinct().OrderBy(f => CaliforniaCounties.ByFips(f)?.Name, StringComparer.Ordinal).ToList();
            IEnumerable<HeatmapRow> shown = rows
                .Where(r => query.Model is null || r.Model == query.Model)
                .Where(r => string.IsNullOrWhiteSpace(query.Region) || r.Regions.Contains(query.Region))
                .Where(r => string.IsNullOrWhiteSpace(query.CountyFips) || r.CountyFips.Contains(query.CountyFips));
            shown = query.SortBy switch
            {
                "minimum" => shown.OrderByDescending(r => r.AtMinimum).ThenBy(r => r.Plan, StringComparer.Ordinal),
                { } code when columns.Any(c => c.Code == code) => shown.OrderByDescending(r => r.Levels.GetValueOrDefault(code)).ThenBy(r => r.Plan, StringComparer.Ordinal),
                _ => shown.OrderBy(r => r.Plan, StringComparer.Ordinal),
            };
            return new Heatmap(chosen, cycles, columns, shown.ToList(), counties);
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
            var (cycles, chosen, columns, now) = await CycleRoundsAsync(op, cycle);
            var previous = chosen is null ? null : cycles.SkipWhile(c => c != chosen).Skip(1).FirstOrDefault();
            if (chosen is null || previous is null)
            {
                return new Trends(chosen, previous, cycles, [], []);
            }

            var (_, _, _, before) = await CycleRoundsAsync(op, previous);
            var beforeByPlan = before.ToDictionary(r => r.OrganizationId);
            var plans = now.Where(r => beforeByPlan.ContainsKey(r.OrganizationId)).OrderBy(r => r.Plan, StringComparer.Ordinal)
                .Select(r => new PlanTrend(r.Plan, r.AssessmentId, columns.GroupBy(c => c.SectionCode).Select(section =>
                    {
                        int AtMinimum(HeatmapRow row) => section.Count(c => row.Levels.GetValueOrDefault(c.Code) >= Level.MeetsMinimum);
                        return new SectionTrend(section.Key, section.Count(), AtMinimum(beforeByPlan[r.OrganizationId]), AtMinimum(r));
                    }).ToList()))
                .ToList();
            static double Share(IReadOnlyList<HeatmapRow> rows, string code) =>
                rows.Count == 0 ? 0 : (double)rows.Count(r => r.Levels.GetValueOrDefault(code) >= Level.MeetsMinimum) / rows.Count;
            var elements = columns.Select(c => new ElementTrend(c.SectionCode, c.Code, c.Title, Share(before, c.Code), Share(now, c.Code))).ToList();
            return new Trends(chosen, previous, cycles, plans, elements);
        }, cancellationToken);

    /// <summary>The current framework's titles of the sections the <paramref name="columns"/> belong to, by code.</summary>
    internal static Task<Dictionary<string, string>> SectionTitlesAsync(Operation op, IReadOnlyList<HeatmapColumn> columns)
    {
        var codes = columns.Select(c => c.SectionCode).Distinct().ToList();
        return op.Db.Sections.AsNoTracking().Where(s => codes.Contains(s.Code) && op.Db.FrameworkVersions.Any(f => f.IsCurrent && f.Id == s.FrameworkVersionId))
            .ToDictionaryAsync(s => s.Code, s => s.Title, op.Cancellation);
    }

    /// <summary>
    /// Per section, of the <paramref name="rows"/> that answered it, how many have every element at minimum or above, and
    /// every element at enhancement.
    /// </summary>
    internal static List<SectionStanding> SectionStandings(IReadOnlyList<HeatmapColumn> columns, IReadOnlyList<HeatmapRow> rows, IReadOnlyDictionary<string, string> titles) =>
        columns.GroupBy(c => c.SectionCode)
            .Select(section =>
            {
                var answered = rows.Where(r => section.Any(c => r.Levels.ContainsKey(c.Code))).ToList();
                bool All(HeatmapRow r, Level least) => section.Where(c => r.Levels.ContainsKey(c.Code)).All(c => r.Levels[c.Code] >= least);
                return new SectionStanding(section.Key, titles.GetValueOrDefault(section.Key, section.Key), answered.Count,
                    answered.Count(r => All(r, Level.MeetsMinimum)), answered.Count(r => All(r, Level.MeetsEnhancement)));
            })
            .ToList();

    /// <summary>Each plan's latest standing round of a cycle (the latest cycle with one when none is named), as rows of element levels.</summary>
    internal static async Task<(List<string> Cycles, string? Chosen, List<HeatmapColumn> Columns, List<HeatmapRow> Rows)> CycleRoundsAsync(Operation op, string? cycle)
    {
        var db = op.Db;
        var standing = from s in db.Submissions
                       join a in db.Assessments on s.AssessmentId equals a.Id
                       join o in db.Organizations on s.OrganizationId equals o.Id
                       where s.Decision != Decision.Withdrawn && o.Kind == OrganizationKind.ManagedCarePlan
                       select new { Submission = s, a.Cycle };
        var cycles = (await standing.Select(x => x.Cycle).Distinct().ToListAsync(op.Cancellation)).OrderByDescending(ReportingCycle.Of).ToList();
        var chosen = cycle is not null && cycles.Contains(cycle) ? cycle : cycles.FirstOrDefault();
        if (chosen is null)
        {
            return (cycles, null, [], []);
        }

        var inCycle = standing.Where(x => x.Cycle == chosen).Select(x => x.Submission);
        var latest = inCycle.Where(s => s.SubmittedAt == inCycle.Where(x => x.OrganizationId == s.OrganizationId).Max(x => x.SubmittedAt));
        var plans = await (from s in latest
                           join o in db.Organizations on s.OrganizationId equals o.Id
                           select new { s.Id, s.AssessmentId, OrganizationId = o.Id, o.Name, o.PlanModel, o.CountyFips }).AsNoTracking().ToListAsync(op.Cancellation);
        var answers = await (from answer in db.SubmittedAnswers
                             join element in db.SubmittedElements on answer.SubmittedElementId equals element.Id
                             join s in latest on element.SubmissionId equals s.Id
                             select new { element.SubmissionId, element.Id, element.ElementId, answer.Kind, answer.Answer })
            .AsNoTracking().ToListAsync(op.Cancellation);
        var elementIds = answers.Select(a => a.ElementId).Distinct().ToList();
        var columns = await db.Elements.AsNoTracking().Where(e => elementIds.Contains(e.Id))
            .OrderBy(e => e.Section!.Order).ThenBy(e => e.Order)
            .Select(e => new { e.Id, Column = new HeatmapColumn(e.Section!.Code, e.Code, e.Title) }).ToListAsync(op.Cancellation);
        var codeOf = columns.ToDictionary(c => c.Id, c => c.Column.Code);
        var levels = answers.GroupBy(a => (a.SubmissionId, a.Id, a.ElementId))
            .Select(g => (g.Key.SubmissionId, Code: codeOf.GetValueOrDefault(g.Key.ElementId, "?"), Level: Scoring.LevelOf(g.Select(a => (a.Kind, a.Answer)).ToList())))
            .ToLookup(l => l.SubmissionId);
        var rows = plans.Select(p => new HeatmapRow(p.OrganizationId, p.AssessmentId, p.Name, p.PlanModel,
                p.CountyFips.Select(f => CaliforniaCounties.ByFips(f)?.Region).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList(), p.CountyFips,
                levels[p.Id].GroupBy(l => l.Code).ToDictionary(g => g.Key, g => g.First().Level)))
            .ToList();
        return (cycles, chosen, columns.Select(c => c.Column).GroupBy(c => c.Code).Select(g => g.First()).ToList(), rows);
    }

    /// <summary>For each plan its active providers and covered counties, for each provider the plans it serves, and the gaps.</summary>
    public Task<Outcome<PartnerNetwork>> PartnerNetworkAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<PartnerNetwork>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReviewers);
            var organizations = await op.Db.Organizations.AsNoTracking()
                .Where(o => o.Kind == OrganizationKind.ManagedCarePlan || o.Kind == OrganizationKind.PalliativeCareProvider)
                .Select(o => new { o.Id, o.Name, o.Kind, o.CountyFips }).ToListAsync(op.Cancellation);
            var partnerships = await op.Db.Partnerships.AsNoTracking()
                .Select(p => new { p.PlanOrganizationId, p.ProviderOrganizationId, p.Status, p.CountyFips }).ToListAsync(op.Cancellation);
            var names = organizations.ToDictionary(o => o.Id, o => o.Name);
            var active = partnerships.Where(p => p.Status == PartnershipStatus.Active).ToList();
            var plans = organizations.Where(o => o.Kind == OrganizationKind.ManagedCarePlan).OrderBy(o => o.Name, StringComparer.Ordinal)
                .Select(o =>
                {
                    var mine = active.Where(p => p.PlanOrganizationId == o.Id).ToList();
                    var covered = mine.SelectMany(p => p.CountyFips).Where(o.CountyFips.Contains).Distinct().Order(StringComparer.Ordinal).ToList();
                    return new NetworkPlan(o.Id, o.Name, o.CountyFips,
                        mine.Select(p => names[p.ProviderOrganizationId]).Order(StringComparer.Ordinal).ToList(),
                        covered, o.CountyFips.Except(covered).ToList());
                })
                .ToList();
            var providers = organizations.Where(o => o.Kind == OrganizationKind.PalliativeCareProvider).OrderBy(o => o.Name, StringComparer.Ordinal)
                .Select(o => new NetworkProvider(o.Id, o.Name,
                    active.Where(p => p.ProviderOrganizationId == o.Id).Select(p => names[p.PlanOrganizationId]).Order(StringComparer.Ordinal).ToList(),
                    partnerships.Where(p => p.ProviderOrganizationId == o.Id && p.Status != PartnershipStatus.Active)
                        .Select(p => $"{names[p.PlanOrganizationId]} ({p.Status.Describe().ToLowerInvariant()})").Order(StringComparer.Ordinal).ToList()))
                .ToList();
            var counts = active.SelectMany(p => p.CountyFips).GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());
            return new PartnerNetwork(plans, providers, counts);
        }, cancellationToken);

    /// <summary>Every submitted joint section-E assessment, newest first (drafts stay with the two organizations).</summary>
    public Task<Outcome<IReadOnlyList<JointRow>>> JointSubmittedAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<JointRow>>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReviewers);
            var joints = await (from j in op.Db.JointAssessments
                                where j.SubmittedAt != null
                                join plan in op.Db.Organizations on j.PlanOrganizationId equals plan.Id
                                join provider in op.Db.Organizations on j.ProviderOrganizationId equals provider.Id
                                select new { j.Id, Plan = plan.Name, Provider = provider.Name, j.Cycle, SubmittedAt = j.SubmittedAt!.Value })
                .AsNoTracking().ToListAsync(op.Cancellation);
            var ids = joints.Select(j => j.Id).ToList();
            var answers = await op.Db.JointAssessments.AsNoTracking().Where(j => ids.Contains(j.Id)).SelectMany(j => j.Answers)
                .Select(a => new { a.JointAssessmentId, a.CriterionId, a.Answer }).ToListAsync(op.Cancellation);
            var differences = answers.GroupBy(a => a.JointAssessmentId).ToDictionary(
                g => g.Key,
                g => g.GroupBy(a => a.CriterionId).Count(c => c.All(a => a.Answer != Answer.Open) && c.Select(a => a.Answer).Distinct().Count() > 1));
            return joints.OrderByDescending(j => j.SubmittedAt)
                .Select(j => new JointRow(j.Id, j.Plan, j.Provider, j.Cycle, j.SubmittedAt, differences.GetValueOrDefault(j.Id)))
                .ToList();
        }, cancellationToken);

    private static async Task<Outcome<IReadOnlyList<StatewideRow>>> LatestAsync(Operation op, OrganizationKind kind)
    {
        var db = op.Db;

        // Each plan's latest round that stands (a withdrawn round was taken back before anyone reviewed it), chosen in the database.
        var standing = db.Submissions.Where(s => s.Decision != Decision.Withdrawn);
        var latest = from s in standing
                     join o in db.Organizations on s.OrganizationId equals o.Id
                     where o.Kind == kind
                           && s.SubmittedAt == standing.Where(x => x.OrganizationId == s.OrganizationId).Max(x => x.SubmittedAt)
                     select s;
        var rows = await (from s in latest
                          join a in db.Assessments on s.AssessmentId equals a.Id
                          join o in db.Organizations on s.OrganizationId equals o.Id
                          select new { s.Id, s.AssessmentId, o.Name, o.PlanModel, o.CountyFips, a.Cycle, s.Round, s.Decision, s.SubmittedAt })
            .AsNoTracking().ToListAsync(op.Cancellation);
        var answers = await (from answer in db.SubmittedAnswers
                             join element in db.SubmittedElements on answer.SubmittedElementId equals element.Id
                             join s in latest on element.SubmissionId equals s.Id
                             join definition in db.Elements on element.ElementId equals definition.Id
                             select new { element.SubmissionId, element.Id, Section = definition.Section!.Code, answer.Kind, answer.Answer })
            .AsNoTracking().ToListAsync(op.Cancellation);

        var bySubmission = answers.ToLookup(a => a.SubmissionId);
        return rows
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r =>
            {
                var elements = bySubmission[r.Id].GroupBy(a => (a.Section, a.Id))
                    .Select(e => (e.Key.Section, Answers: (IReadOnlyCollection<(CriterionKind, Answer)>)e.Select(a => (a.Kind, a.Answer)).ToList()))
                    .ToList();
                return new StatewideRow(
                    r.AssessmentId, r.Name, r.PlanModel, r.CountyFips, CaliforniaCounties.Describe(r.CountyFips), r.Cycle, r.Round, r.Decision, r.SubmittedAt,
                    Scoring.Summarize(elements.Select(e => e.Answers)),
                    elements.GroupBy(e => e.Section).OrderBy(g => g.Key, StringComparer.Ordinal)
                        .Select(g => new SectionProgress(g.Key, Scoring.Summarize(g.Select(e => e.Answers)))).ToList());
            })
            .ToList();
    }
}
