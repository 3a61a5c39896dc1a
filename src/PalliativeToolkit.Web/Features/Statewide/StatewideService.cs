using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Web.Features.Statewide;

public sealed record SectionProgress(string Code, Progress Progress);

public sealed record StatewideRow(
    Guid AssessmentId, string PlanName, PlanModel PlanModel, string Counties, string Cycle, AssessmentStatus Status, DateTime SubmittedAt,
    Progress Overall, IReadOnlyList<SectionProgress> Sections);

/// <summary>Reviewers' view: every plan's latest submitted assessment with its progress per section.</summary>
public sealed class StatewideService(IDbContextFactory<ToolkitDbContext> dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<StatewideRow>?> LatestSubmittedAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await AccessScope.ForAsync(db, principal, time, cancellationToken);
        if (!user.SeesSubmittedWork)
        {
            return null;
        }

        // The latest submission per plan is chosen in the database; only those graphs are loaded.
        var latest = await db.VisibleAssessments(user)
            .Where(a => a.SubmittedAt != null && a.Organization!.Kind == OrganizationKind.ManagedCarePlan)
            .GroupBy(a => a.OrganizationId)
            .Select(g => g.OrderByDescending(a => a.SubmittedAt).Select(a => a.Id).First())
            .ToListAsync(cancellationToken);
        var submitted = await db.Assessments
            .Where(a => latest.Contains(a.Id))
            .Include(a => a.Organization)
            .Include(a => a.Elements).ThenInclude(e => e.Criteria)
            .Include(a => a.Elements).ThenInclude(e => e.Element!).ThenInclude(e => e.Section)
            .AsSplitQuery()
            .AsNoTracking()
            .ToListAsync(cancellationToken);

        return submitted
            .OrderBy(a => a.Organization!.Name)
            .Select(a => new StatewideRow(
                a.Id, a.Organization!.Name, a.Organization.PlanModel, a.Organization.Counties, a.Cycle, a.Status, a.SubmittedAt!.Value,
                a.Progress(),
                a.Elements.Select(e => e.Element!.Section!).DistinctBy(s => s.Code).OrderBy(s => s.Code, StringComparer.Ordinal)
                    .Select(s => new SectionProgress(s.Code, a.ProgressOf(s.Code))).ToList()))
            .ToList();
    }
}
