using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Accounts;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Api;
using static PalliativeToolkit.Web.Tests.ApiTestKit;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// API tokens on My account, over HTTP as a browser posts the forms: made with a name and an expiry (the secret shown
/// once, only its hash stored), listed, revoked after a confirmation; reviewers and administrators only.
/// </summary>
public partial class ApiTokenPageTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string PagePath = "/Account/Manage/ApiTokens";

    private async Task<(TestUser Reviewer, HttpClient Browser)> SignedInReviewerAsync()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer, withPassword: true);
        return (reviewer, await factory.SignedInClientAsync(reviewer.Email, TestUser.Password));
    }

    private static async Task<HttpResponseMessage> CreateAsync(HttpClient browser, string name, string days = "90")
    {
        var fields = FormFields(await browser.GetStringAsync(PagePath, TestContext.Current.CancellationToken), "create-token");
        fields["Input.Name"] = name;
        fields["Input.ExpiresInDays"] = days;
        using var form = new FormUrlEncodedContent(fields);
        return await browser.PostAsync(PagePath, form, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_reviewer_makes_a_token_whose_secret_is_shown_once_and_stored_only_as_its_hash()
    {
        var (reviewer, browser) = await SignedInReviewerAsync();

        using var response = await CreateAsync(browser, "Quarterly dashboard", "30");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var secret = SecretIn(html);
        Assert.Contains("it is shown only this once", html, StringComparison.Ordinal);
        var stored = await factory.Data.StoredAsync(db => db.ApiTokens.SingleAsync(t => t.UserId == reviewer.Id));
        Assert.Equal(("Quarterly dashboard", secret[..12], ApiTokenSecret.Hash(secret)), (stored.Name, stored.Prefix, stored.Hash));
        Assert.Equal(stored.CreatedAt.AddDays(30), stored.ExpiresAt);
        Assert.NotEqual(secret, stored.Hash);
        Assert.DoesNotContain(secret[12..], stored.Hash + stored.Prefix + stored.Name, StringComparison.Ordinal);

        // The audit trail says a token was made, never its secret or hash.
        var audit = await factory.Data.StoredAsync(db => db.AuditEntries.SingleAsync(a => a.Action == nameof(SecurityEvent.ApiTokenCreated) && a.SubjectUserId == reviewer.Id));
        Assert.Contains("Quarterly dashboard", audit.NewValues, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, audit.NewValues, StringComparison.Ordinal);
        Assert.DoesNotContain(stored.Hash, audit.NewValues, StringComparison.Ordinal);

        // Shown once: the page lists the token afterwards, not its secret; and the secret reads the API.
        var again = await browser.GetStringAsync(PagePath, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(secret, again, StringComparison.Ordinal);
        Assert.Contains("Quarterly dashboard", again, StringComparison.Ordinal);
        Assert.Contains($"{secret[..12]}\u2026", System.Net.WebUtility.HtmlDecode(again), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Client(factory, secret), "/api/v1/cycles")).Status);
    }

    [Theory]
    [InlineData("", "90", "Input.Name", "Name the token after the program or report that will use it.")]
    [InlineData("Report\u202Etxt", "90", "Input.Name", "Remove the control or invisible characters (such as a right-to-left override): they can disguise what the text says.")]
    [InlineData("Report", "7", "Input.ExpiresInDays", "Choose when the token expires: in 30, 90 or 365 days.")]
    public async Task A_bad_name_or_expiry_is_refused_next_to_its_field_and_nothing_is_made(string name, string days, string field, string message)
    {
        var (reviewer, browser) = await SignedInReviewerAsync();

        using var response = await CreateAsync(browser, name, days);
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errorId = field == "Input.Name" ? "name-error" : "expiry-error";
        Assert.Contains($"<div class=\"validation-message\" id=\"{errorId}\">{message}</div>", html, StringComparison.Ordinal);
        Assert.Matches($"id=\"{Regex.Escape(field)}\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"{Regex.Escape(field)}\"", html);
        Assert.DoesNotContain("data-testid=\"new-token\"", html, StringComparison.Ordinal);
        Assert.False(await factory.Data.StoredAsync(db => db.ApiTokens.AnyAsync(t => t.UserId == reviewer.Id)));
    }

    [Fact]
    public async Task Two_active_tokens_cannot_share_a_name()
    {
        var (reviewer, browser) = await SignedInReviewerAsync();
        (await CreateAsync(browser, "Nightly export")).Dispose();

        using var response = await CreateAsync(browser, " nightly EXPORT ");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("You already have an active token named \u201cnightly EXPORT\u201d.", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Equal(1, await factory.Data.StoredAsync(db => db.ApiTokens.CountAsync(t => t.UserId == reviewer.Id)));
    }

    [Fact]
    public async Task Revoking_asks_first_then_refuses_the_token_from_its_next_request()
    {
        var (reviewer, browser) = await SignedInReviewerAsync();
        using var made = await CreateAsync(browser, "Script");
        var secret = SecretIn(await made.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var id = await factory.Data.StoredAsync(db => db.ApiTokens.Where(t => t.UserId == reviewer.Id).Select(t => t.Id).SingleAsync());

        var confirm = await browser.GetStringAsync($"{PagePath}?revoke={id}", TestContext.Current.CancellationToken);
        Assert.Contains("Revoke the token \u201cScript\u201d", System.Net.WebUtility.HtmlDecode(confirm), StringComparison.Ordinal);
        Assert.Null(await factory.Data.StoredAsync(db => db.ApiTokens.Where(t => t.Id == id).Select(t => t.RevokedAt).SingleAsync()));

        var fields = FormFields(confirm, "revoke-token");
        Assert.Equal(id.ToString(), fields["TokenId"]);
        using var form = new FormUrlEncodedContent(fields);
        using var revoked = await browser.PostAsync(PagePath, form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        var after = await browser.GetStringAsync(PagePath, TestContext.Current.CancellationToken);
        Assert.Contains("is revoked: programs that use it are refused from now on.", System.Net.WebUtility.HtmlDecode(after), StringComparison.Ordinal);
        Assert.Contains("Revoked ", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(Client(factory, secret), "/api/v1/cycles")).Status);
        Assert.True(await factory.Data.StoredAsync(db => db.AuditEntries.AnyAsync(a => a.Action == nameof(SecurityEvent.ApiTokenRevoked) && a.SubjectUserId == reviewer.Id)));
    }

    [Fact]
    public async Task Nobody_revokes_or_sees_anothers_token()
    {
        var (owner, ownerToken) = await ReviewerWithTokenAsync(factory, factory.Data);
        var id = await factory.Data.StoredAsync(db => db.ApiTokens.Where(t => t.UserId == owner.Id).Select(t => t.Id).SingleAsync());
        var (_, browser) = await SignedInReviewerAsync();
        (await CreateAsync(browser, "Mine")).Dispose();

        var confirm = await browser.GetStringAsync($"{PagePath}?revoke={id}", TestContext.Current.CancellationToken);
        var fields = FormFields(await browser.GetStringAsync(PagePath, TestContext.Current.CancellationToken), "create-token");
        fields["_handler"] = "revoke-token";
        fields["TokenId"] = id.ToString();
        using var form = new FormUrlEncodedContent(fields);
        using var posted = await browser.PostAsync(PagePath, form, TestContext.Current.CancellationToken);
        var after = await browser.GetStringAsync(PagePath, TestContext.Current.CancellationToken);

        Assert.Contains("That token does not exist, is not yours, or is no longer active.", confirm, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"confirm-revoke\"", confirm, StringComparison.Ordinal);
        Assert.Contains("That token does not exist, or it is not yours.", after, StringComparison.Ordinal);
        Assert.DoesNotContain(ownerToken[..12], after, StringComparison.Ordinal);
        Assert.Null(await factory.Data.StoredAsync(db => db.ApiTokens.Where(t => t.Id == id).Select(t => t.RevokedAt).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Client(factory, ownerToken), "/api/v1/cycles")).Status);
    }

    [Fact]
    public async Task A_mangled_revoke_address_shows_a_message_not_an_error()
    {
        var (_, browser) = await SignedInReviewerAsync();

        var response = await browser.GetAsync($"{PagePath}?revoke=not-a-token-id", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That token does not exist, is not yours, or is no longer active.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_has_at_most_ten_active_tokens()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        for (var i = 0; i < ApiTokenService.MaxActive; i++)
        {
            await TokenAsync(factory, reviewer, $"Token {i}");
        }

        using var scope = factory.Services.CreateScope();
        var eleventh = await scope.ServiceProvider.GetRequiredService<ApiTokenService>()
            .CreateAsync(reviewer.Principal, new CreateApiTokenCommand { Name = "One more" }, TestContext.Current.CancellationToken);

        Assert.Equal("You have 10 active tokens, the most one person may have. Revoke one you no longer use first.", Assert.IsType<PalliativeToolkit.Infrastructure.Operations.Failure.Refused>(eleventh.Failure).Message);
        Assert.Equal(ApiTokenService.MaxActive, await factory.Data.StoredAsync(db => db.ApiTokens.CountAsync(t => t.UserId == reviewer.Id)));
    }

    [Fact]
    public async Task A_plan_manager_is_refused_the_page_and_its_form_and_is_not_offered_it()
    {
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan, OrganizationRole.Manager, withPassword: true);
        var browser = await factory.SignedInClientAsync(manager.Email, TestUser.Password);
        var (_, reviewerBrowser) = await SignedInReviewerAsync();
        var fields = FormFields(await reviewerBrowser.GetStringAsync(PagePath, TestContext.Current.CancellationToken), "create-token");

        var page = await browser.GetAsync(PagePath, TestContext.Current.CancellationToken);
        fields["Input.Name"] = "Sneaky";
        using var form = new FormUrlEncodedContent(fields);
        var post = await browser.PostAsync(PagePath, form, TestContext.Current.CancellationToken);
        var profile = await browser.GetStringAsync("/Account/Manage", TestContext.Current.CancellationToken);
        var reviewerProfile = await reviewerBrowser.GetStringAsync("/Account/Manage", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", post.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.False(await factory.Data.StoredAsync(db => db.ApiTokens.AnyAsync(t => t.UserId == manager.Id)));
        Assert.DoesNotContain("Account/Manage/ApiTokens", profile, StringComparison.Ordinal);
        Assert.Contains("Account/Manage/ApiTokens", reviewerProfile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reviewer_who_lost_the_role_may_still_revoke_a_token_of_theirs()
    {
        var (reviewer, _) = await ReviewerWithTokenAsync(factory, factory.Data);
        var id = await factory.Data.StoredAsync(db => db.ApiTokens.Where(t => t.UserId == reviewer.Id).Select(t => t.Id).SingleAsync());
        await using (var op = factory.Services.GetRequiredService<PalliativeToolkit.Infrastructure.Operations.OperationRunner>().OpenAsSystem(TestContext.Current.CancellationToken))
        {
            var users = op.Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
            Assert.True((await users.RemoveFromRoleAsync((await users.FindByIdAsync(reviewer.Id))!, GlobalRoles.StatewideReviewer)).Succeeded);
        }

        using var scope = factory.Services.CreateScope();
        var revoked = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().RevokeAsync(reviewer.Principal, id, TestContext.Current.CancellationToken);

        Assert.Equal(ApiTokenState.Revoked, revoked.Value.State);
    }

    private static string SecretIn(string html)
    {
        var match = SecretInput().Match(html);
        Assert.True(match.Success, "The page shows no new token.");
        return match.Groups["secret"].Value;
    }

    [GeneratedRegex("id=\"new-token-secret\"[^>]*value=\"(?<secret>ptk_[A-Za-z0-9_-]{43})\"")]
    private static partial Regex SecretInput();
}
