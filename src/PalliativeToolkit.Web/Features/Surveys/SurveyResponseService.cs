using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Surveys;

/// <summary>
/// An organization answering a survey wave: its members open the form (the response starts, with an empty answer per
/// question, the first time a manager or contributor opens it), answer question by question with autosave, and a manager
/// submits. A mapped question opens with what the portal knows and its source; the answer records whether it was
/// confirmed from that or corrected. Each answer has its own version: two people on different questions never collide,
/// and a save over someone else's newer answer is not made but answered with theirs, for the person to choose.
/// </summary>
public sealed class SurveyResponseService(OperationRunner operations, TimeProvider time, ILogger<SurveyResponseService> logger)
{
    private const string NotFound = "That survey does not exist or you do not have access to it.";

    /// <summary>
    /// The form of the wave for one of the viewer's organizations of its audience (<paramref name="organizationId"/>, or
    /// their first). Starts the response when a member who may answer opens it while the wave takes answers.
    /// </summary>
    public async Task<Outcome<SurveyFormView>> GetFormAsync(ClaimsPrincipal principal, Guid instrumentId, Guid? organizationId = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await operations.RunAsync<SurveyFormView>(principal, op => FormOnceAsync(op, instrumentId, organizationId), cancellationToken);
            // Two members opening the form at once both start the response: the second reads the first's.
            if (attempt == 2 || outcome.Failure is not Failure.Conflict)
            {
                return outcome;
            }
        }
    }

    private async Task<Outcome<SurveyFormView>> FormOnceAsync(Operation op, Guid instrumentId, Guid? organizationId)
    {
        var wave = await op.Db.SurveyInstruments.AsNoTracking().Include(i => i.Items).SingleOrDefaultAsync(i => i.Id == instrumentId && i.Status != SurveyStatus.Draft, op.Cancellation);
        if (wave is null)
        {
            return Failure.Missing(NotFound);
        }

        var own = op.Viewer.OrganizationIds;
        var kind = wave.Audience.Kind();
        var organization = await op.Db.Organizations.AsNoTracking()
            .Where(o => own.Contains(o.Id) && o.Kind == kind && (organizationId == null || o.Id == organizationId))
            .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).FirstOrDefaultAsync(op.Cancellation);
        if (organization is null)
        {
            return Failure.Missing(NotFound);
        }

        var today = CaliforniaTime.Today(time);
        var answerable = wave.IsAnswerable(today);
        var mayEdit = op.Viewer.May(OrganizationPermission.EditAssessments, organization.Id);
        var response = await op.Db.SurveyResponses.Include(r => r.Answers).SingleOrDefaultAsync(r => r.InstrumentId == wave.Id && r.OrganizationId == organization.Id, op.Cancellation);
        if (response is null && answerable && mayEdit)
        {
            var tracked = await op.Db.SurveyInstruments.Include(i => i.Items).SingleAsync(i => i.Id == wave.Id, op.Cancellation);
            response = SurveyResponse.Start(tracked, organization.Id, today, op.Now, op.Viewer.UserId);
            op.Db.SurveyResponses.Add(response);
            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
            {
                logger.LogInformation("Survey response of {OrganizationId} to {InstrumentId} was started by someone else at the same time", organization.Id, wave.Id);
                return Failure.Stale();
            }

            logger.LogInformation("Survey response {ResponseId} started for {OrganizationId}", response.Id, organization.Id);
        }

        var editors = response is null ? [] : response.Answers.Select(a => a.EditedBy).OfType<string>().Distinct().ToList();
        var names = await op.Db.Users.AsNoTracking().Where(u => editors.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, op.Cancellation);
        var submitter = response?.SubmittedBy is { } by ? await op.Db.Users.AsNoTracking().Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(op.Cancellation) : null;
        var editable = response is not null && !response.IsSubmitted && answerable && mayEdit;
        var facts = editable ? await PortalFacts.ForAsync(op, organization.Id, wave.Items.Select(i => i.Definition)) : [];
        var questions = wave.Items.OrderBy(i => i.Order).Select(i =>
        {
            var answer = response?.Answers.SingleOrDefault(a => a.ItemId == i.Id);
            return new QuestionForm
            {
                ItemId = i.Id,
                Code = i.Code,
                Definition = i.Definition,
                AnswerId = answer?.Id,
                Version = answer?.Version ?? Guid.Empty,
                Value = answer?.Read(),
                Origin = answer?.Origin ?? AnswerOrigin.None,
                EditedBy = answer?.EditedBy is { } editor ? names.GetValueOrDefault(editor) : null,
                Portal = i.Source == PortalSource.None ? null : facts.GetValueOrDefault((i.Source, i.Kind)),
            };
        }).ToList();
        return new SurveyFormView(wave.Id, response?.Id, organization.Id, organization.Name, wave.Title, wave.Year, wave.Audience, wave.ClosesOn,
            answerable, answerable ? null : SurveyResponse.ClosedMessage(wave, today), editable,
            editable && op.Viewer.May(OrganizationPermission.SubmitAssessments, organization.Id), response?.SubmittedAt, submitter, questions);
    }

    /// <summary>
    /// Saves one answer, if it is still at the version the page loaded; otherwise saves nothing and answers the stored
    /// answer and who saved it (<see cref="AnswerSaved.Conflict"/>). A value that does not fit the question is refused
    /// with the message for the field (<c>Value</c>).
    /// </summary>
    public async Task<Outcome<AnswerSaved>> SaveAnswerAsync(ClaimsPrincipal principal, SaveAnswerCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await operations.RunAsync<AnswerSaved>(principal, op => SaveOnceAsync(op, command), cancellationToken);
            // A save that raced another one to the row is read again: the stored answer then comes back as a conflict.
            if (attempt == 2 || outcome.Failure is not Failure.Conflict)
            {
                return outcome;
            }
        }
    }

    private async Task<Outcome<AnswerSaved>> SaveOnceAsync(Operation op, SaveAnswerCommand command)
    {
        var response = await op.Db.SurveyResponses.Include(r => r.Answers.Where(a => a.ItemId == command.ItemId))
            .SingleOrDefaultAsync(r => r.Id == command.ResponseId, op.Cancellation);
        var answer = response?.Answers.SingleOrDefault();
        if (response is null || answer is null || op.Viewer.RoleIn(response.OrganizationId) is null)
        {
            return Failure.Missing(NotFound);
        }

        op.Demand(OrganizationPermission.EditAssessments, response.OrganizationId, "You can read this survey but not answer it: managers and contributors answer.");
        var wave = await op.Db.SurveyInstruments.Include(i => i.Items).SingleAsync(i => i.Id == response.InstrumentId, op.Cancellation);
        var today = CaliforniaTime.Today(time);
        if (!wave.IsAnswerable(today))
        {
            return Failure.Refuse(SurveyResponse.ClosedMessage(wave, today));
        }

        if (response.IsSubmitted)
        {
            // Said as such, even to a page loaded before the submission (whose version is no longer the answer's).
            return Failure.Refuse("This response was submitted: it can no longer change.");
        }

        var item = wave.Items.Single(i => i.Id == command.ItemId);
        var (_, error) = item.Definition.Check(command.Value);
        // A written answer is read by reviewers and in exports: no character that disguises what it says.
        error ??= command.Value?.Text is { } written && !TextRules.IsPlainText(written) ? TextRules.HiddenCharactersMessage : null;
        if (error is not null)
        {
            return Failure.FieldError("Value", error);
        }

        if (answer.Version != command.ExpectedVersion)
        {
            var by = answer.EditedBy is { } editor ? await op.Db.Users.AsNoTracking().Where(u => u.Id == editor).Select(u => u.DisplayName).FirstOrDefaultAsync(op.Cancellation) : null;
            return new AnswerSaved(answer.Version, answer.Read(), answer.Origin, Conflict: true, by ?? "Someone else");
        }

        op.ExpectVersion(answer, command.ExpectedVersion);
        var fact = item.Source == PortalSource.None ? null : await PortalFacts.ForAsync(op, response.OrganizationId, item.Source, item.Kind);
        response.Record(item, command.Value, fact is null ? null : (fact.Value, fact.Note), op.Now, op.Viewer.UserId);
        await op.SaveAsync();
        return new AnswerSaved(answer.Version, answer.Read(), answer.Origin, Conflict: false, null);
    }

    /// <summary>Submits the response: a manager of the organization, once every question is answered.</summary>
    public Task<Outcome<Done>> SubmitAsync(ClaimsPrincipal principal, Guid responseId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            var response = await op.Db.SurveyResponses.Include(r => r.Answers).SingleOrDefaultAsync(r => r.Id == responseId, op.Cancellation);
            if (response is null || op.Viewer.RoleIn(response.OrganizationId) is null)
            {
                return Failure.Missing(NotFound);
            }

            op.Demand(OrganizationPermission.SubmitAssessments, response.OrganizationId, "Only a manager of this organization can submit the survey.");
            var wave = await op.Db.SurveyInstruments.Include(i => i.Items).SingleAsync(i => i.Id == response.InstrumentId, op.Cancellation);
            var today = CaliforniaTime.Today(time);
            if (!wave.IsAnswerable(today))
            {
                return Failure.Refuse(SurveyResponse.ClosedMessage(wave, today));
            }

            response.Submit(wave.Items, op.Now, op.Viewer.UserId);
            await op.SaveAsync();
            logger.LogInformation("Survey response {ResponseId} submitted", response.Id);
            return Done.Value;
        }, cancellationToken);
}
