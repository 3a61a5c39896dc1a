using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;

namespace PalliativeToolkit.Web.Tests;

/// <summary>The feature service through the app's own composition: it checks access and input itself. Each test makes its own plan.</summary>
public class AssessmentServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private AssessmentService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AssessmentService>();

    private TestData Data => factory.Data;

    private sealed record Plan(Organization Organization, TestUser Manager, TestUser Contributor, TestUser Viewer, Assessment Draft);

    private async Task<Plan> PlanWithDraftAsync(Answer? answerAll = null)
    {
        var organization = await Data.PlanAsync();
        return new Plan(
            organization,
            await Data.UserAsync(organization, OrganizationRole.Manager),
            await Data.UserAsync(organization, OrganizationRole.Contributor),
            await Data.UserAsync(organization, OrganizationRole.Viewer),
            await Data.AssessmentAsync(organization, answerAll: answerAll));
    }

    private static SaveElementCommand SaveOf(Assessment assessment, Guid? version = null)
    {
        var element = assessment.Elements.OrderBy(e => e.Element!.Section!.Order).ThenBy(e => e.Element!.Order).First();
        return new SaveElementCommand
        {
            AssessmentId = assessment.Id,
            ElementResponseId = element.Id,
            ExpectedVersion = version ?? element.Version,
            Answers = element.Criteria.ToDictionary(c => c.CriterionId, c => c.Answer),
            EvidenceNotes = element.EvidenceNotes,
            EvidenceLinks = [.. element.EvidenceLinks],
            Priority = element.Priority,
        };
    }

    private Task<string> NotesAsync(Guid elementResponseId) =>
        Data.StoredAsync(db => db.ElementResponses.Where(e => e.Id == elementResponseId).Select(e => e.EvidenceNotes).SingleAsync());

    [Fact]
    public async Task A_contributor_saves_an_element_and_gets_a_new_version()
    {
        var plan = await PlanWithDraftAsync();
        var command = SaveOf(plan.Draft);
        command.EvidenceNotes = "Saved by a contributor";

        var result = await Service.SaveElementAsync(plan.Contributor.Principal, command);

        Assert.True(result.Succeeded, result.Message);
        Assert.NotEqual(command.ExpectedVersion, result.Value.Version);
        Assert.Equal("Saved by a contributor", await NotesAsync(command.ElementResponseId));
    }

    /// <summary>The user the service authorized is the one the audit trail names, even with no request or circuit around.</summary>
    [Fact]
    public async Task A_save_made_outside_any_request_or_circuit_is_audited_as_the_contributor_who_made_it()
    {
        var plan = await PlanWithDraftAsync();
        var command = SaveOf(plan.Draft);
        command.EvidenceNotes = "Saved from a background task";

        var result = await Task.Run(() => Service.SaveElementAsync(plan.Contributor.Principal, command));

        Assert.True(result.Succeeded, result.Message);
        var audited = await Data.StoredAsync(db => db.AuditEntries
            .Where(a => a.EntityType == nameof(ElementResponse) && a.Action == "Modified" && a.EntityId == command.ElementResponseId.ToString())
            .Select(a => a.UserId).ToListAsync());
        Assert.Equal([plan.Contributor.Id], audited.Distinct());
    }

    [Fact]
    public async Task A_stale_save_is_refused_with_an_offer_to_reload_and_changes_nothing()
    {
        var plan = await PlanWithDraftAsync();
        var first = SaveOf(plan.Draft);
        first.EvidenceNotes = "first";
        var second = SaveOf(plan.Draft);
        second.EvidenceNotes = "second, from a stale page";

        Assert.True((await Service.SaveElementAsync(plan.Manager.Principal, first)).Succeeded);
        var stale = await Service.SaveElementAsync(plan.Manager.Principal, second);

        Assert.IsType<Failure.Conflict>(stale.Failure);
        Assert.Contains("Reload", stale.Message);
        Assert.Equal("first", await NotesAsync(first.ElementResponseId));
    }

    [Fact]
    public async Task Over_long_notes_and_bad_links_are_refused_field_by_field_and_nothing_is_saved()
    {
        var plan = await PlanWithDraftAsync();
        var command = SaveOf(plan.Draft);
        var before = await NotesAsync(command.ElementResponseId);
        command.EvidenceNotes = new string('x', Limits.EvidenceNotes + 1);
        command.EvidenceLinks = ["javascript:alert(1)"];

        var result = await Service.SaveElementAsync(plan.Manager.Principal, command);

        var invalid = Assert.IsType<Failure.Invalid>(result.Failure);
        Assert.NotNull(result.ErrorFor(nameof(SaveElementCommand.EvidenceNotes)));
        Assert.Contains(invalid.Errors, f => f.Key.StartsWith(nameof(SaveElementCommand.EvidenceLinks), StringComparison.Ordinal));
        Assert.Equal(before, await NotesAsync(command.ElementResponseId));
    }

    [Fact]
    public async Task A_viewer_cannot_change_an_assessment()
    {
        var plan = await PlanWithDraftAsync();
        var command = SaveOf(plan.Draft);
        command.EvidenceNotes = "viewer was here";

        var result = await Service.SaveElementAsync(plan.Viewer.Principal, command);

        Assert.Equal("You can read this assessment but not change it.", Assert.IsType<Failure.Refused>(result.Failure).Message);
        Assert.Equal(string.Empty, await NotesAsync(command.ElementResponseId));
    }

    [Fact]
    public async Task Another_plans_manager_cannot_save_into_this_plans_assessment_nor_learn_it_exists()
    {
        var plan = await PlanWithDraftAsync();
        var other = await Data.UserAsync(await Data.PlanAsync());
        var command = SaveOf(plan.Draft);
        command.EvidenceNotes = "intruder";

        var result = await Service.SaveElementAsync(other.Principal, command);
        var read = await Service.GetAsync(other.Principal, plan.Draft.Id);

        Assert.IsType<Failure.NotFound>(result.Failure);
        Assert.IsType<Failure.NotFound>(read.Failure);
        Assert.Equal(string.Empty, await NotesAsync(command.ElementResponseId));
    }

    [Fact]
    public async Task A_submitted_assessment_cannot_be_changed()
    {
        var organization = await Data.PlanAsync();
        var manager = await Data.UserAsync(organization);
        var submitted = await Data.AssessmentAsync(organization, answerAll: Answer.Met, submit: true);
        var command = SaveOf(submitted);
        command.EvidenceNotes = "late edit";

        var result = await Service.SaveElementAsync(manager.Principal, command);

        Assert.Contains("can no longer be changed", Assert.IsType<Failure.Refused>(result.Failure).Message);
        Assert.NotEqual("late edit", await NotesAsync(command.ElementResponseId));
    }

    [Fact]
    public async Task Only_a_manager_can_submit_and_an_incomplete_assessment_is_refused_with_what_is_missing()
    {
        var plan = await PlanWithDraftAsync();

        var byContributor = await Service.SubmitAsync(plan.Contributor.Principal, plan.Draft.Id);
        var byManager = await Service.SubmitAsync(plan.Manager.Principal, plan.Draft.Id);

        Assert.Equal("Only a manager of this organization can submit the assessment.", byContributor.Message);
        var refused = Assert.IsType<Failure.Refused>(byManager.Failure);
        Assert.Equal(plan.Draft.Elements.Count, refused.Details.Count);
        Assert.Contains(refused.Details, d => d.StartsWith("A1 ", StringComparison.Ordinal));
        Assert.Equal(AssessmentStatus.Draft, await Data.StoredAsync(db => db.Assessments.Where(a => a.Id == plan.Draft.Id).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task Submitting_freezes_round_one_and_the_reviewer_reads_it_not_the_later_draft()
    {
        var plan = await PlanWithDraftAsync(Answer.Met);
        var reviewer = await Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

        var submitted = await Service.SubmitAsync(plan.Manager.Principal, plan.Draft.Id);
        var returned = await Service.ReturnAsync(reviewer.Principal, new ReturnAssessmentCommand { AssessmentId = plan.Draft.Id, GeneralFeedback = "Please attach the policy." });
        var draft = (await Service.GetAsync(plan.Manager.Principal, plan.Draft.Id)).Value;
        var element = draft.Sections[0].Elements[0];
        var edit = new SaveElementCommand
        {
            AssessmentId = plan.Draft.Id,
            ElementResponseId = element.ElementResponseId,
            ExpectedVersion = element.Version,
            Answers = element.Answers.ToDictionary(a => a.Key, _ => Answer.NotMet),
            EvidenceNotes = "Work in progress after the return",
        };
        Assert.True((await Service.SaveElementAsync(plan.Manager.Principal, edit)).Succeeded);

        var seenByReviewer = (await Service.GetAsync(reviewer.Principal, plan.Draft.Id)).Value;
        var seenByPlan = (await Service.GetAsync(plan.Manager.Principal, plan.Draft.Id)).Value;

        Assert.True(submitted.Succeeded && returned.Succeeded, submitted.Message ?? returned.Message);
        Assert.Equal(1, seenByReviewer.ShowsRound);
        var frozen = seenByReviewer.Sections[0].Elements[0];
        Assert.Equal("A1 evidence", frozen.EvidenceNotes);
        Assert.All(frozen.Answers.Values, a => Assert.Equal(Answer.Met, a));
        Assert.False(seenByReviewer.CanEdit || seenByReviewer.CanReview);
        Assert.Null(seenByPlan.ShowsRound);
        Assert.Equal("Work in progress after the return", seenByPlan.Sections[0].Elements[0].EvidenceNotes);
        Assert.Equal("Please attach the policy.", Assert.Single(seenByPlan.Feedback).Text);
    }

    [Fact]
    public async Task Starting_needs_a_valid_new_cycle()
    {
        var plan = await PlanWithDraftAsync();
        var organizationId = plan.Organization.Id;

        var empty = await Service.StartAsync(plan.Manager.Principal, new StartAssessmentCommand { OrganizationId = organizationId, Cycle = "" });
        var tooLong = await Service.StartAsync(plan.Manager.Principal, new StartAssessmentCommand { OrganizationId = organizationId, Cycle = new string('9', 50) });
        var odd = await Service.StartAsync(plan.Manager.Principal, new StartAssessmentCommand { OrganizationId = organizationId, Cycle = "<script>" });
        var duplicate = await Service.StartAsync(plan.Manager.Principal, new StartAssessmentCommand { OrganizationId = organizationId, Cycle = plan.Draft.Cycle });

        Assert.All([empty, tooLong, odd, duplicate], r => Assert.NotNull(r.ErrorFor(nameof(StartAssessmentCommand.Cycle))));
        Assert.Equal($"{plan.Organization.Name} already has an assessment for cycle {plan.Draft.Cycle}.", duplicate.ErrorFor(nameof(StartAssessmentCommand.Cycle)));
        Assert.Equal(1, await Data.StoredAsync(db => db.Assessments.CountAsync(a => a.OrganizationId == organizationId)));
    }

    [Fact]
    public async Task A_contributor_cannot_start_an_assessment()
    {
        var plan = await PlanWithDraftAsync();

        var result = await Service.StartAsync(plan.Contributor.Principal, new StartAssessmentCommand { OrganizationId = plan.Organization.Id, Cycle = "2027" });

        Assert.Equal("Only a manager of this organization can start an assessment.", result.Message);
        Assert.False(await Data.StoredAsync(db => db.Assessments.AnyAsync(a => a.OrganizationId == plan.Organization.Id && a.Cycle == "2027")));
    }

    [Fact]
    public async Task A_new_cycle_copied_from_the_last_one_starts_with_its_answers()
    {
        var plan = await PlanWithDraftAsync(Answer.Met);
        Assert.True((await Service.SubmitAsync(plan.Manager.Principal, plan.Draft.Id)).Succeeded);

        var result = await Service.StartAsync(plan.Manager.Principal, new StartAssessmentCommand { OrganizationId = plan.Organization.Id, Cycle = "2027", CopyFromPrevious = true });
        var view = await Service.GetAsync(plan.Manager.Principal, result.Value);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(plan.Draft.Elements.Count, view.Value.Progress.Assessed);
        Assert.Equal("A1 evidence", view.Value.Sections[0].Elements[0].EvidenceNotes);
    }

    [Fact]
    public async Task Only_a_reviewer_can_accept_and_a_return_needs_feedback()
    {
        var organization = await Data.PlanAsync();
        var manager = await Data.UserAsync(organization);
        var reviewer = await Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var admin = await Data.UserAsync(globalRole: GlobalRoles.Administrator);
        var submitted = await Data.AssessmentAsync(organization, answerAll: Answer.Met, submit: true);

        var byPlan = await Service.AcceptAsync(manager.Principal, submitted.Id);
        var byAdministrator = await Service.AcceptAsync(admin.Principal, submitted.Id);
        var emptyReturn = await Service.ReturnAsync(reviewer.Principal, new ReturnAssessmentCommand { AssessmentId = submitted.Id });
        var accepted = await Service.AcceptAsync(reviewer.Principal, submitted.Id);
        var twice = await Service.AcceptAsync(reviewer.Principal, submitted.Id);

        Assert.Equal("Only a statewide reviewer can review a submitted assessment.", byPlan.Message);
        Assert.Equal("Only a statewide reviewer can review a submitted assessment.", byAdministrator.Message);
        Assert.NotNull(emptyReturn.ErrorFor(nameof(ReturnAssessmentCommand.GeneralFeedback)));
        Assert.True(accepted.Succeeded, accepted.Message);
        Assert.IsType<Failure.Refused>(twice.Failure);
        var stored = await Data.StoredAsync(db => db.Submissions.Where(s => s.AssessmentId == submitted.Id).Select(s => new { s.Decision, s.DecidedBy }).SingleAsync());
        Assert.Equal((Decision.Accepted, reviewer.Id), (stored.Decision, stored.DecidedBy));
    }

    [Fact]
    public async Task The_list_shows_the_users_own_assessments_with_progress_computed_by_the_guides_scoring()
    {
        var plan = await PlanWithDraftAsync(Answer.Met);
        await Data.AssessmentAsync(plan.Organization, "2025", Answer.NotMet);
        await Data.AssessmentAsync(await Data.PlanAsync(), "2026", Answer.Met);

        var list = (await Service.ListAsync(plan.Contributor.Principal)).Value;

        Assert.Equal(["2026", "2025"], list.Assessments.Select(a => a.Cycle));
        Assert.All(list.Assessments, a => Assert.Equal(plan.Organization.Id, a.OrganizationId));
        var elements = plan.Draft.Elements.Count;
        Assert.Equal(new Progress(elements, elements, elements, elements), list.Assessments[0].Progress);
        Assert.Equal(new Progress(elements, elements, 0, 0), list.Assessments[1].Progress);
        Assert.Empty(list.CanStartFor);
        Assert.Single((await Service.ListAsync(plan.Manager.Principal)).Value.CanStartFor);
    }
}
