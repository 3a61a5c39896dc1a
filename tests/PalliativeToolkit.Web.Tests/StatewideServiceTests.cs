using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Tests;

public class StatewideServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private StatewideService Service => factory.Services.CreateScope().ServiceProvider.GetRequiredService<StatewideService>();

    [Fact]
    public async Task Each_plan_appears_once_with_its_latest_submitted_round_and_progress_from_that_round()
    {
        var data = factory.Data;
        var reviewer = await data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var steady = await data.PlanAsync();
        var lastYear = await data.AssessmentAsync(steady, "2025", Answer.NotMet, submit: true);
        await data.ReviewAsync(lastYear.Id, feedback: null);
        var thisYear = await data.AssessmentAsync(steady, "2026", Answer.Met, submit: true);
        var resubmitted = await data.PlanAsync();
        var twice = await data.AssessmentAsync(resubmitted, "2026", Answer.Met, submit: true);
        await data.ReviewAsync(twice.Id, "Add the policy");
        var draftOnly = await data.PlanAsync();
        await data.AssessmentAsync(draftOnly, "2026", Answer.Met);
        var provider = await data.ProviderAsync();
        await data.AssessmentAsync(provider, "2026", Answer.Met, submit: true);

        var rows = (await Service.LatestSubmittedAsync(reviewer.Principal, TestContext.Current.CancellationToken)).Value;

        var elements = thisYear.Elements.Count;
        var steadyRow = Assert.Single(rows, r => r.OrganizationName == steady.Name);
        Assert.Equal((thisYear.Id, "2026", 1, Decision.Pending), (steadyRow.AssessmentId, steadyRow.Cycle, steadyRow.Round, steadyRow.Decision));
        Assert.Equal(new Progress(elements, elements, elements, elements), steadyRow.Overall);
        Assert.Equal(["A", "C", "D", "E"], steadyRow.Sections.Select(s => s.Code));
        var returnedRow = Assert.Single(rows, r => r.OrganizationName == resubmitted.Name);
        Assert.Equal((twice.Id, Decision.Returned), (returnedRow.AssessmentId, returnedRow.Decision));
        Assert.DoesNotContain(rows, r => r.OrganizationName == draftOnly.Name || r.OrganizationName == provider.Name);
    }

    [Fact]
    public async Task The_plans_changes_after_a_return_do_not_reach_the_statewide_figures()
    {
        var data = factory.Data;
        var reviewer = await data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var plan = await data.PlanAsync();
        var manager = await data.UserAsync(plan);
        var assessment = await data.AssessmentAsync(plan, "2026", Answer.Met, submit: true);
        await data.ReviewAsync(assessment.Id, "Add the policy");
        var assessments = factory.Services.CreateScope().ServiceProvider.GetRequiredService<Features.Assessments.AssessmentService>();
        var draft = (await assessments.GetAsync(manager.Principal, assessment.Id)).Value;
        foreach (var element in draft.Sections.SelectMany(s => s.Elements))
        {
            var saved = await assessments.SaveElementAsync(manager.Principal, new Features.Assessments.SaveElementCommand
            {
                AssessmentId = assessment.Id,
                ElementResponseId = element.ElementResponseId,
                ExpectedVersion = element.Version,
                Answers = element.Answers.ToDictionary(a => a.Key, _ => Answer.NotMet),
            });
            Assert.True(saved.Succeeded, saved.Message);
        }

        var row = Assert.Single((await Service.LatestSubmittedAsync(reviewer.Principal, TestContext.Current.CancellationToken)).Value, r => r.OrganizationName == plan.Name);

        Assert.Equal(assessment.Elements.Count, row.Overall.AtEnhancement);
    }

    [Fact]
    public async Task A_plan_user_is_refused()
    {
        var manager = await factory.Data.UserAsync(await factory.Data.PlanAsync());

        var outcome = await Service.LatestSubmittedAsync(manager.Principal, TestContext.Current.CancellationToken);

        Assert.IsType<Failure.Refused>(outcome.Failure);
    }

    [Fact]
    public async Task Reviewers_find_each_providers_latest_submitted_readiness_and_never_a_draft()
    {
        var data = factory.Data;
        var reviewer = await data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var submitted = await data.ProviderAsync();
        var readiness = await data.AssessmentAsync(submitted, "2026", Answer.Met, submit: true);
        var draftOnly = await data.ProviderAsync();
        await data.AssessmentAsync(draftOnly, "2026", Answer.Met);
        var manager = await data.UserAsync(submitted);

        var rows = (await Service.LatestReadinessAsync(reviewer.Principal, TestContext.Current.CancellationToken)).Value;
        var refused = await Service.LatestReadinessAsync(manager.Principal, TestContext.Current.CancellationToken);

        var row = Assert.Single(rows, r => r.OrganizationName == submitted.Name);
        Assert.Equal((readiness.Id, "2026"), (row.AssessmentId, row.Cycle));
        Assert.Equal(["B"], row.Sections.Select(s => s.Code));
        Assert.DoesNotContain(rows, r => r.OrganizationName == draftOnly.Name);
        Assert.IsType<Failure.Refused>(refused.Failure);
    }

    [Fact]
    public async Task The_partner_network_names_each_plans_active_providers_its_uncovered_counties_and_each_providers_plans()
    {
        var data = factory.Data;
        var reviewer = await data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var plan = await data.PlanAsync(counties: "Kern,Tulare");
        var active = await data.ProviderAsync();
        var prospective = await data.ProviderAsync();
        await data.PartnershipAsync(plan, active);
        await data.PartnershipAsync(plan, prospective, PartnershipStatus.Prospective);
        await using (var op = factory.Services.GetRequiredService<OperationRunner>().OpenAsSystem())
        {
            var partnership = await op.Db.Partnerships.Include(p => p.Contacts).SingleAsync(p => p.PlanOrganizationId == plan.Id && p.ProviderOrganizationId == active.Id);
            partnership.Revise(new PartnershipTerms(CaliforniaCounties.Named("Kern"), [], null, null, null, []));
            await op.SaveAsync();
        }

        var network = (await Service.PartnerNetworkAsync(reviewer.Principal, TestContext.Current.CancellationToken)).Value;

        var row = Assert.Single(network.Plans, p => p.Id == plan.Id);
        Assert.Equal([active.Name], row.ActiveProviders);
        Assert.Equal(["06029"], row.CoveredFips);
        Assert.Equal(["06107"], row.GapFips);
        var provider = Assert.Single(network.Providers, p => p.Id == prospective.Id);
        Assert.Empty(provider.ActivePlans);
        Assert.Equal([$"{plan.Name} (prospective)"], provider.OtherPlans);
        Assert.Equal([plan.Name], Assert.Single(network.Providers, p => p.Id == active.Id).ActivePlans);
    }
}

/// <summary>The statewide page's reads are projections: their number of database commands does not grow with the plans.</summary>
public class StatewideScaleTests(EmptyPortalFactory factory) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task The_statewide_figures_take_the_same_number_of_database_commands_for_4_plans_and_for_60()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var service = factory.Services.CreateScope().ServiceProvider.GetRequiredService<StatewideService>();
        await factory.Data.SubmittedPlansAsync(4);

        async Task<(int Rows, int Commands)> MeasureAsync()
        {
            using var counter = CommandCounter.Start();
            var rows = (await service.LatestSubmittedAsync(reviewer.Principal, TestContext.Current.CancellationToken)).Value;
            return (rows.Count, counter.Count);
        }

        var four = await MeasureAsync();
        await factory.Data.SubmittedPlansAsync(56);
        var sixty = await MeasureAsync();

        Assert.Equal(4, four.Rows);
        Assert.Equal(60, sixty.Rows);
        Assert.InRange(four.Commands, 3, 8);
        Assert.Equal(four.Commands, sixty.Commands);
    }
}
