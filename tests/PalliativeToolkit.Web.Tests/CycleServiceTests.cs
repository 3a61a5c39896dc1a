using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Tests;

/// <summary>Cycles through the service: which year a new one copies, carried evidence, deleting a draft, withdrawing, change since last cycle.</summary>
public class CycleServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private AssessmentService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AssessmentService>();

    private TestData Data => factory.Data;

    private async Task<(Organization Plan, TestUser Manager, TestUser Reviewer)> PlanAsync()
    {
        var plan = await Data.PlanAsync();
        return (plan, await Data.UserAsync(plan, OrganizationRole.Manager), await Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer));
    }

    private Task<Outcome<Guid>> StartAsync(TestUser user, Organization plan, string cycle, bool copy = true) =>
        Service.StartAsync(user.Principal, new StartAssessmentCommand { OrganizationId = plan.Id, Cycle = cycle, CopyFromPrevious = copy });

    [Theory]
    [InlineData("abc", "Enter a year such as 2026, or a fiscal year such as FY 2026-27.")]
    [InlineData("1850", "The Medi-Cal palliative care benefit began in 2018: enter 2018 or later.")]
    [InlineData("20267", "Enter a year such as 2026, or a fiscal year such as FY 2026-27.")]
    [InlineData("FY 2026-28", "A fiscal year runs from July into the next year: FY 2026-27.")]
    public async Task A_cycle_that_is_not_a_reporting_year_is_refused_next_to_the_field(string cycle, string message)
    {
        var (plan, manager, _) = await PlanAsync();

        var result = await StartAsync(manager, plan, cycle);

        Assert.Equal(message, result.ErrorFor(nameof(StartAssessmentCommand.Cycle)));
        Assert.False(await Data.StoredAsync(db => db.Assessments.AnyAsync(a => a.OrganizationId == plan.Id)));
    }

    [Fact]
    public async Task A_cycle_more_than_a_year_ahead_is_refused_and_a_fiscal_year_is_stored_one_way()
    {
        var (plan, manager, _) = await PlanAsync();
        var nextYear = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year + 1;

        var tooFar = await StartAsync(manager, plan, (nextYear + 1).ToString());
        var fiscal = await StartAsync(manager, plan, $"fy{nextYear - 1}-{nextYear % 100:00}");
        var sameAgain = await StartAsync(manager, plan, $"FY {nextYear - 1}-{nextYear}");

        Assert.StartsWith("A cycle can be started up to a year ahead", tooFar.ErrorFor(nameof(StartAssessmentCommand.Cycle)));
        Assert.Equal($"FY {nextYear - 1}-{nextYear % 100:00}", (await Service.GetAsync(manager.Principal, fiscal.Value)).Value.Cycle);
        Assert.Equal($"{plan.Name} already has an assessment for cycle FY {nextYear - 1}-{nextYear % 100:00}.", sameAgain.ErrorFor(nameof(StartAssessmentCommand.Cycle)));
    }

    [Fact]
    public async Task A_new_cycle_copies_the_latest_accepted_earlier_cycle_not_a_newer_empty_draft_and_the_list_names_it()
    {
        var (plan, manager, reviewer) = await PlanAsync();
        var accepted = await Data.AssessmentAsync(plan, "2024", Answer.Met, submit: true);
        Assert.True((await Service.AcceptAsync(reviewer.Principal, accepted.Id)).Succeeded);
        await Data.AssessmentAsync(plan, "2025");

        var list = (await Service.ListAsync(manager.Principal)).Value;
        var started = await StartAsync(manager, plan, "2026");
        var view = (await Service.GetAsync(manager.Principal, started.Value)).Value;

        Assert.Equal(accepted.Id, list.CanStartFor.Single(o => o.Id == plan.Id).CopiedFor("2026")?.Id);
        Assert.Equal(["2026", "2025", "2024"], (await Service.ListAsync(manager.Principal)).Value.Assessments.Where(a => a.OrganizationId == plan.Id).Select(a => a.Cycle));
        var a1 = view.Sections[0].Elements[0];
        Assert.Equal(("A1 evidence", "2024"), (a1.EvidenceNotes, a1.EvidenceCarriedFrom));
        Assert.Equal(view.Sections.Sum(s => s.Elements.Count), view.Progress.AtEnhancement);
        Assert.Equal(new PreviousCycleView(accepted.Id, "2024", AssessmentStatus.Accepted), view.PreviousCycle);
    }

    [Fact]
    public async Task Without_an_earlier_submitted_cycle_nothing_is_copied()
    {
        var (plan, manager, _) = await PlanAsync();
        await Data.AssessmentAsync(plan, "2025", Answer.Met);

        var view = (await Service.GetAsync(manager.Principal, (await StartAsync(manager, plan, "2026")).Value)).Value;

        Assert.Equal(0, view.Progress.Assessed);
        Assert.Null(view.PreviousCycle);
    }

    [Fact]
    public async Task Carried_evidence_is_confirmed_once_and_then_no_longer_listed()
    {
        var (plan, manager, _) = await PlanAsync();
        await Data.AssessmentAsync(plan, "2025", Answer.Met, submit: true);
        var id = (await StartAsync(manager, plan, "2026")).Value;
        var before = (await Service.GetAsync(manager.Principal, id)).Value;
        var a1 = before.Sections[0].Elements[0];

        var confirmed = await Service.ConfirmCarriedEvidenceAsync(manager.Principal, id, a1.ElementResponseId, a1.Version);
        var after = (await Service.GetAsync(manager.Principal, id)).Value;

        Assert.True(confirmed.Succeeded, confirmed.Message);
        Assert.Contains($"A1 {a1.Definition.Title}", before.UnconfirmedCarriedEvidence);
        Assert.DoesNotContain($"A1 {a1.Definition.Title}", after.UnconfirmedCarriedEvidence);
        Assert.Equal(before.UnconfirmedCarriedEvidence.Count - 1, after.UnconfirmedCarriedEvidence.Count);
        Assert.Equal(confirmed.Value, after.Sections[0].Elements[0].Version);
    }

    [Fact]
    public async Task A_manager_deletes_a_draft_never_submitted_and_the_audit_trail_keeps_it()
    {
        var (plan, manager, _) = await PlanAsync();
        var contributor = await Data.UserAsync(plan, OrganizationRole.Contributor);
        var draft = await Data.AssessmentAsync(plan, "2026", Answer.Met);

        var byContributor = await Service.DeleteAsync(contributor.Principal, draft.Id);
        var deleted = await Service.DeleteAsync(manager.Principal, draft.Id);

        Assert.Equal("Only a manager of this organization can delete an assessment.", byContributor.Message);
        Assert.True(deleted.Succeeded, deleted.Message);
        Assert.False(await Data.StoredAsync(db => db.Assessments.AnyAsync(a => a.Id == draft.Id)));
        Assert.False(await Data.StoredAsync(db => db.ElementResponses.AnyAsync(e => e.AssessmentId == draft.Id)));
        Assert.True(await Data.StoredAsync(db => db.AuditEntries.AnyAsync(a => a.EntityId == draft.Id.ToString() && a.Action == "Deleted" && a.UserId == manager.Id)));
    }

    [Fact]
    public async Task Nothing_submitted_is_deleted_and_a_draft_someone_copied_from_can_still_go()
    {
        var (plan, manager, _) = await PlanAsync();
        var submitted = await Data.AssessmentAsync(plan, "2025", Answer.Met, submit: true);
        var copied = (await StartAsync(manager, plan, "2026")).Value;

        var refused = await Service.DeleteAsync(manager.Principal, submitted.Id);
        var deleted = await Service.DeleteAsync(manager.Principal, copied);

        Assert.IsType<Failure.Refused>(refused.Failure);
        Assert.StartsWith("Only a draft that was never submitted can be deleted", refused.Message);
        Assert.True(deleted.Succeeded, deleted.Message);
        Assert.True(await Data.StoredAsync(db => db.Assessments.AnyAsync(a => a.Id == submitted.Id)));
    }

    [Fact]
    public async Task A_manager_withdraws_a_submission_no_reviewer_acted_on_and_reviewers_no_longer_see_it()
    {
        var (plan, manager, reviewer) = await PlanAsync();
        var submitted = await Data.AssessmentAsync(plan, "2026", Answer.Met, submit: true);
        Assert.True((await Service.GetAsync(manager.Principal, submitted.Id)).Value.CanWithdraw);

        var withdrawn = await Service.WithdrawAsync(manager.Principal, submitted.Id);
        var seenByPlan = (await Service.GetAsync(manager.Principal, submitted.Id)).Value;
        var seenByReviewer = await Service.GetAsync(reviewer.Principal, submitted.Id);
        var statewide = await factory.Services.CreateScope().ServiceProvider.GetRequiredService<StatewideService>().LatestSubmittedAsync(reviewer.Principal);

        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        Assert.Equal(AssessmentStatus.Draft, seenByPlan.Status);
        Assert.True(seenByPlan.CanEdit && !seenByPlan.CanWithdraw && !seenByPlan.CanDelete);
        Assert.IsType<Failure.NotFound>(seenByReviewer.Failure);
        Assert.DoesNotContain(statewide.Value, r => r.AssessmentId == submitted.Id);
        Assert.True(await Data.StoredAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Submission) && a.UserId == manager.Id && a.NewValues!.Contains("Withdrawn"))));
    }

    [Fact]
    public async Task A_submission_a_reviewer_accepted_cannot_be_withdrawn()
    {
        var (plan, manager, reviewer) = await PlanAsync();
        var submitted = await Data.AssessmentAsync(plan, "2026", Answer.Met, submit: true);
        await Service.AcceptAsync(reviewer.Principal, submitted.Id);

        var result = await Service.WithdrawAsync(manager.Principal, submitted.Id);

        Assert.IsType<Failure.Refused>(result.Failure);
        Assert.Equal(AssessmentStatus.Accepted, await Data.StoredAsync(db => db.Assessments.Where(a => a.Id == submitted.Id).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task Each_element_carries_the_previous_cycles_level_and_the_criteria_gained_and_lost()
    {
        var (plan, manager, reviewer) = await PlanAsync();
        var last = await Data.AssessmentAsync(plan, "2025", Answer.Met, submit: true);
        await Service.AcceptAsync(reviewer.Principal, last.Id);
        var id = (await StartAsync(manager, plan, "2026")).Value;
        var a1 = (await Service.GetAsync(manager.Principal, id)).Value.Sections[0].Elements[0];
        var lost = a1.Definition.Criteria.First(c => c.Kind == Domain.Frameworks.CriterionKind.Minimum);
        var answers = new Dictionary<Guid, Answer>(a1.Answers) { [lost.Id] = Answer.NotMet };
        var saved = await Service.SaveElementAsync(manager.Principal, new SaveElementCommand
        {
            AssessmentId = id,
            ElementResponseId = a1.ElementResponseId,
            ExpectedVersion = a1.Version,
            Answers = answers,
            EvidenceNotes = "A1 evidence",
        });
        Assert.True(saved.Succeeded, saved.Message);

        var view = (await Service.GetAsync(manager.Principal, id)).Value;
        var now = view.Sections[0].Elements[0];

        Assert.Equal((Level.MeetsEnhancement, Level.BelowMinimum, LevelChange.Slipped), (now.Previous!.Level, now.Level, now.Change));
        Assert.Equal([lost.Code], now.Lost.Select(c => c.Code));
        Assert.Empty(now.Gained);
        Assert.Equal("A1 evidence", now.Previous.EvidenceNotes);
        Assert.Equal((-1, -1, 0, 1), (view.Change.AtMinimum, view.Change.AtEnhancement, view.Change.Improved, view.Change.Slipped));
        Assert.Equal(view.Sections.Sum(s => s.Elements.Count) - 1, view.Change.Unchanged);
    }

    [Fact]
    public async Task Each_return_is_a_numbered_round_with_its_date_reviewer_and_line_breaks_newest_first()
    {
        var (plan, manager, reviewer) = await PlanAsync();
        var assessment = await Data.AssessmentAsync(plan, "2026", Answer.Met, submit: true);
        var first = await Service.ReturnAsync(reviewer.Principal, new ReturnAssessmentCommand { AssessmentId = assessment.Id, GeneralFeedback = "Attach the policy.\nAnd the minutes." });
        Assert.True(first.Succeeded, first.Message);
        Assert.True((await Service.SubmitAsync(manager.Principal, assessment.Id)).Succeeded);
        var elementId = (await Service.GetAsync(manager.Principal, assessment.Id)).Value.Sections[0].Elements[0].ElementId;
        await Service.ReturnAsync(reviewer.Principal, new ReturnAssessmentCommand
        {
            AssessmentId = assessment.Id,
            GeneralFeedback = "Nearly there.",
            ElementFeedback = new() { [elementId] = "Name the lead." },
        });

        var view = (await Service.GetAsync(manager.Principal, assessment.Id)).Value;

        Assert.Equal([2, 1], view.FeedbackRounds.Select(r => r.Round));
        Assert.Equal(view.FeedbackRounds[0], view.CurrentFeedback);
        Assert.Equal([1], view.EarlierFeedback.Select(r => r.Round));
        Assert.Equal(reviewer.DisplayName, view.FeedbackRounds[0].Reviewer);
        Assert.Equal([(null, "Nearly there."), ("A1", "Name the lead.")], view.FeedbackRounds[0].Items.Select(i => (i.ElementCode, i.Text)));
        Assert.Equal("Attach the policy.\nAnd the minutes.", Assert.Single(view.FeedbackRounds[1].Items).Text);
    }

    [Fact]
    public async Task Confirming_from_a_stale_page_is_refused_and_changes_nothing()
    {
        var (plan, manager, _) = await PlanAsync();
        await Data.AssessmentAsync(plan, "2025", Answer.Met, submit: true);
        var id = (await StartAsync(manager, plan, "2026")).Value;
        var a1 = (await Service.GetAsync(manager.Principal, id)).Value.Sections[0].Elements[0];
        var saved = await Service.SaveElementAsync(manager.Principal, new SaveElementCommand
        {
            AssessmentId = id,
            ElementResponseId = a1.ElementResponseId,
            ExpectedVersion = a1.Version,
            Answers = new(a1.Answers),
            EvidenceNotes = a1.EvidenceNotes,
            Priority = Priority.High,
        });
        Assert.True(saved.Succeeded, saved.Message);

        var stale = await Service.ConfirmCarriedEvidenceAsync(manager.Principal, id, a1.ElementResponseId, a1.Version);

        Assert.IsType<Failure.Conflict>(stale.Failure);
        Assert.Equal("2025", (await Service.GetAsync(manager.Principal, id)).Value.Sections[0].Elements[0].EvidenceCarriedFrom);
    }

    [Fact]
    public async Task Another_organizations_manager_and_a_reviewer_can_neither_confirm_delete_nor_withdraw()
    {
        var (plan, manager, reviewer) = await PlanAsync();
        var other = await Data.UserAsync(await Data.PlanAsync(), OrganizationRole.Manager);
        await Data.AssessmentAsync(plan, "2025", Answer.Met, submit: true);
        var submitted = await Data.AssessmentAsync(plan, "2024", Answer.Met, submit: true);
        var draftId = (await StartAsync(manager, plan, "2026")).Value;
        var a1 = (await Service.GetAsync(manager.Principal, draftId)).Value.Sections[0].Elements[0];

        foreach (var intruder in new[] { other, reviewer })
        {
            Assert.IsType<Failure.NotFound>((await Service.ConfirmCarriedEvidenceAsync(intruder.Principal, draftId, a1.ElementResponseId, a1.Version)).Failure);
            Assert.IsType<Failure.NotFound>((await Service.DeleteAsync(intruder.Principal, draftId)).Failure);
            Assert.False((await Service.WithdrawAsync(intruder.Principal, submitted.Id)).Succeeded);
        }

        Assert.True(await Data.StoredAsync(db => db.Assessments.AnyAsync(a => a.Id == draftId)));
        Assert.Equal(AssessmentStatus.Submitted, await Data.StoredAsync(db => db.Assessments.Where(a => a.Id == submitted.Id).Select(a => a.Status).SingleAsync()));
        Assert.Equal("2025", (await Service.GetAsync(manager.Principal, draftId)).Value.Sections[0].Elements[0].EvidenceCarriedFrom);
    }
}
