using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// The review queue: every round awaiting a decision, oldest first, whatever its cycle (an older cycle never drops out
/// of view), and the rounds returned or accepted by cycle; reviewers only.
/// </summary>
public class ReviewQueueServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private ReviewQueueService Queue => factory.Services.CreateScope().ServiceProvider.GetRequiredService<ReviewQueueService>();

    [Fact]
    public async Task An_older_cycle_awaiting_review_stays_in_the_queue_oldest_first_with_its_wait()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var lastYear = (factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var queue = (await Queue.GetAsync(reviewer.Principal, new ReviewQueueQuery())).Value;

        // Valley Oak's readiness of last cycle was submitted and never reviewed, though its provider has started this cycle.
        var valleyOak = Assert.Single(queue.Rows, r => r.Organization.StartsWith("Valley Oak", StringComparison.Ordinal));
        Assert.Equal((lastYear, OrganizationKind.PalliativeCareProvider, Decision.Pending), (valleyOak.Cycle, valleyOak.Kind, valleyOak.Decision));
        Assert.True(valleyOak.Waited > TimeSpan.FromDays(200), valleyOak.WaitedText);
        Assert.Equal(queue.Rows.OrderBy(r => r.SubmittedAt).Select(r => r.AssessmentId), queue.Rows.Select(r => r.AssessmentId));
        Assert.All(queue.Rows, r => Assert.Equal(Decision.Pending, r.Decision));
        Assert.Equal(queue.Awaiting, queue.Rows.Count);
        Assert.Contains(queue.Rows, r => r.Kind == OrganizationKind.ManagedCarePlan);
        Assert.Contains(lastYear, queue.Cycles);
    }

    [Fact]
    public async Task Returned_and_accepted_rounds_are_found_by_cycle_and_a_decision_leaves_the_queue()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var lastYear = (factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var plan = await factory.Data.PlanAsync();
        var assessment = await factory.Data.AssessmentAsync(plan, "FY 2024-25", Answer.Met, submit: true);

        var before = (await Queue.GetAsync(reviewer.Principal, new ReviewQueueQuery(Kind: OrganizationKind.ManagedCarePlan))).Value;
        await factory.Data.ReviewAsync(assessment.Id, "Please add the policy.");
        var after = (await Queue.GetAsync(reviewer.Principal, new ReviewQueueQuery())).Value;
        var returned = (await Queue.GetAsync(reviewer.Principal, new ReviewQueueQuery(Decision.Returned, "FY 2024-25"))).Value;
        var returnedLastYear = (await Queue.GetAsync(reviewer.Principal, new ReviewQueueQuery(Decision.Returned, lastYear))).Value;
        var acceptedLastYear = (await Queue.GetAsync(reviewer.Principal, new ReviewQueueQuery(Decision.Accepted, lastYear))).Value;

        Assert.Equal(plan.Name, before.Rows[^1].Organization); // submitted last, so it has waited least
        Assert.DoesNotContain(after.Rows, r => r.AssessmentId == assessment.Id);
        var row = Assert.Single(returned.Rows);
        Assert.Equal((assessment.Id, Decision.Returned), (row.AssessmentId, row.Decision));
        Assert.NotNull(row.DecidedAt);
        Assert.Contains(returnedLastYear.Rows, r => r.Organization.StartsWith("Bayshore", StringComparison.Ordinal));
        Assert.Contains(acceptedLastYear.Rows, r => r.Organization.StartsWith("Golden Poppy", StringComparison.Ordinal));
        Assert.All(acceptedLastYear.Rows, r => Assert.Equal(lastYear, r.Cycle));
    }

    [Fact]
    public async Task Only_reviewers_and_administrators_see_the_queue()
    {
        var manager = await factory.PrincipalAsync("manager");
        var admin = await factory.Data.UserAsync(globalRole: GlobalRoles.Administrator);

        Assert.IsType<Failure.Refused>((await Queue.GetAsync(manager, new ReviewQueueQuery())).Failure);
        Assert.True((await Queue.GetAsync(admin.Principal, new ReviewQueueQuery())).Succeeded);
    }
}

/// <summary>Where the state stands in a cycle: plans that submitted, and per section those with every element at minimum and at enhancement.</summary>
public class StateStandingTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private StatewideService Statewide => factory.Services.CreateScope().ServiceProvider.GetRequiredService<StatewideService>();

    [Fact]
    public async Task A_cycle_counts_each_plans_latest_round_and_a_section_is_at_minimum_only_when_every_element_is()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var met = await factory.Data.PlanAsync();
        var notMet = await factory.Data.PlanAsync();
        await factory.Data.AssessmentAsync(met, "FY 2019-20", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(notMet, "FY 2019-20", Answer.NotMet, submit: true);

        var standing = (await Statewide.StandingAsync(reviewer.Principal, "FY 2019-20")).Value;
        var latest = (await Statewide.StandingAsync(reviewer.Principal)).Value;
        var byManager = await Statewide.StandingAsync(await factory.PrincipalAsync("manager"), "FY 2019-20");

        Assert.Equal(("FY 2019-20", 2), (standing.Cycle, standing.Submitted));
        Assert.True(standing.Plans >= 6, $"every plan counts, {standing.Plans}");
        Assert.Equal(["A", "C", "D", "E"], standing.Sections.Select(s => s.Code));
        Assert.All(standing.Sections, s => Assert.Equal((2, 1), (s.Plans, s.AtMinimum)));
        Assert.All(standing.Sections, s => Assert.InRange(s.AtEnhancement, 0, 1));
        Assert.Equal(standing.Cycles[0], latest.Cycle);
        Assert.Contains("FY 2019-20", latest.Cycles);
        Assert.IsType<Failure.Refused>(byManager.Failure);
    }
}

/// <summary>The heatmap: each plan's latest round of a cycle by element, filtered by model, region and county, sorted.</summary>
public class HeatmapTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private StatewideService Statewide => factory.Services.CreateScope().ServiceProvider.GetRequiredService<StatewideService>();

    [Fact]
    public async Task Cells_hold_each_plans_levels_and_filters_and_sorting_choose_the_rows()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var coastal = await factory.Data.PlanAsync(counties: "Alameda", model: PlanModel.SinglePlan);
        var valley = await factory.Data.PlanAsync(counties: "Fresno", model: PlanModel.Gmc);
        await factory.Data.AssessmentAsync(coastal, "FY 2020-21", Answer.NotMet, submit: true);
        await factory.Data.AssessmentAsync(valley, "FY 2020-21", Answer.Met, submit: true);

        var all = (await Statewide.HeatmapAsync(reviewer.Principal, new HeatmapQuery("FY 2020-21"))).Value;
        var gmc = (await Statewide.HeatmapAsync(reviewer.Principal, new HeatmapQuery("FY 2020-21", Model: PlanModel.Gmc))).Value;
        var bay = (await Statewide.HeatmapAsync(reviewer.Principal, new HeatmapQuery("FY 2020-21", Region: CaliforniaCounties.BayArea))).Value;
        var fresno = (await Statewide.HeatmapAsync(reviewer.Principal, new HeatmapQuery("FY 2020-21", CountyFips: CaliforniaCounties.ByName("Fresno")!.Fips))).Value;
        var byMinimum = (await Statewide.HeatmapAsync(reviewer.Principal, new HeatmapQuery("FY 2020-21", SortBy: "minimum"))).Value;
        var byName = (await Statewide.HeatmapAsync(reviewer.Principal, new HeatmapQuery("FY 2020-21"))).Value;
        var byManager = await Statewide.HeatmapAsync(await factory.PrincipalAsync("manager"), new HeatmapQuery());

        Assert.Equal(2, all.Rows.Count);
        Assert.Equal(["A", "C", "D", "E"], all.Columns.Select(c => c.SectionCode).Distinct());
        Assert.All(all.Rows, r => Assert.Equal(all.Columns.Count, r.Levels.Count));
        Assert.All(all.Rows.Single(r => r.Plan == coastal.Name).Levels.Values, l => Assert.Equal(Level.BelowMinimum, l));
        Assert.All(all.Rows.Single(r => r.Plan == valley.Name).Levels.Values, l => Assert.True(l >= Level.MeetsMinimum));
        Assert.Equal([valley.Name], gmc.Rows.Select(r => r.Plan));
        Assert.Equal([coastal.Name], bay.Rows.Select(r => r.Plan));
        Assert.Equal([valley.Name], fresno.Rows.Select(r => r.Plan));
        Assert.Equal(valley.Name, byMinimum.Rows[0].Plan);
        Assert.Equal(byName.Rows.Select(r => r.Plan).Order(StringComparer.Ordinal), byName.Rows.Select(r => r.Plan));
        Assert.IsType<Failure.Refused>(byManager.Failure);
    }
}

/// <summary>Trends from one cycle to the next: per plan and section, and statewide per element.</summary>
public class TrendsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private StatewideService Statewide => factory.Services.CreateScope().ServiceProvider.GetRequiredService<StatewideService>();

    [Fact]
    public async Task A_plan_that_met_everything_this_cycle_shows_every_section_up_and_every_element_improved()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var plan = await factory.Data.PlanAsync();
        await factory.Data.AssessmentAsync(plan, "FY 2018-19", Answer.NotMet, submit: true);
        await factory.Data.AssessmentAsync(plan, "FY 2019-20", Answer.Met, submit: true);

        var trends = (await Statewide.TrendsAsync(reviewer.Principal, "FY 2019-20")).Value;
        var first = (await Statewide.TrendsAsync(reviewer.Principal, "FY 2018-19")).Value;
        var byManager = await Statewide.TrendsAsync(await factory.PrincipalAsync("manager"));

        Assert.Equal(("FY 2019-20", "FY 2018-19"), (trends.Cycle, trends.Previous));
        var row = Assert.Single(trends.Plans);
        Assert.All(row.Sections, s => Assert.Equal((0, s.Elements, s.Elements), (s.AtMinimumBefore, s.AtMinimumNow, s.Change)));
        Assert.All(trends.Elements, e => Assert.Equal((0d, 1d), (e.ShareBefore, e.ShareNow)));
        Assert.Equal(5, trends.ImprovedMost.Count);
        Assert.Null(first.Previous);
        Assert.IsType<Failure.Refused>(byManager.Failure);
    }
}
