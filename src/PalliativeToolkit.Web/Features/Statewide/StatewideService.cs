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
    Guid AssessmentId, string PlanName, PlanModel PlanModel, IReadOnlyList<string> CountyFips, string Counties, string Cycle, int Round, Decision Decision, DateTime SubmittedAt,
    Progress Overall, IReadOnlyList<SectionProgress> Sections);

/// <summary>
/// Reviewers' view: every plan's latest submitted round, with its progress per section, computed with the guide's
/// scoring from the round's frozen answers. A fixed number of database commands, however many plans there are.
/// </summary>
public sealed class StatewideService(OperationRunner operations)
{
    public Task<Outcome<IReadOnlyList<StatewideRow>>> LatestSubmittedAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<StatewideRow>>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, "Only statewide reviewers and administrators see every plan's submissions.");
            var db = op.Db;

            // Each plan's latest round that stands (a withdrawn round was taken back before anyone reviewed it), chosen in the database.
            var standing = db.Submissions.Where(s => s.Decision != Decision.Withdrawn);
            var latest = from s in standing
                         join o in db.Organizations on s.OrganizationId equals o.Id
                         where o.Kind == OrganizationKind.ManagedCarePlan
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
        }, cancellationToken);
}
