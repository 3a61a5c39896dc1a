using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Surveys;

/// <summary>
/// What the portal already knows about an organization, for the survey questions mapped to it: its active partners and
/// the counties they serve, the elements at minimum in its latest submitted self-assessment, its open action items. Read
/// in the organization member's own operation (the access filters show them only their organization's data), with the
/// source in words so the respondent can judge it.
/// </summary>
public static class PortalFacts
{
    /// <summary>The fact for each source the questions use (a source with nothing known is left out).</summary>
    public static async Task<Dictionary<(PortalSource, QuestionKind), PortalFact>> ForAsync(Operation op, Guid organizationId, IEnumerable<QuestionDefinition> questions)
    {
        ArgumentNullException.ThrowIfNull(op);
        var facts = new Dictionary<(PortalSource, QuestionKind), PortalFact>();
        foreach (var key in questions.Where(q => q.Source != PortalSource.None).Select(q => (q.Source, q.Kind)).Distinct())
        {
            if (await ForAsync(op, organizationId, key.Source, key.Kind) is { } fact)
            {
                facts[key] = fact;
            }
        }

        return facts;
    }

    public static async Task<PortalFact?> ForAsync(Operation op, Guid organizationId, PortalSource source, QuestionKind kind)
    {
        ArgumentNullException.ThrowIfNull(op);
        switch (source)
        {
            case PortalSource.PartnersAndCounties:
                {
                    var partnerships = await op.Db.Partnerships.AsNoTracking()
                        .Where(p => p.Status == PartnershipStatus.Active && (p.PlanOrganizationId == organizationId || p.ProviderOrganizationId == organizationId))
                        .Select(p => new { Partner = p.PlanOrganizationId == organizationId ? p.ProviderOrganizationId : p.PlanOrganizationId, p.CountyFips })
                        .ToListAsync(op.Cancellation);
                    var partners = partnerships.Select(p => p.Partner).Distinct().Count();
                    var perCounty = partnerships.SelectMany(p => p.CountyFips.Distinct().Select(f => (Fips: f, p.Partner))).Distinct()
                        .GroupBy(c => c.Fips).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                    var counties = perCounty.Count == 0 ? "no counties"
                        : "counties " + string.Join(", ", perCounty.Select(c => (Name: CaliforniaCounties.ByFips(c.Key)?.Name ?? c.Key, c.Value)).OrderBy(c => c.Name, StringComparer.Ordinal)
                            .Select(c => $"{c.Name} ({c.Value})"));
                    var note = $"From your partners list: {Count(partners, "active partner")}, {counties}.";
                    if (kind == QuestionKind.CountyGrid)
                    {
                        return perCounty.Count == 0 ? null : new PortalFact(SurveyValue.Grid(perCounty), note);
                    }

                    return new PortalFact(SurveyValue.Of(partners), note);
                }

            case PortalSource.ElementLevels:
                {
                    var latest = await (from s in op.Db.Submissions.AsNoTracking()
                                        join a in op.Db.Assessments on s.AssessmentId equals a.Id
                                        where s.OrganizationId == organizationId && s.Decision != Decision.Withdrawn
                                        orderby s.SubmittedAt descending
                                        select new { s.Id, a.Cycle, s.SubmittedAt }).FirstOrDefaultAsync(op.Cancellation);
                    if (latest is null)
                    {
                        return null;
                    }

                    var answers = await (from e in op.Db.SubmittedElements.AsNoTracking()
                                         join x in op.Db.SubmittedAnswers on e.Id equals x.SubmittedElementId
                                         where e.SubmissionId == latest.Id
                                         select new { e.Id, x.Kind, x.Answer }).ToListAsync(op.Cancellation);
                    var levels = answers.GroupBy(a => a.Id).Select(g => Scoring.LevelOf(g.Select(a => (a.Kind, a.Answer)).ToList())).ToList();
                    var atMinimum = levels.Count(l => l is Level.MeetsMinimum or Level.MeetsEnhancement);
                    return new PortalFact(SurveyValue.Of(atMinimum),
                        $"From your {latest.Cycle} self-assessment (submitted {latest.SubmittedAt:MMMM d, yyyy}): {atMinimum} of {levels.Count} elements at minimum or better.");
                }

            case PortalSource.ActionItemCounts:
                {
                    var open = await op.Db.ActionItems.AsNoTracking()
                        .CountAsync(i => i.OrganizationId == organizationId && (i.Status == ActionStatus.Planned || i.Status == ActionStatus.InProgress), op.Cancellation);
                    return new PortalFact(SurveyValue.Of(open), $"From your action plan: {Count(open, "open item")}.");
                }

            default:
                return null;
        }
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString(CultureInfo.InvariantCulture)} {noun}s";
}
