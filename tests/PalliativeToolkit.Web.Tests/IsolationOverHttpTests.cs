using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Web.Tests;

/// <summary>A user of plan X gets neither the pages nor the data of plan Y, by link or by typed URL.</summary>
public class IsolationOverHttpTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string PlanX = "Golden Poppy";
    private const string PlanY = "Sierra Vista";

    /// <summary>Plan X with its manager (who can sign in) and a draft; plan Y with a submitted assessment.</summary>
    private async Task<(Organization X, TestUser Manager, Assessment Draft, Organization Y, Assessment Submitted)> TwoPlansAsync()
    {
        var x = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(x, OrganizationRole.Manager, withPassword: true);
        var draft = await factory.Data.AssessmentAsync(x, "2027", Answer.Met);
        var y = await factory.Data.PlanAsync();
        var submitted = await factory.Data.AssessmentAsync(y, "2026", Answer.Met, submit: true);
        return (x, manager, draft, y, submitted);
    }

    [Fact]
    public async Task Health_reports_the_database()
    {
        var client = factory.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"database\":\"Healthy\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_the_login_page()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/assessments");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_plan_user_sees_their_own_assessment()
    {
        var (x, manager, draft, _, _) = await TwoPlansAsync();
        var client = await factory.SignedInClientAsync(manager.Email, TestUser.Password);

        var html = await client.GetStringAsync($"/assessments/{draft.Id}");

        Assert.Contains(x.Name, html);
        Assert.DoesNotContain("Assessment not found", html);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/report")]
    public async Task A_plan_user_typing_another_plans_assessment_url_gets_nothing_of_it(string suffix)
    {
        var (_, manager, _, y, submitted) = await TwoPlansAsync();
        var client = await factory.SignedInClientAsync(manager.Email, TestUser.Password);

        var response = await client.GetAsync($"/assessments/{submitted.Id}{suffix}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("does not exist, or you do not have access to it", html);
        Assert.DoesNotContain(y.Name, html);
        Assert.DoesNotContain("A1 evidence", html);
    }

    [Fact]
    public async Task A_plan_reads_a_partners_readiness_by_id_only_while_the_provider_shares_it()
    {
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan, OrganizationRole.Manager, withPassword: true);
        var provider = await factory.Data.ProviderAsync();
        var partnership = await factory.Data.PartnershipAsync(plan, provider);
        var earlier = await factory.Data.AssessmentAsync(provider, "2025", Answer.NotMet, submit: true);
        var readiness = await factory.Data.AssessmentAsync(provider, "2026", Answer.Met, submit: true);
        var client = await factory.SignedInClientAsync(manager.Email, TestUser.Password);

        async Task<(HttpStatusCode Page, HttpStatusCode Report, string Partner)> ReadAsync() =>
            ((await client.GetAsync($"/assessments/{readiness.Id}")).StatusCode,
             (await client.GetAsync($"/assessments/{readiness.Id}/report")).StatusCode,
             await client.GetStringAsync($"/partners/{partnership.Id}"));

        var unshared = await ReadAsync();
        var grant = await factory.Data.ShareReadinessAsync(provider, plan);
        var shared = await ReadAsync();
        var earlierShared = ((await client.GetAsync($"/assessments/{earlier.Id}")).StatusCode, (await client.GetAsync($"/assessments/{earlier.Id}/report")).StatusCode);
        await factory.Data.RevokeAsync(grant.Id);
        var revoked = await ReadAsync();

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (unshared.Page, unshared.Report));
        Assert.Contains("has not shared its readiness", unshared.Partner, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (shared.Page, shared.Report));
        Assert.Contains("latest submitted readiness: cycle 2026", shared.Partner, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), earlierShared);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (revoked.Page, revoked.Report));
        Assert.DoesNotContain("latest submitted readiness", revoked.Partner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_plans_partnership_answers_not_found_by_its_url()
    {
        var (_, manager, _, y, _) = await TwoPlansAsync();
        var provider = await factory.Data.ProviderAsync();
        var partnership = await factory.Data.PartnershipAsync(y, provider);
        var client = await factory.SignedInClientAsync(manager.Email, TestUser.Password);

        var response = await client.GetAsync($"/partners/{partnership.Id}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(y.Name, html);
        Assert.DoesNotContain("Provider Contact", html);
    }

    [Fact]
    public async Task The_assessment_list_shows_only_the_users_organizations()
    {
        var client = await factory.SignedInClientAsync("manager");

        var html = await client.GetStringAsync("/assessments");

        Assert.Contains(PlanX, html);
        Assert.DoesNotContain(PlanY, html);
        Assert.DoesNotContain("Bayshore", html);
    }

    [Theory]
    [InlineData("manager", "/statewide")]
    [InlineData("manager", "/statewide/heatmap")]
    [InlineData("manager", "/statewide/compare")]
    [InlineData("manager", "/statewide/trends")]
    [InlineData("manager", "/review")]
    [InlineData("provider", "/statewide/heatmap")]
    [InlineData("provider", "/review")]
    public async Task A_plan_or_provider_user_cannot_open_a_statewide_page(string account, string path)
    {
        var client = await factory.SignedInClientAsync(account);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("AccessDenied", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Progress_in_California_shows_a_plan_totals_and_never_another_plans_name()
    {
        // Enough plans in the latest ended cycle (the one the page opens on beyond reviewers: a cycle's figures are
        // published once it has ended, ADR 0025) for the figures to show, so that a name leaking beside them would be seen.
        var lastYear = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1;
        var cycle = lastYear.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var submitted = new List<Organization>();
        for (var i = 0; i < 5; i++)
        {
            var plan = await factory.Data.PlanAsync();
            await factory.Data.AssessmentAsync(plan, cycle, Answer.Met, submit: true, at: new DateTime(lastYear, 6, 1, 18, 0, 0, DateTimeKind.Utc));
            submitted.Add(plan);
        }

        var client = await factory.SignedInClientAsync("manager");

        var html = await client.GetStringAsync("/progress");

        Assert.Contains($"plans submitted a self-assessment for {cycle}", html);
        Assert.Contains("data-testid=\"progress-A-minimum\"", html);
        Assert.All(submitted, plan => Assert.DoesNotContain(plan.Name, html));
        Assert.DoesNotContain("Bayshore", html);
        Assert.DoesNotContain("Sierra Vista", html);
        Assert.DoesNotContain(PlanY, html);
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("reviewer")]
    [InlineData("provider")]
    public async Task Only_an_administrator_opens_the_administration(string account)
    {
        var client = await factory.SignedInClientAsync(account);

        var response = await client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("AccessDenied", response.Headers.Location!.ToString());
        var admin = await factory.SignedInClientAsync("admin");
        Assert.Contains("Administration", await admin.GetStringAsync("/admin"));
    }

    [Fact]
    public async Task A_reviewer_sees_submitted_work_but_not_a_draft_even_by_its_url()
    {
        var (x, _, draft, y, submitted) = await TwoPlansAsync();
        var client = await factory.SignedInClientAsync("reviewer");

        var draftResponse = await client.GetAsync($"/assessments/{draft.Id}");
        var draftHtml = await draftResponse.Content.ReadAsStringAsync();
        var submittedHtml = await client.GetStringAsync($"/assessments/{submitted.Id}");
        var statewide = await client.GetStringAsync("/statewide");

        Assert.Equal(HttpStatusCode.NotFound, draftResponse.StatusCode);
        Assert.DoesNotContain(x.Name, draftHtml);
        Assert.Contains(y.Name, submittedHtml);
        Assert.Contains("round 1", submittedHtml);
        // The submissions table lists submitted work only; the partner network below names every plan, without its work.
        var submissions = statewide[statewide.IndexOf("data-testid=\"submissions\"", StringComparison.Ordinal)..statewide.IndexOf("data-testid=\"coverage-map\"", StringComparison.Ordinal)];
        Assert.Contains(y.Name, submissions);
        Assert.DoesNotContain(x.Name, submissions);
    }

    [Theory]
    [InlineData("/assessments/not-a-guid")]
    [InlineData("/assessments/00000000-0000-0000-0000-000000000000")]
    [InlineData("/assessments/6b1a0c5e-1111-4444-8888-123456789abc/report")]
    [InlineData("/no-such-page")]
    public async Task Wrong_ids_and_urls_answer_not_found(string url)
    {
        var client = await factory.SignedInClientAsync("manager");

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1", await response.Content.ReadAsStringAsync());
    }
}
