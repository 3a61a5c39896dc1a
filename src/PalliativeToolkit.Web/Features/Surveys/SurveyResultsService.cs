using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Features.Surveys;

/// <summary>
/// A wave's results: per question, the distribution of the submitted answers statewide, by plan model (plans) and by
/// region (an organization counts in each region it serves; reviewers only, as regions overlap), beside the previous year's wave of the same audience, and
/// the viewer's own organization's answers. Read by the portal itself (no organization can read another's answers) and
/// answered as aggregates only; beyond reviewers an open wave shows no figures (each submission would change them), and
/// a group of fewer than 5 organizations shows none, with the complementary suppression of
/// <see cref="CaliforniaProgressService.SuppressGroups{TKey}"/> (plan models partition the respondents; regions do not,
/// so they are not shown beyond reviewers).
/// </summary>
public sealed class SurveyResultsService(OperationRunner operations)
{
    private const string NotFound = "Those results do not exist or you do not have access to them.";
    public const string Statewide = "Statewide";
    public const string ByModel = "Plan model";
    public const string ByRegion = "Region";

    public Task<Outcome<SurveyResultsView>> GetAsync(ClaimsPrincipal principal, Guid instrumentId, Guid? organizationId = null, CancellationToken cancellationToken = default) =>
        operations.RunAsync<SurveyResultsView>(principal, async op =>
        {
            var wave = await op.Db.SurveyInstruments.AsNoTracking().Include(i => i.Items)
                .SingleOrDefaultAsync(i => i.Id == instrumentId && i.Status != SurveyStatus.Draft, op.Cancellation);
            if (wave is null)
            {
                return Failure.Missing(NotFound);
            }

            var everyGroup = op.Viewer.May(Permission.ViewStatewide);
            var own = op.Viewer.OrganizationIds;
            var kind = wave.Audience.Kind();
            var mine = await op.Db.Organizations.AsNoTracking().Where(o => own.Contains(o.Id) && o.Kind == kind && (organizationId == null || o.Id == organizationId))
                .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).FirstOrDefaultAsync(op.Cancellation);
            if (!everyGroup && mine is null)
            {
                return Failure.Missing(NotFound);
            }

            // The organization's own answers, through its member's own operation.
            var yours = mine is null ? [] : await (from a in op.Db.SurveyAnswers.AsNoTracking()
                                                   join r in op.Db.SurveyResponses on a.ResponseId equals r.Id
                                                   where r.InstrumentId == wave.Id && r.OrganizationId == mine.Id
                                                   select new { a.ItemId, a.Value, a.Origin }).ToListAsync(op.Cancellation);

            await using var portal = operations.OpenAsSystem(op.Cancellation);
            var organizations = await portal.Db.Organizations.AsNoTracking().CountAsync(o => o.Kind == kind, op.Cancellation);
            var current = await ReadAsync(portal, wave.Id);
            var previousWave = await portal.Db.SurveyInstruments.AsNoTracking().Include(i => i.Items)
                .Where(i => i.Audience == wave.Audience && i.Year < wave.Year && i.Status != SurveyStatus.Draft)
                .OrderByDescending(i => i.Year).FirstOrDefaultAsync(op.Cancellation);
            var previous = previousWave is null ? null : await ReadAsync(portal, previousWave.Id);

            var tooFew = !everyGroup && current.Respondents.Count < CaliforniaProgressService.SmallestGroup;
            // While a wave is open its figures change with each submission: comparing two readings would give away the
            // answers of the organization that submitted in between. Beyond reviewers, figures wait for the wave to close.
            var untilClosed = !everyGroup && wave.Status != SurveyStatus.Closed;
            var suppressed = tooFew || untilClosed;
            var models = wave.Audience == SurveyAudience.Plans ? current.Respondents.Values.GroupBy(r => r.Model).OrderBy(g => g.Key).ToList() : [];
            // Regions overlap (an organization counts in each region it serves, some in none), so complementary suppression
            // cannot protect them: statewide minus a shown region can isolate a hidden one. Only reviewers see regions.
            var regions = !everyGroup ? [] : CaliforniaCounties.Regions.Select(region => (Region: region, Members: current.Respondents.Values.Where(r => r.Regions.Contains(region)).ToList()))
                .Where(r => r.Members.Count > 0).ToList();
            var hiddenModels = everyGroup ? new HashSet<PlanModel>() : CaliforniaProgressService.SuppressGroups(models.Select(g => (g.Key, g.Count())).ToList());
            var previousSuppressed = previous is not null && !everyGroup
                && (previous.Respondents.Count < CaliforniaProgressService.SmallestGroup || previousWave!.Status != SurveyStatus.Closed);

            var questions = wave.Items.OrderBy(i => i.Order).Select(item =>
            {
                var categories = Categories(item.Definition);
                var answers = current.Answers.GetValueOrDefault(item.Id) ?? [];
                var groups = new List<GroupResult> { Tally(Statewide, Statewide, item.Definition, categories, answers, _ => true, suppressed) };
                if (!suppressed)
                {
                    groups.AddRange(models.Select(m => Tally(ByModel, m.Key.Describe(), item.Definition, categories, answers,
                        o => current.Respondents[o].Model == m.Key, hiddenModels.Contains(m.Key))));
                    groups.AddRange(regions.Select(r => Tally(ByRegion, r.Region, item.Definition, categories, answers,
                        o => current.Respondents[o].Regions.Contains(r.Region), false)));
                }

                GroupResult? before = null;
                if (previous is not null && previousWave!.Items.FirstOrDefault(i => i.QuestionId == item.QuestionId) is { } earlier && earlier.Kind == item.Kind)
                {
                    before = Tally($"{previousWave.Year}", $"Statewide, {previousWave.Year}", item.Definition, categories,
                        previous.Answers.GetValueOrDefault(earlier.Id) ?? [], _ => true, previousSuppressed);
                }

                var yourAnswer = yours.FirstOrDefault(a => a.ItemId == item.Id);
                return new QuestionResult(item.Code, item.Text, item.Kind, categories, groups, before,
                    SurveyValue.Parse(yourAnswer?.Value)?.Describe(), yourAnswer?.Origin ?? AnswerOrigin.None);
            }).ToList();

            return new SurveyResultsView(wave.Id, wave.Title, wave.Year, wave.Audience, wave.Status, organizations, current.Respondents.Count, everyGroup, tooFew,
                untilClosed, wave.ClosesOn, previousWave?.Year, mine?.Name, op.Viewer.May(Permission.RunSurveys), questions);
        }, cancellationToken);

    private sealed record Respondent(PlanModel Model, IReadOnlySet<string> Regions);

    private sealed record Reading(IReadOnlyDictionary<Guid, Respondent> Respondents, IReadOnlyDictionary<Guid, List<(Guid Organization, SurveyValue Value)>> Answers);

    /// <summary>The submitted responses of a wave: who answered (model, regions) and each question's answers.</summary>
    private static async Task<Reading> ReadAsync(Operation portal, Guid instrumentId)
    {
        var respondents = await (from r in portal.Db.SurveyResponses.AsNoTracking()
                                 join o in portal.Db.Organizations on r.OrganizationId equals o.Id
                                 where r.InstrumentId == instrumentId && r.SubmittedAt != null
                                 select new { o.Id, o.PlanModel, o.CountyFips }).ToListAsync(portal.Cancellation);
        var ids = respondents.Select(r => r.Id).ToList();
        var answers = await (from a in portal.Db.SurveyAnswers.AsNoTracking()
                             join r in portal.Db.SurveyResponses on a.ResponseId equals r.Id
                             where r.InstrumentId == instrumentId && r.SubmittedAt != null && a.Value != null
                             select new { a.ItemId, a.OrganizationId, a.Value }).ToListAsync(portal.Cancellation);
        return new Reading(
            respondents.ToDictionary(r => r.Id, r => new Respondent(r.PlanModel,
                r.CountyFips.Select(CaliforniaCounties.ByFips).OfType<CaliforniaCounty>().Select(c => c.Region).ToHashSet(StringComparer.Ordinal))),
            answers.GroupBy(a => a.ItemId).ToDictionary(g => g.Key, g => g.Select(a => (a.OrganizationId, SurveyValue.Parse(a.Value)!)).ToList()));
    }

    /// <summary>The columns of a question's distribution: its choices, the points of the scale, the regions (a county grid); none for a number or a text.</summary>
    internal static IReadOnlyList<string> Categories(QuestionDefinition question) => question.Kind switch
    {
        QuestionKind.SingleChoice or QuestionKind.MultipleChoice => question.Options,
        QuestionKind.Scale => ["1", "2", "3", "4", "5"],
        QuestionKind.CountyGrid => CaliforniaCounties.Regions,
        _ => [],
    };

    internal static GroupResult Tally(string dimension, string label, QuestionDefinition question, IReadOnlyList<string> categories,
        IReadOnlyList<(Guid Organization, SurveyValue Value)> answers, Func<Guid, bool> member, bool suppressed)
    {
        var chosen = answers.Where(a => member(a.Organization)).ToList();
        if (suppressed)
        {
            return new GroupResult(dimension, label, chosen.Count, true, [], null, null);
        }

        var counts = question.Kind switch
        {
            QuestionKind.SingleChoice or QuestionKind.MultipleChoice => categories.Select(c => chosen.Count(a => a.Value.Choices.Contains(c))).ToList(),
            QuestionKind.Scale => categories.Select((_, i) => chosen.Count(a => a.Value.Number == i + 1)).ToList(),
            QuestionKind.CountyGrid => categories.Select(region => chosen.Count(a => a.Value.Counties.Any(c => c.Value > 0 && CaliforniaCounties.ByFips(c.Key)?.Region == region))).ToList(),
            _ => [],
        };
        double? median = null;
        double? mean = null;
        if (question.Kind is QuestionKind.Number or QuestionKind.Scale && chosen.Count > 0)
        {
            var numbers = chosen.Select(a => (double)(a.Value.Number ?? 0)).Order().ToList();
            median = numbers.Count % 2 == 1 ? numbers[numbers.Count / 2] : (numbers[(numbers.Count / 2) - 1] + numbers[numbers.Count / 2]) / 2;
            mean = numbers.Average();
        }

        return new GroupResult(dimension, label, chosen.Count, false, counts, median, mean);
    }
}
