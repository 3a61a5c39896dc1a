using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Api;
using static PalliativeToolkit.Web.Tests.ApiTestKit;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Who the API answers: a personal token of a statewide reviewer or administrator, sent as a bearer token, nothing else
/// (no cookie, no token of someone who lost the role, is locked or lacks the second factor, no revoked token).
/// </summary>
public class ApiAuthenticationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Without_a_token_the_api_answers_401_with_a_bearer_challenge_and_problem_details()
    {
        var (status, body, response) = await GetAsync(Client(factory, null), "/api/v1/cycles");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer realm=\"PalliativeToolkit API\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, body.GetProperty("status").GetInt32());
        Assert.Contains("Authorization: Bearer", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ptk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // well formed, unknown
    [InlineData("ptk_short")]
    [InlineData("not-a-token-at-all")]
    public async Task A_wrong_token_is_refused_as_invalid(string token)
    {
        var (status, body, response) = await GetAsync(Client(factory, token), "/api/v1/organizations");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("The token is not valid.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Another_scheme_than_bearer_is_refused()
    {
        var (_, token) = await ReviewerWithTokenAsync(factory, factory.Data);
        var client = Client(factory, null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", token);

        var (status, body, _) = await GetAsync(client, "/api/v1/cycles");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("The Authorization header must be: Bearer", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reviewers_token_reads_the_api_and_its_last_use_is_kept_without_any_sign_in_session()
    {
        var (reviewer, token) = await ReviewerWithTokenAsync(factory, factory.Data);

        var (status, body, _) = await GetAsync(Client(factory, token), "/api/v1/cycles");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("total").GetInt32() >= 2);

        // The token is its own credential: this reviewer never signed in, so no cookie session exists, and the call was served.
        Assert.Equal(0, await factory.Data.StoredAsync(db => db.UserSessions.CountAsync(s => s.UserId == reviewer.Id)));
        var stored = await factory.Data.StoredAsync(db => db.ApiTokens.SingleAsync(t => t.UserId == reviewer.Id));
        Assert.NotNull(stored.LastUsedAt);
    }

    [Fact]
    public async Task An_administrators_token_reads_the_api_too()
    {
        var (_, token) = await ReviewerWithTokenAsync(factory, factory.Data, GlobalRoles.Administrator);

        var (status, _, _) = await GetAsync(Client(factory, token), "/api/v1/organizations?pageSize=1");

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_signed_in_reviewers_cookie_does_not_authorize_the_api()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer, withPassword: true);
        var browser = await factory.SignedInClientAsync(reviewer.Email, TestUser.Password);

        var page = await browser.GetAsync("/statewide", TestContext.Current.CancellationToken);
        var (status, _, response) = await GetAsync(browser, "/api/v1/cycles");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_from_its_next_request()
    {
        var (reviewer, token) = await ReviewerWithTokenAsync(factory, factory.Data);
        var client = Client(factory, token);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/cycles")).Status);
        var id = await factory.Data.StoredAsync(db => db.ApiTokens.Where(t => t.UserId == reviewer.Id).Select(t => t.Id).SingleAsync());

        using (var scope = factory.Services.CreateScope())
        {
            var revoked = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(reviewer.Principal, id, TestContext.Current.CancellationToken);
            Assert.True(revoked.Succeeded);
        }

        var (status, body, response) = await GetAsync(client, "/api/v1/cycles");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("The token was revoked.", body.GetProperty("detail").GetString());
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("role removed")]
    [InlineData("locked")]
    [InlineData("second factor reset")]
    public async Task A_token_stops_working_when_its_account_no_longer_reads_statewide_data(string change)
    {
        var (reviewer, token) = await ReviewerWithTokenAsync(factory, factory.Data);
        var client = Client(factory, token);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/cycles")).Status);

        await using (var op = factory.Services.GetRequiredService<OperationRunner>().OpenAsSystem(TestContext.Current.CancellationToken))
        {
            var users = op.Services.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByIdAsync(reviewer.Id);
            var result = change switch
            {
                "role removed" => await users.RemoveFromRoleAsync(user!, GlobalRoles.StatewideReviewer),
                "locked" => await users.SetLockoutEndDateAsync(user!, DateTimeOffset.MaxValue),
                _ => await users.SetTwoFactorEnabledAsync(user!, false),
            };
            Assert.True(result.Succeeded);
        }

        var (status, body, _) = await GetAsync(client, "/api/v1/cycles");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("The token's account is locked, or no longer reads statewide data", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_manager_can_neither_make_a_token_nor_read_the_api()
    {
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan, OrganizationRole.Manager, withPassword: true);
        using var scope = factory.Services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();

        var made = await tokens.CreateAsync(manager.Principal, new CreateApiTokenCommand { Name = "Mine" }, TestContext.Current.CancellationToken);
        var listed = await tokens.ListAsync(manager.Principal, TestContext.Current.CancellationToken);
        var browser = await factory.SignedInClientAsync(manager.Email, TestUser.Password);
        var (status, _, _) = await GetAsync(browser, "/api/v1/assessments");

        Assert.IsType<Failure.Refused>(made.Failure);
        Assert.IsType<Failure.Refused>(listed.Failure);
        Assert.False(await factory.Data.StoredAsync(db => db.ApiTokens.AnyAsync(t => t.UserId == manager.Id)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task An_unknown_address_or_method_under_the_api_answers_problem_details_not_the_portals_page()
    {
        var (_, token) = await ReviewerWithTokenAsync(factory, factory.Data);
        var client = Client(factory, token);

        var (missing, missingBody, missingResponse) = await GetAsync(client, "/api/v1/nothing-here");
        var post = await client.PostAsync("/api/v1/cycles", new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("application/problem+json", missingResponse.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/api/reference", missingBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(post.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, post.StatusCode.ToString());
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>A token lives as long as it was made for: 30, 90 or 365 days.</summary>
public class ApiTokenExpiryTests(FakeClockPortalFactory factory) : IClassFixture<FakeClockPortalFactory>
{
    [Fact]
    public async Task A_token_is_refused_once_it_has_expired()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var token = await TokenAsync(factory, reviewer, days: 30);
        var client = Client(factory, token);
        factory.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/cycles")).Status);

        factory.Clock.Advance(TimeSpan.FromDays(1));
        var (status, body, _) = await GetAsync(client, "/api/v1/cycles");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("The token has expired. Make a new one on My account.", body.GetProperty("detail").GetString());
        using var scope = factory.Services.CreateScope();
        var listed = (await scope.ServiceProvider.GetRequiredService<ApiTokenService>().ListAsync(reviewer.Principal, TestContext.Current.CancellationToken)).Value;
        Assert.Equal(Domain.Accounts.ApiTokenState.Expired, Assert.Single(listed).State);
    }
}

/// <summary>The portal with a low API limit: three requests a minute per token.</summary>
public sealed class ApiRateLimitedPortalFactory : PortalFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Api:PermitPerMinute", "3");
    }
}

/// <summary>ASP.NET Core's rate limiter on the API: per token, 429 with Retry-After over the limit.</summary>
public class ApiRateLimitTests(ApiRateLimitedPortalFactory factory) : IClassFixture<ApiRateLimitedPortalFactory>
{
    [Fact]
    public async Task Over_the_limit_a_token_gets_429_with_retry_after_while_another_token_is_still_served()
    {
        var (_, token) = await ReviewerWithTokenAsync(factory, factory.Data);
        var (_, other) = await ReviewerWithTokenAsync(factory, factory.Data);
        var client = Client(factory, token);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/cycles")).Status);
        }

        var (status, body, response) = await GetAsync(client, "/api/v1/organizations");
        var (otherStatus, _, _) = await GetAsync(Client(factory, other), "/api/v1/cycles");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, body.GetProperty("status").GetInt32());
        Assert.Contains($"Try again in {retryAfter} seconds", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherStatus);
    }

    [Fact]
    public async Task Requests_without_a_token_are_limited_by_their_client()
    {
        var client = Client(factory, "not-a-token");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await GetAsync(client, "/api/v1/cycles")).Status);
        }

        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}

/// <summary>The per-address limit: a client cannot open a window per made-up token (a fixture of its own, so its count starts at zero).</summary>
public class ApiAddressLimitTests(ApiRateLimitedPortalFactory factory) : IClassFixture<ApiRateLimitedPortalFactory>
{
    [Fact]
    public async Task Made_up_tokens_each_of_the_right_form_are_limited_by_their_client_address_too()
    {
        var statuses = new List<HttpStatusCode>();
        var limit = 3 * Features.Api.ApiRateLimit.AddressFactor;
        for (var i = 0; i <= limit + 5; i++)
        {
            statuses.Add((await GetAsync(Client(factory, PalliativeToolkit.Infrastructure.Identity.ApiTokenSecret.New().Secret), "/api/v1/cycles")).Status);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
    }
}

/// <summary>The OpenAPI document and the reference page: the API's endpoints only, the bearer scheme, under the portal's content security policy.</summary>
public class ApiDocumentTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task The_openapi_document_lists_the_apis_endpoints_their_parameters_and_the_bearer_scheme_and_nothing_else()
    {
        var client = factory.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/api/v1/action-items", "/api/v1/assessments", "/api/v1/cycles", "/api/v1/organizations", "/api/v1/partnerships"], paths);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiToken");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.True(document.GetProperty("security")[0].TryGetProperty("ApiToken", out _));
        var assessments = document.GetProperty("paths").GetProperty("/api/v1/assessments").GetProperty("get");
        var parameters = assessments.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));
        Assert.Equal(["cycle", "kind", "planModel", "county", "organization", "page", "pageSize"], parameters.Keys);
        Assert.Equal("integer", parameters["pageSize"].GetProperty("type").GetString());
        Assert.Equal(200, parameters["pageSize"].GetProperty("maximum").GetInt32());
        Assert.Contains("Regional", parameters["planModel"].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.True(assessments.GetProperty("responses").TryGetProperty("400", out _));
        Assert.True(assessments.GetProperty("responses").TryGetProperty("429", out _));
    }

    [Fact]
    public async Task The_reference_page_runs_the_portals_own_copy_of_scalar_under_the_portals_policy()
    {
        var client = factory.CreateClient();

        var response = await client.GetAsync("/api/reference/", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var script = await client.GetAsync("/api/reference/scalar.js", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var nonce = System.Text.RegularExpressions.Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains("script-src 'self' 'nonce-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains($"nonce=\"{nonce.Replace("+", "&#x2B;", StringComparison.Ordinal)}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.jsdelivr.net", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
