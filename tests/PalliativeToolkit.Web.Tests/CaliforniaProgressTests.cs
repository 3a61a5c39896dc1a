using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// "Progress in California" for everyone signed in: totals only, and beyond reviewers no figure standing for fewer than
/// five plans, nor one that could be worked out from the others.
/// </summary>
public class CaliforniaProgressTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private CaliforniaProgressService Progress => factory.Services.CreateScope().ServiceProvider.GetRequiredService<CaliforniaProgressService>();

    [Fact]
    public async Task Fewer_than_five_plans_in_a_cycle_are_suppressed_for_a_plan_but_shown_to_a_reviewer()
    {
        const string cycle = "FY 2018-19";
        for (var i = 0; i < 4; i++)
        {
            await factory.Data.AssessmentAsync(await factory.Data.PlanAsync(model: PlanModel.Gmc), cycle, Answer.Met, submit: true);
        }

        var member = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

        var forMember = (await Progress.ForCycleAsync(member.Principal, cycle)).Value;
        var forReviewer = (await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value;
        var reviewerPrinting = (await Progress.ForCycleAsync(reviewer.Principal, cycle, forEveryone: true)).Value;
        var anonymous = await Progress.ForCycleAsync(new ClaimsPrincipal(new ClaimsIdentity()), cycle);

        Assert.Equal((cycle, 4, true), (forMember.Cycle, forMember.Submitted, forMember.Suppressed));
        Assert.Empty(forMember.Sections);
        Assert.Empty(forMember.ByModel);
        Assert.False(forReviewer.Suppressed);
        Assert.All(forReviewer.Sections, s => Assert.Equal((4, 4), (s.Plans, s.AtMinimum)));
        Assert.Equal([(PlanModel.Gmc, 4, false)], forReviewer.ByModel.Select(m => (m.Model, m.Plans, m.Suppressed)));
        Assert.True(reviewerPrinting.Suppressed, "a printable report leaves the reviewer's hands: suppressed as for anyone");
        Assert.IsType<Failure.Refused>(anonymous.Failure);
    }

    [Fact]
    public async Task A_small_plan_model_is_hidden_with_the_next_smallest_so_that_no_figure_can_be_subtracted_out()
    {
        const string cycle = "FY 2019-20";
        var met = new List<Organization>();
        for (var i = 0; i < 5; i++)
        {
            met.Add(await factory.Data.PlanAsync(model: PlanModel.Gmc));
        }

        for (var i = 0; i < 6; i++)
        {
            met.Add(await factory.Data.PlanAsync(model: PlanModel.Cohs));
        }

        foreach (var plan in met)
        {
            await factory.Data.AssessmentAsync(plan, cycle, Answer.Met, submit: true);
        }

        var alone = await factory.Data.PlanAsync(model: PlanModel.TwoPlan);
        await factory.Data.AssessmentAsync(alone, cycle, Answer.NotMet, submit: true);
        var member = await factory.Data.UserAsync(alone);

        var progress = (await Progress.ForCycleAsync(member.Principal, cycle)).Value;

        Assert.False(progress.Suppressed);
        Assert.All(progress.Sections, s => Assert.Equal((12, 11), (s.Plans, s.AtMinimum)));
        var byModel = progress.ByModel.ToDictionary(m => m.Model);
        Assert.True(byModel[PlanModel.TwoPlan].Suppressed);
        Assert.True(byModel[PlanModel.Gmc].Suppressed, "the next smallest group hides too: 12 minus 6 would give the rest");
        Assert.Equal((6, false), (byModel[PlanModel.Cohs].Plans, byModel[PlanModel.Cohs].Suppressed));
        Assert.All(progress.ByModel.Where(m => m.Suppressed), m => Assert.Equal((0, 0), (m.Plans, m.Sections.Count)));
    }

    [Theory]
    [InlineData(new[] { 5, 6 }, new int[0])]
    [InlineData(new[] { 4, 6 }, new[] { 0, 1 })]
    [InlineData(new[] { 2, 3, 9 }, new[] { 0, 1 })]
    [InlineData(new[] { 2, 7, 9 }, new[] { 0, 1 })]
    [InlineData(new[] { 1, 1, 9 }, new[] { 0, 1, 2 })]
    [InlineData(new[] { 1, 2, 9 }, new[] { 0, 1, 2 })]
    [InlineData(new[] { 1, 1, 1, 9 }, new[] { 0, 1, 2, 3 })]
    [InlineData(new[] { 1, 4, 9, 9 }, new[] { 0, 1 })]
    [InlineData(new[] { 9 }, new int[0])]
    [InlineData(new[] { 3 }, new[] { 0 })]
    public void Suppression_hides_every_small_group_and_never_exactly_one(int[] sizes, int[] hiddenIndexes)
    {
        var models = new[] { PlanModel.Cohs, PlanModel.TwoPlan, PlanModel.Gmc, PlanModel.Regional };
        var groups = sizes.Select((size, i) => (models[i], size)).ToList();

        var hidden = CaliforniaProgressService.Suppress(groups);

        Assert.Equal(hiddenIndexes.Select(i => models[i]).ToHashSet(), hidden.ToHashSet());
    }
}
