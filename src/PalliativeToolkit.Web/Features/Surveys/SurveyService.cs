using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Features.Surveys;

/// <summary>
/// The annual surveys as statewide reviewers run them: the question bank, the waves built from it (per audience and year,
/// opened and closed), the list of organizations that have not submitted, and reminders through the notifications. Also
/// the surveys page's list for everyone.
/// </summary>
public sealed class SurveyService(OperationRunner operations, Notifier notifier, TimeProvider time, ILogger<SurveyService> logger)
{
    public const string OnlyReviewers = "Only statewide reviewers run the surveys.";
    private const string NoWave = "That survey does not exist or you do not have access to it.";
    private readonly QuestionValidator _questionValidator = new();
    private readonly WaveValidator _waveValidator = new();

    /// <summary>Reviewers: every wave. Members: the waves of their organizations' audiences that have opened, with their response's state.</summary>
    public Task<Outcome<SurveysView>> ListAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<SurveysView>(principal, async op =>
        {
            var runs = op.Viewer.May(Permission.RunSurveys);
            var statewide = op.Viewer.May(Permission.ViewStatewide);
            var today = CaliforniaTime.Today(time);
            var own = op.Viewer.OrganizationIds;
            var mine = await op.Db.Organizations.AsNoTracking().Where(o => own.Contains(o.Id) && o.Kind != OrganizationKind.StatewideSupport)
                .OrderBy(o => o.Name).Select(o => new { o.Id, o.Kind }).ToListAsync(op.Cancellation);
            var audiences = mine.Select(o => SurveyText.AudienceOf(o.Kind)!.Value).Distinct().ToList();
            if (!statewide && audiences.Count == 0)
            {
                return new SurveysView(false, []);
            }

            var waves = await op.Db.SurveyInstruments.AsNoTracking()
                .Where(i => statewide || (audiences.Contains(i.Audience) && i.Status != SurveyStatus.Draft))
                .Select(i => new { i.Id, i.Title, i.Audience, i.Year, i.OpensOn, i.ClosesOn, i.Status, Questions = i.Items.Count })
                .ToListAsync(op.Cancellation);
            var ids = waves.Select(w => w.Id).ToList();
            await using var portal = operations.OpenAsSystem(op.Cancellation);
            var submitted = await portal.Db.SurveyResponses.AsNoTracking().Where(r => ids.Contains(r.InstrumentId) && r.SubmittedAt != null)
                .GroupBy(r => r.InstrumentId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, op.Cancellation);
            var sizes = await portal.Db.Organizations.AsNoTracking().Where(o => o.Kind != OrganizationKind.StatewideSupport)
                .GroupBy(o => o.Kind).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, op.Cancellation);
            var myIds = mine.Select(o => o.Id).ToList();
            var responses = await op.Db.SurveyResponses.AsNoTracking().Where(r => ids.Contains(r.InstrumentId) && myIds.Contains(r.OrganizationId))
                .Select(r => new { r.InstrumentId, r.OrganizationId, r.SubmittedAt }).ToListAsync(op.Cancellation);
            var list = waves
                .OrderByDescending(w => w.Year).ThenBy(w => w.Audience)
                .Select(w =>
                {
                    var org = mine.FirstOrDefault(o => SurveyText.AudienceOf(o.Kind) == w.Audience)?.Id;
                    var response = org is null ? null : responses.FirstOrDefault(r => r.InstrumentId == w.Id && r.OrganizationId == org);
                    ResponseState? state = org is null ? null : response is null ? ResponseState.NotStarted : response.SubmittedAt is null ? ResponseState.InProgress : ResponseState.Submitted;
                    var answerable = w.Status == SurveyStatus.Open && today >= w.OpensOn && today <= w.ClosesOn;
                    return new WaveSummary(w.Id, w.Title, w.Audience, w.Year, w.OpensOn, w.ClosesOn, w.Status, w.Questions, submitted.GetValueOrDefault(w.Id),
                        sizes.GetValueOrDefault(w.Audience.Kind()), answerable, state, org);
                })
                .ToList();
            return new SurveysView(runs, list);
        }, cancellationToken);

    public Task<Outcome<IReadOnlyList<BankQuestion>>> BankAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<BankQuestion>>(principal, async op =>
        {
            op.Demand(Permission.RunSurveys, OnlyReviewers);
            return Outcome.Ok(await ReadBankAsync(op));
        }, cancellationToken);

    private static async Task<IReadOnlyList<BankQuestion>> ReadBankAsync(Operation op)
    {
        var questions = await op.Db.SurveyQuestions.AsNoTracking().OrderBy(q => q.CreatedAt).ToListAsync(op.Cancellation);
        var used = await op.Db.SurveyItems.AsNoTracking().GroupBy(i => i.QuestionId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, op.Cancellation);
        return questions.Select(q => new BankQuestion(q.Id, q.Definition, q.RetiredAt is not null, used.GetValueOrDefault(q.Id))).ToList();
    }

    public Task<Outcome<Guid>> AddQuestionAsync(ClaimsPrincipal principal, QuestionCommand command, CancellationToken cancellationToken = default) =>
        operations.RunAsync<QuestionCommand, Guid>(principal, command, _questionValidator, async op =>
        {
            op.Demand(Permission.RunSurveys, OnlyReviewers);
            var definition = command.ToDefinition();
            if (definition.Problem() is { } problem)
            {
                return Failure.FieldError(nameof(QuestionCommand.Options), problem);
            }

            var question = new SurveyQuestion(definition, op.Now, op.Viewer.UserId);
            op.Db.SurveyQuestions.Add(question);
            await op.SaveAsync();
            return question.Id;
        }, cancellationToken);

    public Task<Outcome<Done>> RetireQuestionAsync(ClaimsPrincipal principal, Guid questionId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.RunSurveys, OnlyReviewers);
            var question = await op.Db.SurveyQuestions.SingleOrDefaultAsync(q => q.Id == questionId, op.Cancellation);
            if (question is null)
            {
                return Failure.Missing("That question does not exist.");
            }

            question.Retire(op.Now);
            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);

    public Task<Outcome<Guid>> CreateWaveAsync(ClaimsPrincipal principal, WaveCommand command, CancellationToken cancellationToken = default) =>
        operations.RunAsync<WaveCommand, Guid>(principal, command, _waveValidator, async op =>
        {
            op.Demand(Permission.RunSurveys, OnlyReviewers);
            if (command.Year > op.Now.Year + 1)
            {
                return Failure.FieldError(nameof(WaveCommand.Year), $"Choose a year up to {op.Now.Year + 1}.");
            }

            if (await op.Db.SurveyInstruments.AnyAsync(i => i.Audience == command.Audience && i.Year == command.Year, op.Cancellation))
            {
                return Failure.FieldError(nameof(WaveCommand.Year), $"There is already a {command.Year} survey of {command.Audience.Describe().ToLowerInvariant()}.");
            }

            var wave = new SurveyInstrument(command.Title, command.Audience, command.Year, command.OpensOn!.Value, command.ClosesOn!.Value, op.Now, op.Viewer.UserId);
            op.Db.SurveyInstruments.Add(wave);
            await op.SaveAsync();
            logger.LogInformation("Survey wave {InstrumentId} created: {Audience} {Year}", wave.Id, wave.Audience, wave.Year);
            return wave.Id;
        }, cancellationToken);

    public Task<Outcome<WaveView>> GetWaveAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<WaveView>(principal, async op =>
        {
            op.Demand(Permission.RunSurveys, OnlyReviewers);
            var wave = await op.Db.SurveyInstruments.AsNoTracking().Include(i => i.Items).SingleOrDefaultAsync(i => i.Id == id, op.Cancellation);
            if (wave is null)
            {
                return Failure.Missing(NoWave);
            }

            return new WaveView(wave.Id, wave.Version, wave.Title, wave.Audience, wave.Year, wave.OpensOn, wave.ClosesOn, wave.Status, wave.RemindedAt,
                wave.Items.OrderBy(i => i.Order).Select(i => new WaveItem(i.Id, i.Code, i.Definition)).ToList(), await ReadBankAsync(op));
        }, cancellationToken);

    /// <summary>Changes the wave's title and dates, if it is still as the page showed it.</summary>
    public Task<Outcome<Guid>> RescheduleAsync(ClaimsPrincipal principal, Guid id, Guid expectedVersion, WaveCommand command, CancellationToken cancellationToken = default) =>
        operations.RunAsync<WaveCommand, Guid>(principal, command, _waveValidator, op => ChangeAsync(op, id, expectedVersion, wave => wave.Reschedule(command.Title, command.OpensOn!.Value, command.ClosesOn!.Value)), cancellationToken);

    public Task<Outcome<Guid>> AddItemAsync(ClaimsPrincipal principal, Guid id, Guid expectedVersion, Guid questionId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Guid>(principal, async op =>
        {
            var question = await op.Db.SurveyQuestions.SingleOrDefaultAsync(q => q.Id == questionId, op.Cancellation);
            if (question is null)
            {
                return Failure.FieldError("Question", "Choose a question of the bank.");
            }

            return await ChangeAsync(op, id, expectedVersion, wave => wave.Add(question));
        }, cancellationToken);

    public Task<Outcome<Guid>> RemoveItemAsync(ClaimsPrincipal principal, Guid id, Guid expectedVersion, Guid itemId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Guid>(principal, op => ChangeAsync(op, id, expectedVersion, wave => wave.Remove(itemId)), cancellationToken);

    public Task<Outcome<Guid>> MoveItemAsync(ClaimsPrincipal principal, Guid id, Guid expectedVersion, Guid itemId, int by, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Guid>(principal, op => ChangeAsync(op, id, expectedVersion, wave => wave.Move(itemId, by)), cancellationToken);

    /// <summary>Opens the wave for answers; refused while another wave of its audience is open.</summary>
    public Task<Outcome<Guid>> OpenAsync(ClaimsPrincipal principal, Guid id, Guid expectedVersion, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Guid>(principal, async op =>
        {
            op.Demand(Permission.RunSurveys, OnlyReviewers);
            var audience = await op.Db.SurveyInstruments.Where(i => i.Id == id).Select(i => (SurveyAudience?)i.Audience).SingleOrDefaultAsync(op.Cancellation);
            var other = audience is null ? null : await op.Db.SurveyInstruments.AsNoTracking()
                .Where(i => i.Audience == audience && i.Status == SurveyStatus.Open && i.Id != id).Select(i => i.Title).FirstOrDefaultAsync(op.Cancellation);
            if (other is not null)
            {
                return Failure.Refuse($"\"{other}\" is open for the same organizations: close it before opening this one.");
            }

            return await ChangeAsync(op, id, expectedVersion, wave => wave.Open(op.Now));
        }, cancellationToken);

    public Task<Outcome<Guid>> CloseAsync(ClaimsPrincipal principal, Guid id, Guid expectedVersion, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Guid>(principal, op => ChangeAsync(op, id, expectedVersion, wave => wave.Close(op.Now)), cancellationToken);

    private async Task<Outcome<Guid>> ChangeAsync(Operation op, Guid id, Guid expectedVersion, Action<SurveyInstrument> change)
    {
        op.Demand(Permission.RunSurveys, OnlyReviewers);
        var wave = await op.Db.SurveyInstruments.Include(i => i.Items).SingleOrDefaultAsync(i => i.Id == id, op.Cancellation);
        if (wave is null)
        {
            return Failure.Missing(NoWave);
        }

        op.ExpectVersion(wave, expectedVersion);
        change(wave);
        await op.SaveAsync();
        logger.LogInformation("Survey wave {InstrumentId} changed: {Status}, {Items} questions", wave.Id, wave.Status, wave.Items.Count);
        return wave.Version;
    }

    /// <summary>
    /// Every organization of the wave's audience and where its response stands (not started, in progress with how many
    /// questions answered, submitted). Statuses and counts only: read by the portal itself, since a draft is its
    /// organization's alone.
    /// </summary>
    public Task<Outcome<ReminderList>> RemindersAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ReminderList>(principal, async op =>
        {
            op.Demand(Permission.RunSurveys, OnlyReviewers);
            var wave = await op.Db.SurveyInstruments.AsNoTracking().Where(i => i.Id == id)
                .Select(i => new { i.Id, i.Title, i.Audience, i.Status, i.RemindedAt, Questions = i.Items.Count }).SingleOrDefaultAsync(op.Cancellation);
            if (wave is null)
            {
                return Failure.Missing(NoWave);
            }

            await using var portal = operations.OpenAsSystem(op.Cancellation);
            var kind = wave.Audience.Kind();
            var organizations = await portal.Db.Organizations.AsNoTracking().Where(o => o.Kind == kind).OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(op.Cancellation);
            var responses = await portal.Db.SurveyResponses.AsNoTracking().Where(r => r.InstrumentId == id)
                .Select(r => new { r.OrganizationId, r.SubmittedAt, Answered = r.Answers.Count(a => a.Value != null), LastEdited = r.Answers.Max(a => a.EditedAt) })
                .ToListAsync(op.Cancellation);
            var rows = organizations.Select(o =>
            {
                var response = responses.FirstOrDefault(r => r.OrganizationId == o.Id);
                var state = response is null ? ResponseState.NotStarted : response.SubmittedAt is null ? ResponseState.InProgress : ResponseState.Submitted;
                return new ReminderRow(o.Id, o.Name, state, response?.Answered ?? 0, wave.Questions, response?.SubmittedAt ?? response?.LastEdited);
            }).OrderBy(r => r.State == ResponseState.Submitted).ThenBy(r => r.Organization, StringComparer.Ordinal).ToList();
            return new ReminderList(wave.Id, wave.Title, wave.Status, wave.RemindedAt, rows);
        }, cancellationToken);

    /// <summary>Reminds every organization of the audience that has not submitted (its managers and contributors), and records when.</summary>
    public async Task<Outcome<RemindersSent>> SendRemindersAsync(ClaimsPrincipal principal, Guid id, Uri? portal = null, CancellationToken cancellationToken = default)
    {
        var list = await RemindersAsync(principal, id, cancellationToken);
        if (!list.Succeeded)
        {
            return Outcome.Failed<RemindersSent>(list.Failure!);
        }

        var outstanding = list.Value.Outstanding.Select(r => r.OrganizationId).ToList();
        var recorded = await operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.RunSurveys, OnlyReviewers);
            var wave = await op.Db.SurveyInstruments.SingleAsync(i => i.Id == id, op.Cancellation);
            if (outstanding.Count == 0)
            {
                return Failure.Refuse("Every organization has submitted: there is nobody to remind.");
            }

            wave.Reminded(op.Now);
            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);
        if (!recorded.Succeeded)
        {
            return Outcome.Failed<RemindersSent>(recorded.Failure!);
        }

        var people = await notifier.SurveyReminderAsync(id, outstanding, principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty, portal);
        return new RemindersSent(outstanding.Count, people);
    }
}
