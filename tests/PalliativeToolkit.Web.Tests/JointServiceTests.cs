using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Partners;

namespace PalliativeToolkit.Web.Tests;

/// <summary>Section E together: each side answers for itself, both read both views, nobody else reads a draft.</summary>
public class JointServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private JointService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<JointService>();

    private sealed record Pair(Guid JointId, TestUser PlanManager, TestUser PlanContributor, TestUser PlanViewer, TestUser ProviderManager, Organization Plan);

    private async Task<Pair> StartedAsync()
    {
        var plan = await factory.Data.PlanAsync();
        var provider = await factory.Data.ProviderAsync();
        var partnership = await factory.Data.PartnershipAsync(plan, provider);
        var planManager = await factory.Data.UserAsync(plan);
        var providerManager = await factory.Data.UserAsync(provider);
        var started = await Service.StartAsync(providerManager.Principal, partnership.Id, "2026");
        Assert.True(started.Succeeded, started.Message);
        return new Pair(started.Value, planManager, await factory.Data.UserAsync(plan, OrganizationRole.Contributor),
            await factory.Data.UserAsync(plan, OrganizationRole.Viewer), providerManager, plan);
    }

    [Fact]
    public async Task Both_sides_answer_for_themselves_see_each_others_view_and_where_they_differ()
    {
        var pair = await StartedAsync();
        var view = (await Service.GetAsync(pair.PlanContributor.Principal, pair.JointId)).Value;
        var criterion = view.Elements[0].Criteria[0];

        var plan = await Service.AnswerAsync(pair.PlanContributor.Principal, pair.JointId, criterion.CriterionId, Answer.Open, Answer.Met);
        var provider = await Service.AnswerAsync(pair.ProviderManager.Principal, pair.JointId, criterion.CriterionId, Answer.Open, Answer.NotMet);
        var notes = await Service.WriteNotesAsync(pair.ProviderManager.Principal, pair.JointId, view.Elements[0].ElementId, "", "Not yet, from our side.");

        Assert.True(plan.Succeeded && provider.Succeeded && notes.Succeeded, plan.Message + provider.Message + notes.Message);
        var seenByPlan = (await Service.GetAsync(pair.PlanManager.Principal, pair.JointId)).Value;
        var seenByProvider = (await Service.GetAsync(pair.ProviderManager.Principal, pair.JointId)).Value;
        foreach (var seen in new[] { seenByPlan, seenByProvider })
        {
            var row = seen.Elements[0].Criteria[0];
            Assert.Equal((Answer.Met, Answer.NotMet, true), (row.Plan, row.Provider, row.Differs));
            Assert.Equal(1, seen.Differences);
            Assert.Equal("Not yet, from our side.", seen.Elements[0].ProviderNotes);
        }

        Assert.Equal((PartnerSide.Plan, PartnerSide.Provider), (seenByPlan.MySide, seenByProvider.MySide));
        Assert.Contains(seenByPlan.History, h => h.By == pair.ProviderManager.DisplayName && h.Side == PartnerSide.Provider && h.What.Contains("open → not met", StringComparison.Ordinal));
        Assert.Contains(seenByPlan.History, h => h.By == pair.PlanContributor.DisplayName && h.Side == PartnerSide.Plan && h.ElementCode == seenByPlan.Elements[0].Code);
    }

    [Fact]
    public async Task A_change_from_a_stale_answer_is_refused_and_a_viewer_changes_nothing()
    {
        var pair = await StartedAsync();
        var criterion = (await Service.GetAsync(pair.PlanManager.Principal, pair.JointId)).Value.Elements[0].Criteria[0];
        await Service.AnswerAsync(pair.PlanContributor.Principal, pair.JointId, criterion.CriterionId, Answer.Open, Answer.Met);

        var stale = await Service.AnswerAsync(pair.PlanManager.Principal, pair.JointId, criterion.CriterionId, Answer.Open, Answer.NotMet);
        var byViewer = await Service.AnswerAsync(pair.PlanViewer.Principal, pair.JointId, criterion.CriterionId, Answer.Met, Answer.NotMet);
        var readyByContributor = await Service.MarkReadyAsync(pair.PlanContributor.Principal, pair.JointId, true);

        Assert.IsType<Failure.Conflict>(stale.Failure);
        Assert.IsType<Failure.Refused>(byViewer.Failure);
        Assert.IsType<Failure.Refused>(readyByContributor.Failure);
        Assert.Equal(Answer.Met, (await Service.GetAsync(pair.PlanManager.Principal, pair.JointId)).Value.Elements[0].Criteria[0].Plan);
    }

    [Fact]
    public async Task Either_manager_submits_once_both_marked_it_ready_and_only_then_reviewers_read_it()
    {
        var pair = await StartedAsync();
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var stranger = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var view = (await Service.GetAsync(pair.PlanManager.Principal, pair.JointId)).Value;
        foreach (var criterion in view.Elements.SelectMany(e => e.Criteria))
        {
            Assert.True((await Service.AnswerAsync(pair.PlanManager.Principal, pair.JointId, criterion.CriterionId, Answer.Open, Answer.Met)).Succeeded);
            Assert.True((await Service.AnswerAsync(pair.ProviderManager.Principal, pair.JointId, criterion.CriterionId, Answer.Open, Answer.Met)).Succeeded);
        }

        var draftByReviewer = await Service.GetAsync(reviewer.Principal, pair.JointId);
        var early = await Service.SubmitAsync(pair.PlanManager.Principal, pair.JointId);
        Assert.True((await Service.MarkReadyAsync(pair.PlanManager.Principal, pair.JointId, true)).Succeeded);
        Assert.True((await Service.MarkReadyAsync(pair.ProviderManager.Principal, pair.JointId, true)).Succeeded);
        var submitted = await Service.SubmitAsync(pair.ProviderManager.Principal, pair.JointId);
        var byReviewer = await Service.GetAsync(reviewer.Principal, pair.JointId);
        var byStranger = await Service.GetAsync(stranger.Principal, pair.JointId);
        var late = await Service.AnswerAsync(pair.PlanManager.Principal, pair.JointId, view.Elements[0].Criteria[0].CriterionId, Answer.Met, Answer.NotMet);

        Assert.IsType<Failure.NotFound>(draftByReviewer.Failure);
        Assert.Contains("Both the plan and the provider must mark", early.Message, StringComparison.Ordinal);
        Assert.True(submitted.Succeeded, submitted.Message);
        Assert.True(byReviewer.Succeeded);
        Assert.Null(byReviewer.Value.MySide);
        Assert.False(byReviewer.Value.CanEdit);
        Assert.All(byReviewer.Value.Elements.SelectMany(e => e.Criteria), c => Assert.Equal((Answer.Met, Answer.Met), (c.Plan, c.Provider)));
        Assert.IsType<Failure.NotFound>(byStranger.Failure);
        Assert.IsType<Failure.Refused>(late.Failure);
        var statewide = factory.Services.CreateScope().ServiceProvider.GetRequiredService<Features.Statewide.StatewideService>();
        Assert.Contains((await statewide.JointSubmittedAsync(reviewer.Principal)).Value, j => j.Id == pair.JointId && j.PlanName == pair.Plan.Name && j.Differences == 0);
    }

    [Fact]
    public async Task A_joint_assessment_needs_an_active_partnership_and_one_per_cycle()
    {
        var plan = await factory.Data.PlanAsync();
        var provider = await factory.Data.ProviderAsync();
        var prospective = await factory.Data.PartnershipAsync(plan, provider, PartnershipStatus.Prospective);
        var manager = await factory.Data.UserAsync(plan);
        var pair = await StartedAsync();
        var partnershipId = (await Service.GetAsync(pair.PlanManager.Principal, pair.JointId)).Value.PartnershipId;

        var notActive = await Service.StartAsync(manager.Principal, prospective.Id, "2026");
        var twice = await Service.StartAsync(pair.PlanManager.Principal, partnershipId, "2026");
        var byContributor = await Service.StartAsync(pair.PlanContributor.Principal, partnershipId, "2027");

        Assert.Contains("active partner", notActive.Message, StringComparison.Ordinal);
        Assert.Contains("already has a joint assessment for cycle 2026", twice.ErrorFor("Cycle"), StringComparison.Ordinal);
        Assert.IsType<Failure.Refused>(byContributor.Failure);
    }

    [Fact]
    public async Task Once_the_partnership_ends_the_joint_assessment_can_no_longer_be_changed()
    {
        var pair = await StartedAsync();
        var view = (await Service.GetAsync(pair.PlanManager.Principal, pair.JointId)).Value;
        await using (var op = factory.Services.GetRequiredService<OperationRunner>().OpenAsSystem())
        {
            var partnership = await op.Db.Partnerships.SingleAsync(p => p.Id == view.PartnershipId);
            partnership.ChangeStatus(PartnershipStatus.Ended, DateOnly.FromDateTime(op.Now), op.Now, "test");
            await op.SaveAsync();
        }

        var answer = await Service.AnswerAsync(pair.PlanManager.Principal, pair.JointId, view.Elements[0].Criteria[0].CriterionId, Answer.Open, Answer.Met);

        Assert.Contains("no longer active", answer.Message, StringComparison.Ordinal);
        Assert.True((await Service.GetAsync(pair.ProviderManager.Principal, pair.JointId)).Succeeded);
    }

    [Fact]
    public async Task Notes_saved_as_they_are_typed_make_one_history_entry_per_person()
    {
        var pair = await StartedAsync();
        var element = (await Service.GetAsync(pair.ProviderManager.Principal, pair.JointId)).Value.Elements[0].ElementId;

        var saves = new[] { "We", "We meet", "We meet monthly." };
        var from = "";
        foreach (var text in saves)
        {
            Assert.True((await Service.WriteNotesAsync(pair.ProviderManager.Principal, pair.JointId, element, from, text)).Succeeded);
            from = text;
        }

        var view = (await Service.GetAsync(pair.PlanManager.Principal, pair.JointId)).Value;
        Assert.Equal("We meet monthly.", view.Elements[0].ProviderNotes);
        Assert.Single(view.History, h => h.What == "changed the notes");
    }
}
