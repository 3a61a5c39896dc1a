using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
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
            await factory.Data.AssessmentAsync(await factory.Data.PlanAsync(model: PlanModel.Gmc), cycle, Answer.Met, submit: true, at: InCycle(cycle));
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
            await factory.Data.AssessmentAsync(plan, cycle, Answer.Met, submit: true, at: InCycle(cycle));
        }

        var alone = await factory.Data.PlanAsync(model: PlanModel.TwoPlan);
        await factory.Data.AssessmentAsync(alone, cycle, Answer.NotMet, submit: true, at: InCycle(cycle));
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

    /// <summary>A time within the (ended) cycle: beyond reviewers its figures are those of the rounds submitted by its end.</summary>
    private static DateTime InCycle(string cycle) => ReportingCycle.Parse(cycle).Ends.AddMonths(-3).ToDateTime(new TimeOnly(18, 0), DateTimeKind.Utc);

    [Fact]
    public async Task A_plan_moved_to_another_model_after_the_cycle_ended_leaves_the_published_figures_as_they_were()
    {
        const string cycle = "FY 2021-22";
        var cohs = new List<Organization>();
        for (var i = 0; i < 6; i++)
        {
            var plan = await factory.Data.PlanAsync(model: PlanModel.Cohs);
            cohs.Add(plan);
            await factory.Data.AssessmentAsync(plan, cycle, i == 0 ? Answer.NotMet : Answer.Met, submit: true, at: InCycle(cycle));
        }

        for (var i = 0; i < 5; i++)
        {
            await factory.Data.AssessmentAsync(await factory.Data.PlanAsync(model: PlanModel.Gmc), cycle, Answer.Met, submit: true, at: InCycle(cycle));
        }

        var member = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var before = (await Progress.ForCycleAsync(member.Principal, cycle)).Value;

        // Years later the first plan (the one below minimum) moves to GMC: comparing the two models' figures before and
        // after would give its standing away.
        await factory.Data.StoredAsync(async db =>
        {
            var moved = await db.Organizations.SingleAsync(o => o.Id == cohs[0].Id);
            moved.Update(moved.Name, moved.Counties, PlanModel.Gmc, null, null);
            return await db.SaveChangesAsync();
        });

        var after = (await Progress.ForCycleAsync(member.Principal, cycle)).Value;
        var live = (await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value;

        static IEnumerable<(PlanModel, int, bool, string)> Models(CaliforniaProgress progress) =>
            progress.ByModel.Select(m => (m.Model, m.Plans, m.Suppressed, string.Join(",", m.Sections.Select(s => s.AtMinimum))));
        Assert.Equal([(PlanModel.Cohs, 6, false, "5,5,5,5"), (PlanModel.Gmc, 5, false, "5,5,5,5")], Models(before));
        Assert.Equal(Models(before), Models(after));
        Assert.Equal([(PlanModel.Cohs, 5, false, "5,5,5,5"), (PlanModel.Gmc, 6, false, "5,5,5,5")], Models(live).Where(m => m.Item1 is PlanModel.Cohs or PlanModel.Gmc));
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

/// <summary>The portal on a clock the test moves: June 30, 2027, 11:30 pm in California (July 1 in UTC), the last half hour of FY 2026-27.</summary>
public sealed class LastEveningPortalFactory : PortalFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2027, 7, 1, 6, 30, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>
/// Beyond reviewers a cycle's figures are published once it has ended in California, frozen as of its end, so that no
/// one can work out a plan's levels by comparing the figures before and after it submits; reviewers see them live.
/// </summary>
public class CaliforniaProgressPublicationTests(LastEveningPortalFactory factory) : IClassFixture<LastEveningPortalFactory>
{
    private CaliforniaProgressService Progress => factory.Services.CreateScope().ServiceProvider.GetRequiredService<CaliforniaProgressService>();

    [Fact]
    public async Task Beyond_reviewers_a_cycle_shows_once_it_has_ended_in_california_frozen_as_of_its_end_while_reviewers_see_it_live()
    {
        const string cycle = "FY 2026-27";

        // Five plans submit on the cycle's last evening in California (already July 1 in UTC).
        for (var i = 0; i < 5; i++)
        {
            await factory.Data.AssessmentAsync(await factory.Data.PlanAsync(model: PlanModel.Gmc), cycle, Answer.Met, submit: true);
        }

        var member = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

        // Before the cycle has ended: nothing beyond reviewers, not even how many submitted; reviewers see it live.
        var early = (await Progress.ForCycleAsync(member.Principal, cycle)).Value;
        Assert.Equal((cycle, false, false, 0, new DateOnly(2027, 6, 30)), (early.Cycle, early.Published, early.Ended, early.Submitted, early.Ends));
        Assert.Empty(early.Sections);
        Assert.Empty(early.ByModel);
        Assert.False((await Progress.ForCycleAsync(reviewer.Principal, cycle, forEveryone: true)).Value.Published, "a printable report is for everyone");
        var live = (await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value;
        Assert.Equal((true, true, 5), (live.Published, live.SeesEveryGroup, live.Submitted));
        Assert.All(live.Sections, s => Assert.Equal((5, 5), (s.Plans, s.AtMinimum)));

        // Beyond reviewers the page opens on the latest cycle that has ended (the cycle list still has them all).
        var byDefault = (await Progress.ForCycleAsync(member.Principal)).Value;
        Assert.True(byDefault.Ended);
        Assert.NotEqual(cycle, byDefault.Cycle);
        Assert.Contains(cycle, byDefault.Cycles);

        // Midnight in California: the cycle has ended, and its figures are published, the last evening's rounds in them.
        factory.Clock.Advance(TimeSpan.FromHours(1));
        var ended = (await Progress.ForCycleAsync(member.Principal, cycle)).Value;
        Assert.Equal((true, true, 5, false), (ended.Published, ended.Ended, ended.Submitted, ended.Suppressed));
        Assert.All(ended.Sections, s => Assert.Equal((5, 5), (s.Plans, s.AtMinimum)));

        // A sixth plan submits after the end, below minimum: the reviewers' live figures change, no one else's.
        await factory.Data.AssessmentAsync(await factory.Data.PlanAsync(model: PlanModel.Gmc), cycle, Answer.NotMet, submit: true);
        var after = (await Progress.ForCycleAsync(member.Principal, cycle)).Value;
        Assert.Equal(5, after.Submitted);
        Assert.Equal(ended.Sections, after.Sections);
        Assert.Equal(ended.ByModel.Select(m => (m.Model, m.Plans, m.Suppressed)), after.ByModel.Select(m => (m.Model, m.Plans, m.Suppressed)));
        Assert.Equal(ended.Sections, (await Progress.ForCycleAsync(reviewer.Principal, cycle, forEveryone: true)).Value.Sections);
        var liveAfter = (await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value;
        Assert.Equal(6, liveAfter.Submitted);
        Assert.All(liveAfter.Sections, s => Assert.Equal((6, 5), (s.Plans, s.AtMinimum)));
    }
}
