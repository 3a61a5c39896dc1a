using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using PalliativeToolkit.Web.Features.Api;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// An analyst's token, end to end: a statewide reviewer (signed in with the authenticator) makes it on My account, reads
/// its secret off the page once, calls the API with it and gets the statewide data; revokes it, and the next call is
/// refused. A token that calls too often is told to wait. The API's reference page works under the portal's policy.
/// </summary>
public class ApiTokenTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private HttpClient Api(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(App.BaseUrl) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Makes a token on the page and answers the secret it shows.</summary>
    private async Task<string> MakeTokenAsync(string name, string expiry)
    {
        await Page.Locator("#Input\\.Name").FillAsync(name);
        await Page.Locator("#Input\\.ExpiresInDays").SelectOptionAsync(new SelectOptionValue { Label = expiry });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var shown = Page.GetByTestId("new-token");
        await Expect(shown).ToContainTextAsync("it is shown only this once");
        var secret = await Page.Locator("#new-token-secret").InputValueAsync();
        Assert.Matches("^ptk_[A-Za-z0-9_-]{43}$", secret);
        return secret;
    }

    [Fact]
    public async Task A_reviewer_makes_a_token_on_my_account_reads_the_api_with_it_then_revokes_it_and_it_is_refused()
    {
        await LogInAsync("reviewer");
        await Page.GotoAsync("Account/Manage");
        await Page.GetByRole(AriaRole.Link, new() { Name = "API tokens" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "API tokens" })).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        // A token without a name is refused next to the field, and nothing is made.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Expect(Page.Locator("#name-error")).ToHaveTextAsync("Name the token after the program or report that will use it.");
        await Expect(Page.Locator("#Input\\.Name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.GetByTestId("new-token")).ToHaveCountAsync(0);
        await AssertAccessibleAsync();

        var secret = await MakeTokenAsync("Analyst notebook", "30 days");
        var row = Page.GetByTestId("api-tokens").Locator("tr[data-token='Analyst notebook']");
        await Expect(row).ToContainTextAsync(secret[..12]);
        await Expect(row.GetByTestId("token-status")).ToHaveTextAsync("Active");
        await AssertAccessibleAsync();

        // The token reads the statewide data; the browser's own cookie does not.
        using (var response = await Api(secret).GetAsync("api/v1/assessments?pageSize=5", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            Assert.True(page.GetProperty("total").GetInt32() > 0);
            Assert.NotEmpty(page.GetProperty("items")[0].GetProperty("elements").EnumerateArray());
        }

        var withCookie = await Context.APIRequest.GetAsync("api/v1/cycles");
        Assert.Equal(401, withCookie.Status);

        // Shown once: the page no longer holds the secret; it says when the token was last used.
        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("new-token")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await Page.ContentAsync(), StringComparison.Ordinal);
        await Expect(row.Locator("td").Nth(4)).Not.ToHaveTextAsync("Never");

        // Revoked after a confirmation: the next call is refused.
        await row.GetByRole(AriaRole.Link, new() { Name = "Revoke Analyst notebook" }).ClickAsync();
        var confirm = Page.GetByTestId("confirm-revoke");
        await Expect(confirm).ToContainTextAsync("Revoke the token \u201cAnalyst notebook\u201d");
        await AssertAccessibleAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke token" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "is revoked" })).ToBeVisibleAsync();
        await Expect(row.GetByTestId("token-status")).ToContainTextAsync("Revoked");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Revoke Analyst notebook" })).ToHaveCountAsync(0);

        // On a phone the list scrolls sideways within the page.
        await Page.SetViewportSizeAsync(390, 844);
        await Page.ReloadAsync();
        await Expect(row).ToBeAttachedAsync();
        await AssertAccessibleAsync();

        using var refused = await Api(secret).GetAsync("api/v1/assessments", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("The token was revoked.", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_calls_too_often_is_told_when_to_try_again()
    {
        var permits = App.Services.GetRequiredService<IOptions<ApiOptions>>().Value.PermitPerMinute;
        await LogInAsync("admin");
        await Page.GotoAsync("Account/Manage/ApiTokens");
        var secret = await MakeTokenAsync("Busy script", "90 days");
        using var client = Api(secret);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i <= permits; i++)
        {
            last?.Dispose();
            last = await client.GetAsync("api/v1/cycles", TestContext.Current.CancellationToken);
            statuses.Add(last.StatusCode);
        }

        Assert.All(statuses.Take(permits), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var retryAfter = int.Parse(Assert.Single(last!.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Contains($"Try again in {retryAfter} seconds", await last.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        last.Dispose();
    }

    [Fact]
    public async Task The_api_reference_page_shows_the_endpoints_and_tries_one_with_a_token_under_the_portals_content_security_policy()
    {
        await LogInAsync("reviewer");
        await Page.GotoAsync("Account/Manage/ApiTokens");
        var secret = await MakeTokenAsync("Reference page", "30 days");
        await Page.GetByRole(AriaRole.Link, new() { Name = "API reference" }).ClickAsync();

        await Expect(Page).ToHaveTitleAsync("PalliativeToolkit API reference");
        await Expect(Page.GetByText("Latest submitted assessments").First).ToBeVisibleAsync();
        await Expect(Page.GetByText("Action item counts").First).ToBeVisibleAsync();
        Assert.Equal("en", await Page.EvaluateAsync<string>("() => document.documentElement.lang"));
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Deploy .NET" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync();

        // Its client sends a request with the token, from the page, and shows the answer.
        await Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Test Request.*get .api.v1.cycles") }).ClickAsync();
        await Page.Locator("input[id^='scalar-client-'][placeholder='Token']").FillAsync(secret);
        await Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Send Request") }).ClickAsync();
        await Expect(Page.GetByText("200 OK").First).ToBeVisibleAsync();

        // The document it read is the portal's own, with the bearer scheme.
        var document = await Context.APIRequest.GetAsync("openapi/v1.json");
        Assert.Equal(200, document.Status);
        Assert.Contains("\"bearer\"", await document.TextAsync(), StringComparison.Ordinal);
    }
}
