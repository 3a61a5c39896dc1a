using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Api;

/// <summary>
/// The read-only API's queries, for statewide reviewers and administrators. Only submitted work is read: an assessment
/// is its latest submitted round that stands (a withdrawn round does not), with each element's level derived from the
/// round's frozen answers by the guide's scoring (<see cref="Scoring"/>), never from an organization's working answers;
/// action items are counted for assessments with such a round only. Each list is filtered and paged in the database, in
/// a fixed number of commands whatever the page size or the number of organizations.
/// </summary>
public sealed class StatewideApi(OperationRunner operations, TimeProvider time)
{
    private const string OnlyReaders = "Only statewide reviewers and administrators read the statewide data.";

    /// <summary>The cycles with a submitted round that stands, latest first, with how many plans and providers submitted.</summary>
    public Task<Outcome<ApiPage<ApiCycle>>> CyclesAsync(ClaimsPrincipal principal, Paging paging, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ApiPage<ApiCycle>>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReaders);
            var submitted = await (from s in op.Db.Submissions
                                   where s.Decision != Decision.Withdrawn
                                   join a in op.Db.Assessments on s.AssessmentId equals a.Id
                                   join o in op.Db.Organizations on s.OrganizationId equals o.Id
                                   select new { a.Cycle, s.OrganizationId, o.Kind })
                .Distinct().AsNoTracking().ToListAsync(op.Cancellation);
            var cycles = submitted.GroupBy(s => s.Cycle)
                .Select(g => (Label: g.Key, Cycle: ReportingCycle.Of(g.Key), Rows: g.ToList()))
                .OrderByDescending(c => c.Cycle).ThenBy(c => c.Label, StringComparer.Ordinal)
                .Select(c => new ApiCycle(c.Label, c.Cycle?.Starts, c.Cycle?.Ends,
                    c.Rows.Count(r => r.Kind == OrganizationKind.ManagedCarePlan), c.Rows.Count(r => r.Kind == OrganizationKind.PalliativeCareProvider)))
                .ToList();
            return Page(cycles.Skip(paging.Skip).Take(paging.PageSize).ToList(), paging, cycles.Count);
        }, cancellationToken);

    /// <summary>Organizations, by name, filtered by kind, plan model, county and id.</summary>
    public Task<Outcome<ApiPage<ApiOrganization>>> OrganizationsAsync(ClaimsPrincipal principal, ApiOrganizationFilter filter, Paging paging, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ApiPage<ApiOrganization>>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReaders);
            var organizations = Filtered(op.Db.Organizations, filter);
            var total = await organizations.CountAsync(op.Cancellation);
            var rows = await organizations.OrderBy(o => o.Name).ThenBy(o => o.Id)
                .Skip(paging.Skip).Take(paging.PageSize)
                .Select(o => new { o.Id, o.Name, o.Kind, o.PlanModel, o.CountyFips, o.ProviderType })
                .AsNoTracking().ToListAsync(op.Cancellation);
            return Page(rows.Select(o => new ApiOrganization(o.Id, o.Name, o.Kind, ModelOf(o.Kind, o.PlanModel), Counties(o.CountyFips), o.ProviderType)).ToList(), paging, total);
        }, cancellationToken);

    /// <summary>
    /// Each organization's latest submitted round of each cycle (of <paramref name="cycle"/> only when named), by
    /// organization and cycle, with every element's level and the round's progress.
    /// </summary>
    public Task<Outcome<ApiPage<ApiAssessment>>> AssessmentsAsync(ClaimsPrincipal principal, string? cycle, ApiOrganizationFilter filter, Paging paging, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ApiPage<ApiAssessment>>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReaders);
            var db = op.Db;
            var standing = db.Submissions.Where(s => s.Decision != Decision.Withdrawn);
            var assessments = cycle is null ? db.Assessments : db.Assessments.Where(a => a.Cycle == cycle);
            var latest = from s in standing
                         where s.Round == standing.Where(x => x.AssessmentId == s.AssessmentId).Max(x => x.Round)
                         join a in assessments on s.AssessmentId equals a.Id
                         join o in Filtered(db.Organizations, filter) on s.OrganizationId equals o.Id
                         select new { s.Id, s.AssessmentId, s.OrganizationId, o.Name, o.Kind, o.PlanModel, o.CountyFips, a.Cycle, s.Round, s.SubmittedAt, s.Decision, s.DecidedAt };
            var total = await latest.CountAsync(op.Cancellation);
            var rows = await latest.OrderBy(r => r.Name).ThenBy(r => r.Cycle).ThenBy(r => r.Id)
                .Skip(paging.Skip).Take(paging.PageSize)
                .AsNoTracking().ToListAsync(op.Cancellation);
            if (rows.Count == 0)
            {
                return Page(new List<ApiAssessment>(), paging, total);
            }

            var rounds = rows.Select(r => r.Id).ToList();
            var answers = await (from answer in db.SubmittedAnswers
                                 join element in db.SubmittedElements on answer.SubmittedElementId equals element.Id
                                 where rounds.Contains(element.SubmissionId)
                                 select new { element.SubmissionId, SubmittedElementId = element.Id, element.ElementId, answer.Kind, answer.Answer })
                .AsNoTracking().ToListAsync(op.Cancellation);
            var elementIds = answers.Select(a => a.ElementId).Distinct().ToList();
            var definitions = await db.Elements.AsNoTracking().Where(e => elementIds.Contains(e.Id))
                .Select(e => new { e.Id, Section = e.Section!.Code, SectionOrder = e.Section!.Order, e.Order, e.Code, e.Title })
                .ToDictionaryAsync(e => e.Id, op.Cancellation);
            var byRound = answers.ToLookup(a => a.SubmissionId);
            var items = rows.Select(r =>
            {
                var elements = byRound[r.Id].GroupBy(a => (a.SubmittedElementId, a.ElementId))
                    .Select(e => (Definition: definitions[e.Key.ElementId], Answers: (IReadOnlyCollection<(CriterionKind, Answer)>)e.Select(a => (a.Kind, a.Answer)).ToList()))
                    .OrderBy(e => e.Definition.SectionOrder).ThenBy(e => e.Definition.Order)
                    .ToList();
                var progress = Scoring.Summarize(elements.Select(e => e.Answers));
                return new ApiAssessment(r.AssessmentId, r.OrganizationId, r.Name, r.Kind, ModelOf(r.Kind, r.PlanModel), r.CountyFips, r.Cycle, r.Round, DateTime.SpecifyKind(r.SubmittedAt, DateTimeKind.Utc), r.Decision, r.DecidedAt is { } decided ? DateTime.SpecifyKind(decided, DateTimeKind.Utc) : null,
                    new ApiProgress(progress.Elements, progress.Assessed, progress.AtMinimum, progress.AtEnhancement),
                    elements.Select(e => new ApiElementLevel(e.Definition.Section, e.Definition.Code, e.Definition.Title, Scoring.LevelOf(e.Answers))).ToList());
            }).ToList();
            return Page(items, paging, total);
        }, cancellationToken);

    /// <summary>Partnerships, by plan and provider, filtered by status, county, plan and provider.</summary>
    public Task<Outcome<ApiPage<ApiPartnership>>> PartnershipsAsync(ClaimsPrincipal principal, ApiPartnershipFilter filter, Paging paging, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ApiPage<ApiPartnership>>(principal, async op =>
        {
            ArgumentNullException.ThrowIfNull(filter);
            op.Demand(Permission.ViewStatewide, OnlyReaders);
            var partnerships = op.Db.Partnerships.AsQueryable();
            if (filter.Status is { } status)
            {
                partnerships = partnerships.Where(p => p.Status == status);
            }

            if (filter.CountyFips is { } county)
            {
                partnerships = partnerships.Where(p => p.CountyFips.Contains(county));
            }

            if (filter.PlanId is { } planId)
            {
                partnerships = partnerships.Where(p => p.PlanOrganizationId == planId);
            }

            if (filter.ProviderId is { } providerId)
            {
                partnerships = partnerships.Where(p => p.ProviderOrganizationId == providerId);
            }

            var rows = from p in partnerships
                       join plan in op.Db.Organizations on p.PlanOrganizationId equals plan.Id
                       join provider in op.Db.Organizations on p.ProviderOrganizationId equals provider.Id
                       select new { p.Id, p.PlanOrganizationId, Plan = plan.Name, p.ProviderOrganizationId, Provider = provider.Name, p.Status, p.StatusSince, p.CountyFips, p.Services, p.ContractStart, p.ContractEnd, p.MonthlyReferralCapacity };
            var total = await rows.CountAsync(op.Cancellation);
            var page = await rows.OrderBy(p => p.Plan).ThenBy(p => p.Provider).ThenBy(p => p.Id)
                .Skip(paging.Skip).Take(paging.PageSize)
                .AsNoTracking().ToListAsync(op.Cancellation);
            return Page(page.Select(p => new ApiPartnership(p.Id, p.PlanOrganizationId, p.Plan, p.ProviderOrganizationId, p.Provider, p.Status, p.StatusSince, p.CountyFips, p.Services,
                p.ContractStart, p.ContractEnd, p.MonthlyReferralCapacity)).ToList(), paging, total);
        }, cancellationToken);

    /// <summary>
    /// Per organization and assessment with a submitted round that stands, how many action items there are in each status
    /// and how many are overdue; filtered by cycle and by the organizations' kind, plan model, county and id.
    /// </summary>
    public Task<Outcome<ApiPage<ApiActionItemCounts>>> ActionItemCountsAsync(ClaimsPrincipal principal, string? cycle, ApiOrganizationFilter filter, Paging paging, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ApiPage<ApiActionItemCounts>>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyReaders);
            var db = op.Db;
            var today = CaliforniaTime.Today(time);
            var assessments = db.Assessments.Where(a => db.Submissions.Any(s => s.AssessmentId == a.Id && s.Decision != Decision.Withdrawn));
            if (cycle is not null)
            {
                assessments = assessments.Where(a => a.Cycle == cycle);
            }

            var counts = from i in db.ActionItems
                         join a in assessments on i.AssessmentId equals a.Id
                         join o in Filtered(db.Organizations, filter) on i.OrganizationId equals o.Id
                         group i by new { i.OrganizationId, o.Name, i.AssessmentId, a.Cycle } into g
                         select new
                         {
                             g.Key.OrganizationId,
                             g.Key.Name,
                             g.Key.AssessmentId,
                             g.Key.Cycle,
                             Planned = g.Count(i => i.Status == ActionStatus.Planned),
                             InProgress = g.Count(i => i.Status == ActionStatus.InProgress),
                             Done = g.Count(i => i.Status == ActionStatus.Done),
                             Dropped = g.Count(i => i.Status == ActionStatus.Dropped),
                             Overdue = g.Count(i => (i.Status == ActionStatus.Planned || i.Status == ActionStatus.InProgress) && i.DueDate < today),
                             Total = g.Count(),
                         };
            var total = await counts.CountAsync(op.Cancellation);
            var page = await counts.OrderBy(c => c.Name).ThenBy(c => c.Cycle).ThenBy(c => c.AssessmentId)
                .Skip(paging.Skip).Take(paging.PageSize)
                .ToListAsync(op.Cancellation);
            return Page(page.Select(c => new ApiActionItemCounts(c.OrganizationId, c.Name, c.AssessmentId, c.Cycle, c.Planned, c.InProgress, c.Done, c.Dropped, c.Overdue, c.Total)).ToList(), paging, total);
        }, cancellationToken);

    private static IQueryable<Organization> Filtered(IQueryable<Organization> organizations, ApiOrganizationFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Kind is { } kind)
        {
            organizations = organizations.Where(o => o.Kind == kind);
        }

        if (filter.PlanModel is { } model)
        {
            organizations = organizations.Where(o => o.Kind == OrganizationKind.ManagedCarePlan && o.PlanModel == model);
        }

        if (filter.CountyFips is { } county)
        {
            organizations = organizations.Where(o => o.CountyFips.Contains(county));
        }

        if (filter.OrganizationId is { } id)
        {
            organizations = organizations.Where(o => o.Id == id);
        }

        return organizations;
    }

    private static PlanModel? ModelOf(OrganizationKind kind, PlanModel model) => kind == OrganizationKind.ManagedCarePlan && model != PlanModel.None ? model : null;

    private static List<ApiCounty> Counties(IReadOnlyList<string> fips) =>
        fips.Select(CaliforniaCounties.ByFips).OfType<CaliforniaCounty>().Select(c => new ApiCounty(c.Fips, c.Name)).ToList();

    /// <summary>The page without its next address (the endpoint knows the request's address and adds it).</summary>
    private static ApiPage<T> Page<T>(IReadOnlyList<T> items, Paging paging, int total) => new(items, paging.Page, paging.PageSize, total, null);
}
