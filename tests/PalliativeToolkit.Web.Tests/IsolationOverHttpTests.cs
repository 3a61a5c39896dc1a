using System.Net;
using PalliativeToolkit.Domain.Assessments;

namespace PalliativeToolkit.Web.Tests;

/// <summary>A user of plan X gets neither the pages nor the data of plan Y, by link or by typed URL.</summary>
public class IsolationOverHttpTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string PlanX = "Golden Poppy";
    private const string PlanY = "Sierra Vista";

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
        var own = await factory.AssessmentAsync(PlanX, AssessmentStatus.Draft);
        var client = await factory.SignedInClientAsync("manager");

        var html = await client.GetStringAsync($"/assessments/{own.Id}");

        Assert.Contains(own.Organization!.Name, html);
        Assert.DoesNotContain("Assessment not found", html);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/report")]
    public async Task A_plan_user_typing_another_plans_assessment_url_gets_nothing_of_it(string suffix)
    {
        var other = await factory.AssessmentAsync(PlanY, AssessmentStatus.Submitted);
        var client = await factory.SignedInClientAsync("manager");

        var html = await client.GetStringAsync($"/assessments/{other.Id}{suffix}");

        Assert.Contains("not found", html);
        Assert.DoesNotContain(other.Organization!.Name, html);
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

    [Fact]
    public async Task A_plan_user_cannot_open_the_statewide_page()
    {
        var client = await factory.SignedInClientAsync("manager");

        var response = await client.GetAsync("/statewide");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("AccessDenied", response.Headers.Location!.ToString());
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
        var draft = await factory.AssessmentAsync(PlanX, AssessmentStatus.Draft);
        var submitted = await factory.AssessmentAsync(PlanY, AssessmentStatus.Submitted);
        var client = await factory.SignedInClientAsync("reviewer");

        var draftHtml = await client.GetStringAsync($"/assessments/{draft.Id}");
        var submittedHtml = await client.GetStringAsync($"/assessments/{submitted.Id}");
        var statewide = await client.GetStringAsync("/statewide");

        Assert.Contains("not found", draftHtml);
        Assert.DoesNotContain(draft.Cycle + "</", draftHtml.Replace(submitted.Cycle, "", StringComparison.Ordinal));
        Assert.Contains(submitted.Organization!.Name, submittedHtml);
        Assert.Contains(PlanY, statewide);
    }

    [Theory]
    [InlineData("/assessments/not-a-guid")]
    [InlineData("/assessments/00000000-0000-0000-0000-000000000000")]
    [InlineData("/assessments/6b1a0c5e-1111-4444-8888-123456789abc/report")]
    [InlineData("/no-such-page")]
    public async Task Wrong_ids_and_urls_never_give_a_server_error(string url)
    {
        var client = await factory.SignedInClientAsync("manager");

        var response = await client.GetAsync(url);

        Assert.True((int)response.StatusCode < 500, $"{url} gave {(int)response.StatusCode}");
    }
}
