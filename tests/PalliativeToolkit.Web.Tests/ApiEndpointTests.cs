using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Api;
using static PalliativeToolkit.Web.Tests.ApiTestKit;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// The API's endpoints as an analyst calls them: their shape, paging and filters; submitted work only (a draft, working
/// answers and withdrawn rounds never appear); and a 400 naming each bad parameter. Each test keeps to a cycle of its own.
/// </summary>
public class ApiEndpointTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<HttpClient> ReviewerClientAsync() => Client(factory, (await ReviewerWithTokenAsync(factory, factory.Data)).Token);

    [Fact]
    public async Task Assessments_are_each_organizations_latest_submitted_round_with_every_elements_level()
    {
        var client = await ReviewerClientAsync();
        var (met, metAssessment) = await SubmittedPlanAsync(factory.Data, "2019", Answer.Met);
        var (notMet, _) = await SubmittedPlanAsync(factory.Data, "2019", Answer.NotMet);

        var (status, page, _) = await GetAsync(client, "/api/v1/assessments?cycle=2019");

        Assert.Equal(HttpStatusCode.OK, status);
        var items = Items(page);
        Assert.Equal(new[] { met.Name, notMet.Name }.Order(StringComparer.Ordinal), items.Select(i => i.GetProperty("organization").GetString()));
        var first = items.Single(i => i.GetProperty("organizationId").GetGuid() == met.Id);
        Assert.Equal(metAssessment.Id, first.GetProperty("assessmentId").GetGuid());
        Assert.Equal(("2019", 1, "Pending", "ManagedCarePlan", "SinglePlan"),
            (first.GetProperty("cycle").GetString(), first.GetProperty("round").GetInt32(), first.GetProperty("decision").GetString(), first.GetProperty("kind").GetString(), first.GetProperty("planModel").GetString()));
        Assert.Equal(["06001"], first.GetProperty("countyFips").EnumerateArray().Select(c => c.GetString()));
        var elements = first.GetProperty("elements").EnumerateArray().ToList();
        Assert.NotEmpty(elements);
        Assert.All(elements, e => Assert.Equal("MeetsEnhancement", e.GetProperty("level").GetString()));
        Assert.Equal("A", elements[0].GetProperty("section").GetString());
        Assert.False(string.IsNullOrEmpty(elements[0].GetProperty("title").GetString()));
        var progress = first.GetProperty("progress");
        Assert.Equal(elements.Count, progress.GetProperty("elements").GetInt32());
        Assert.Equal(elements.Count, progress.GetProperty("atEnhancement").GetInt32());
        var below = items.Single(i => i.GetProperty("organizationId").GetGuid() == notMet.Id);
        Assert.All(below.GetProperty("elements").EnumerateArray(), e => Assert.Equal("BelowMinimum", e.GetProperty("level").GetString()));
        Assert.Equal(0, below.GetProperty("progress").GetProperty("atMinimum").GetInt32());
    }

    [Fact]
    public async Task Drafts_working_answers_and_withdrawn_rounds_never_appear()
    {
        var client = await ReviewerClientAsync();
        var draftPlan = await factory.Data.PlanAsync();
        await factory.Data.AssessmentAsync(draftPlan, "2020", Answer.Met);

        // Returned, then answered differently while being reworked: the API keeps to the submitted round.
        var (returnedPlan, returned) = await SubmittedPlanAsync(factory.Data, "2020", Answer.NotMet);
        await factory.Data.ReviewAsync(returned.Id, "Please attach the policy.");
        await RecordAllAsync(returned.Id, Answer.Met);

        // Withdrawn before anyone reviewed it: nothing stands.
        var (withdrawnPlan, withdrawn) = await SubmittedPlanAsync(factory.Data, "2020", Answer.Met);
        await WithdrawAsync(withdrawn.Id);

        var (_, page, _) = await GetAsync(client, "/api/v1/assessments?cycle=2020");
        var (_, cycles, _) = await GetAsync(client, "/api/v1/cycles");

        var items = Items(page);
        var item = Assert.Single(items);
        Assert.Equal(returnedPlan.Id, item.GetProperty("organizationId").GetGuid());
        Assert.Equal("Returned", item.GetProperty("decision").GetString());
        Assert.All(item.GetProperty("elements").EnumerateArray(), e => Assert.Equal("BelowMinimum", e.GetProperty("level").GetString()));
        Assert.DoesNotContain(items, i => i.GetProperty("organizationId").GetGuid() == draftPlan.Id || i.GetProperty("organizationId").GetGuid() == withdrawnPlan.Id);
        var cycle = Items(cycles).Single(c => c.GetProperty("cycle").GetString() == "2020");
        Assert.Equal(1, cycle.GetProperty("plans").GetInt32());
        Assert.Equal(("2020-01-01", "2020-12-31"), (cycle.GetProperty("starts").GetString(), cycle.GetProperty("ends").GetString()));
    }

    [Fact]
    public async Task A_cycle_label_stored_before_cycles_were_checked_is_listed_without_dates_and_times_are_utc()
    {
        var client = await ReviewerClientAsync();
        var (_, legacy) = await SubmittedPlanAsync(factory.Data, "2018", Answer.Met);
        await factory.Data.StoredAsync(db => db.Assessments.Where(a => a.Id == legacy.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Cycle, "2018 pilot")));

        var (status, cycles, _) = await GetAsync(client, "/api/v1/cycles");
        var (_, page, _) = await GetAsync(client, $"/api/v1/assessments?organization={legacy.OrganizationId}");

        Assert.Equal(HttpStatusCode.OK, status);
        var pilot = Items(cycles).Single(c => c.GetProperty("cycle").GetString() == "2018 pilot");
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (pilot.GetProperty("starts").ValueKind, pilot.GetProperty("ends").ValueKind));
        var submittedAt = Assert.Single(Items(page)).GetProperty("submittedAt").GetString();
        Assert.EndsWith("Z", submittedAt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resubmitted_assessment_answers_its_latest_round()
    {
        var client = await ReviewerClientAsync();
        var (plan, assessment) = await SubmittedPlanAsync(factory.Data, "2021", Answer.NotMet);
        await factory.Data.ReviewAsync(assessment.Id, "Not yet.");
        await RecordAllAsync(assessment.Id, Answer.Met, submit: true);

        var (_, page, _) = await GetAsync(client, $"/api/v1/assessments?organization={plan.Id}");

        var item = Assert.Single(Items(page));
        Assert.Equal((2, "Pending"), (item.GetProperty("round").GetInt32(), item.GetProperty("decision").GetString()));
        Assert.All(item.GetProperty("elements").EnumerateArray(), e => Assert.Equal("MeetsEnhancement", e.GetProperty("level").GetString()));
    }

    [Fact]
    public async Task Assessments_filter_by_cycle_plan_model_and_county_and_page_with_a_next_link()
    {
        var client = await ReviewerClientAsync();
        var (fresno, _) = await SubmittedPlanAsync(factory.Data, "2022", county: "Fresno", model: PlanModel.TwoPlan);
        var (kern, _) = await SubmittedPlanAsync(factory.Data, "2022", county: "Kern", model: PlanModel.TwoPlan);
        var (other, _) = await SubmittedPlanAsync(factory.Data, "2022", county: "Fresno", model: PlanModel.Cohs);
        await SubmittedPlanAsync(factory.Data, "FY 2022-23", county: "Fresno", model: PlanModel.TwoPlan);

        var (_, byModel, _) = await GetAsync(client, "/api/v1/assessments?cycle=2022&planModel=twoplan");
        var (_, byCounty, _) = await GetAsync(client, "/api/v1/assessments?cycle=2022&county=Fresno&planModel=TwoPlan");
        var (_, byFips, _) = await GetAsync(client, "/api/v1/assessments?cycle=2022&county=06019");
        var (_, first, _) = await GetAsync(client, "/api/v1/assessments?cycle=2022&pageSize=2");
        var next = first.GetProperty("next").GetString()!;
        var (_, second, _) = await GetAsync(client, next);
        var (_, fiscal, _) = await GetAsync(client, "/api/v1/assessments?cycle=fy2022-23");

        Assert.Equal(new[] { fresno.Id, kern.Id }.Order(), Items(byModel).Select(i => i.GetProperty("organizationId").GetGuid()).Order());
        Assert.Equal(fresno.Id, Assert.Single(Items(byCounty)).GetProperty("organizationId").GetGuid());
        Assert.Equal(new[] { fresno.Id, other.Id }.Order(), Items(byFips).Select(i => i.GetProperty("organizationId").GetGuid()).Order());
        Assert.Equal((1, 2, 3, 2), (first.GetProperty("page").GetInt32(), first.GetProperty("pageSize").GetInt32(), first.GetProperty("total").GetInt32(), Items(first).Count));
        Assert.StartsWith("http://localhost/api/v1/assessments?", next, StringComparison.Ordinal);
        Assert.Contains("cycle=2022", next, StringComparison.Ordinal);
        Assert.Contains("page=2", next, StringComparison.Ordinal);
        Assert.Equal((2, 1), (second.GetProperty("page").GetInt32(), Items(second).Count));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Equal(3, Items(first).Concat(Items(second)).Select(i => i.GetProperty("organizationId").GetGuid()).Distinct().Count());
        Assert.Equal("FY 2022-23", Assert.Single(Items(fiscal)).GetProperty("cycle").GetString());
    }

    [Fact]
    public async Task Organizations_filter_by_kind_plan_model_and_county()
    {
        var client = await ReviewerClientAsync();
        var plan = await factory.Data.PlanAsync(counties: "Modoc,Lassen", model: PlanModel.Gmc);
        var provider = await factory.Data.ProviderAsync();

        var (_, gmcInModoc, _) = await GetAsync(client, "/api/v1/organizations?planModel=Gmc&county=Modoc");
        var (_, one, _) = await GetAsync(client, $"/api/v1/organizations?organization={provider.Id}");
        var (_, providers, _) = await GetAsync(client, "/api/v1/organizations?kind=PalliativeCareProvider&pageSize=200");

        var found = Assert.Single(Items(gmcInModoc));
        Assert.Equal((plan.Id, plan.Name, "ManagedCarePlan", "Gmc"), (found.GetProperty("id").GetGuid(), found.GetProperty("name").GetString(), found.GetProperty("kind").GetString(), found.GetProperty("planModel").GetString()));
        Assert.Equal(["Lassen", "Modoc"], found.GetProperty("counties").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var theProvider = Assert.Single(Items(one));
        Assert.Equal(JsonValueKind.Null, theProvider.GetProperty("planModel").ValueKind);
        Assert.Equal("Hospice", theProvider.GetProperty("providerType").GetString());
        Assert.All(Items(providers), p => Assert.Equal("PalliativeCareProvider", p.GetProperty("kind").GetString()));
        Assert.Contains(Items(providers), p => p.GetProperty("id").GetGuid() == provider.Id);
    }

    [Fact]
    public async Task Partnerships_filter_by_status_plan_provider_and_county_without_their_contacts()
    {
        var client = await ReviewerClientAsync();
        var plan = await factory.Data.PlanAsync(counties: "Inyo");
        var active = await factory.Data.ProviderAsync();
        var prospective = await factory.Data.ProviderAsync();
        await factory.Data.PartnershipAsync(plan, active);
        await factory.Data.PartnershipAsync(plan, prospective, PartnershipStatus.Prospective);

        var (_, ofPlan, _) = await GetAsync(client, $"/api/v1/partnerships?plan={plan.Id}");
        var (_, activeInInyo, _) = await GetAsync(client, "/api/v1/partnerships?status=Active&county=Inyo");
        var (_, ofProvider, _) = await GetAsync(client, $"/api/v1/partnerships?provider={prospective.Id}");

        Assert.Equal(2, Items(ofPlan).Count);
        var one = Assert.Single(Items(activeInInyo));
        Assert.Equal((plan.Id, plan.Name, active.Id, active.Name, "Active"),
            (one.GetProperty("planId").GetGuid(), one.GetProperty("plan").GetString(), one.GetProperty("providerId").GetGuid(), one.GetProperty("provider").GetString(), one.GetProperty("status").GetString()));
        Assert.Equal(["HomeVisits"], one.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(10, one.GetProperty("monthlyReferralCapacity").GetInt32());
        Assert.False(one.TryGetProperty("contacts", out _));
        Assert.Equal("Prospective", Assert.Single(Items(ofProvider)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Action_items_are_counted_by_status_for_submitted_assessments_only()
    {
        var client = await ReviewerClientAsync();
        var (plan, assessment) = await SubmittedPlanAsync(factory.Data, "2023", Answer.NotMet);
        await AddActionItemsAsync(factory.Services, assessment);
        var draftPlan = await factory.Data.PlanAsync();
        var draft = await factory.Data.AssessmentAsync(draftPlan, "2023", Answer.NotMet);
        await AddActionItemsAsync(factory.Services, draft);

        var (status, page, _) = await GetAsync(client, "/api/v1/action-items?cycle=2023");

        Assert.Equal(HttpStatusCode.OK, status);
        var counts = Assert.Single(Items(page));
        Assert.Equal((plan.Id, plan.Name, assessment.Id, "2023"),
            (counts.GetProperty("organizationId").GetGuid(), counts.GetProperty("organization").GetString(), counts.GetProperty("assessmentId").GetGuid(), counts.GetProperty("cycle").GetString()));
        Assert.Equal((1, 1, 1, 1, 1, 4),
            (counts.GetProperty("planned").GetInt32(), counts.GetProperty("inProgress").GetInt32(), counts.GetProperty("done").GetInt32(),
             counts.GetProperty("dropped").GetInt32(), counts.GetProperty("overdue").GetInt32(), counts.GetProperty("total").GetInt32()));
    }

    [Theory]
    [InlineData("/api/v1/assessments?page=0", "page", "page is a whole number from 1 to 100,000.")]
    [InlineData("/api/v1/assessments?page=abc", "page", "page is a whole number from 1 to 100,000.")]
    [InlineData("/api/v1/cycles?pageSize=500", "pageSize", "pageSize is a whole number from 1 to 200.")]
    [InlineData("/api/v1/assessments?cycle=1850", "cycle", "The Medi-Cal palliative care benefit began in 2018: enter 2018 or later.")]
    [InlineData("/api/v1/assessments?planModel=None", "planModel", "\u201cNone\u201d is not a planModel. Use one of: Cohs, TwoPlan, Gmc, Regional, SinglePlan.")]
    [InlineData("/api/v1/organizations?kind=Hospital", "kind", "\u201cHospital\u201d is not a kind. Use one of: ManagedCarePlan, PalliativeCareProvider, StatewideSupport.")]
    [InlineData("/api/v1/partnerships?county=Atlantis", "county", "\u201cAtlantis\u201d is not a California county. Give its name (Alameda) or its FIPS code (06001).")]
    [InlineData("/api/v1/partnerships?status=Paused", "status", "\u201cPaused\u201d is not a status. Use one of: Prospective, Contracting, Active, Ended.")]
    [InlineData("/api/v1/action-items?organization=42", "organization", "organization is an id such as 3f2b8c1e-5d4a-4e7b-9c2d-1a0b9e8f7d6c.")]
    [InlineData("/api/v1/assessments?cycel=2026", "cycel", "This endpoint has no parameter \u201ccycel\u201d. It takes: cycle, kind, planModel, county, organization, page, pageSize.")]
    [InlineData("/api/v1/cycles?cycle=2026", "cycle", "This endpoint has no parameter \u201ccycle\u201d. It takes: page, pageSize.")]
    [InlineData("/api/v1/assessments?cycle=2025&cycle=2026", "cycle", "Give cycle once.")]
    public async Task A_bad_parameter_answers_400_naming_it(string path, string parameter, string message)
    {
        var client = await ReviewerClientAsync();

        var (status, body, response) = await GetAsync(client, path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.Equal([message], body.GetProperty("errors").GetProperty(parameter).EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Several_bad_parameters_are_all_named_in_one_answer()
    {
        var client = await ReviewerClientAsync();

        var (status, body, _) = await GetAsync(client, "/api/v1/assessments?page=-1&county=Nowhere&planModel=x");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["county", "page", "planModel"], body.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    private async Task RecordAllAsync(Guid assessmentId, Answer answer, bool submit = false)
    {
        await using var op = factory.Services.GetRequiredService<PalliativeToolkit.Infrastructure.Operations.OperationRunner>().OpenAsSystem(TestContext.Current.CancellationToken);
        var assessment = await op.Db.Assessments.Include(a => a.Elements).ThenInclude(e => e.Criteria)
            .SingleAsync(a => a.Id == assessmentId, TestContext.Current.CancellationToken);
        foreach (var element in assessment.Elements)
        {
            assessment.RecordElement(element.Id, element.Criteria.ToDictionary(c => c.CriterionId, _ => answer), "reworked", [], Priority.None);
        }

        if (submit)
        {
            assessment.Submit(op.Now, "test");
        }

        await op.SaveAsync();
    }

    private async Task WithdrawAsync(Guid assessmentId)
    {
        await using var op = factory.Services.GetRequiredService<PalliativeToolkit.Infrastructure.Operations.OperationRunner>().OpenAsSystem(TestContext.Current.CancellationToken);
        var assessment = await op.Db.Assessments.Include(a => a.Submissions).SingleAsync(a => a.Id == assessmentId, TestContext.Current.CancellationToken);
        assessment.Withdraw(op.Now, "test");
        await op.SaveAsync();
    }
}

/// <summary>A fixed number of database commands per API request, however many organizations or rounds there are.</summary>
public class ApiScaleTests(EmptyPortalFactory factory) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task The_assessments_and_action_items_read_in_as_many_commands_for_one_plan_as_for_many()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        using var scope = factory.Services.CreateScope();
        var api = scope.ServiceProvider.GetRequiredService<StatewideApi>();
        var all = new ApiOrganizationFilter();

        async Task<(int Items, int Commands)> MeasureAsync(Func<Task<int>> read)
        {
            using var counter = CommandCounter.Start();
            var items = await read();
            return (items, counter.Count);
        }

        async Task<int> Assessments(int size) => (await api.AssessmentsAsync(reviewer.Principal, "2024", all, new Paging(1, size), TestContext.Current.CancellationToken)).Value.Items.Count;
        async Task<int> Organizations(int size) => (await api.OrganizationsAsync(reviewer.Principal, all, new Paging(1, size), TestContext.Current.CancellationToken)).Value.Items.Count;

        await factory.Data.SubmittedPlansAsync(1, "2024");
        var one = await MeasureAsync(() => Assessments(200));
        var oneOrganization = await MeasureAsync(() => Organizations(200));
        await factory.Data.SubmittedPlansAsync(30, "2024");
        var many = await MeasureAsync(() => Assessments(200));
        var manyOrganizations = await MeasureAsync(() => Organizations(200));

        Assert.Equal((1, 31), (one.Items, many.Items));
        Assert.Equal(one.Commands, many.Commands);
        Assert.True(manyOrganizations.Items > oneOrganization.Items);
        Assert.Equal(oneOrganization.Commands, manyOrganizations.Commands);
    }
}
