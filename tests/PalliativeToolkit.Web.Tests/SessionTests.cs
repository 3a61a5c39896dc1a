using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;

namespace PalliativeToolkit.Web.Tests;

/// <summary>A browser's cookies, kept by hand so that a test can copy one and replay it from elsewhere.</summary>
internal sealed class Browser(WebApplicationFactory<Program> factory)
{
    private static readonly Uri Origin = new("http://localhost/");
    private readonly HttpClient _client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public CookieContainer Cookies { get; } = new();

    /// <summary>The sign-in cookie as a <c>Cookie</c> header, to replay.</summary>
    public string SignInCookie => string.Join("; ", Cookies.GetCookies(Origin).Where(c => c.Name.StartsWith(".AspNetCore.Identity.Application", StringComparison.Ordinal)).Select(c => $"{c.Name}={c.Value}"));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, IDictionary<string, string>? form = null, string? cookieHeader = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        var cookies = cookieHeader ?? Cookies.GetCookieHeader(Origin);
        if (cookies.Length > 0)
        {
            request.Headers.Add("Cookie", cookies);
        }

        var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        if (cookieHeader is null && response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                Cookies.SetCookies(Origin, setCookie);
            }
        }

        return response;
    }

    public async Task<Dictionary<string, string>> FormAsync(string path)
    {
        using var page = await SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return HtmlForm.HiddenFields(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async Task SignInAsync(string email, string password)
    {
        var fields = await FormAsync("/Account/Login");
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var response = await SendAsync(HttpMethod.Post, "/Account/Login", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotEmpty(SignInCookie);
    }

    /// <summary>Whether <paramref name="cookieHeader"/> (this browser's cookies when null) opens a page that needs a signed-in user.</summary>
    public async Task<bool> IsSignedInAsync(string? cookieHeader = null)
    {
        using var response = await SendAsync(HttpMethod.Get, "/Account/Manage", cookieHeader: cookieHeader);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        return false;
    }
}

/// <summary>The portal on a clock the test moves.</summary>
public sealed class FakeClockPortalFactory : PortalFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Logging out ends the session wherever its cookie is; sessions end when idle and after their lifetime.</summary>
public class SessionTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<TestUser> PersonAsync() => await factory.Data.UserAsync(await factory.Data.PlanAsync(), withPassword: true);

    [Fact]
    public async Task A_sign_in_cookie_replayed_after_logging_out_is_refused()
    {
        var person = await PersonAsync();
        var browser = new Browser(factory);
        await browser.SignInAsync(person.Email, TestUser.Password);
        var stolen = browser.SignInCookie;
        Assert.True(await browser.IsSignedInAsync());

        var logout = await browser.FormAsync("/");
        logout["ReturnUrl"] = "/";
        using var response = await browser.SendAsync(HttpMethod.Post, "/Account/Logout", logout);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.False(await new Browser(factory).IsSignedInAsync(stolen));
        await using var db = factory.NewContext();
        var session = await db.UserSessions.SingleAsync(s => s.UserId == person.Id, TestContext.Current.CancellationToken);
        Assert.Equal(SessionEnd.LoggedOut, session.EndReason);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == nameof(SecurityEvent.SignedOut) && a.UserId == person.Id && a.SubjectUserId == person.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_browser_of_that_person_and_no_one_else()
    {
        var person = await PersonAsync();
        var colleague = await PersonAsync();
        var laptop = new Browser(factory);
        var phone = new Browser(factory);
        var colleagues = new Browser(factory);
        await laptop.SignInAsync(person.Email, TestUser.Password);
        await phone.SignInAsync(person.Email, TestUser.Password);
        await colleagues.SignInAsync(colleague.Email, TestUser.Password);
        var laptopCookie = laptop.SignInCookie;

        var form = await laptop.FormAsync("/Account/Manage/Sessions");
        Assert.Equal("sign-out-everywhere", form["_handler"]);
        using var response = await laptop.SendAsync(HttpMethod.Post, "/Account/Manage/Sessions", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.False(await phone.IsSignedInAsync());
        Assert.False(await new Browser(factory).IsSignedInAsync(laptopCookie));
        Assert.True(await colleagues.IsSignedInAsync());
        var recorded = await factory.Data.StoredAsync(db => db.AuditEntries.Where(a => a.Action == nameof(SecurityEvent.SignedOutEverywhere) && a.SubjectUserId == person.Id).Select(a => a.NewValues).SingleAsync());
        Assert.Contains("\"SessionsEnded\":2", recorded, StringComparison.Ordinal);
    }

    /// <summary>A reload racing a navigation loads the enrolment page twice at once: both show the one key stored.</summary>
    [Fact]
    public async Task The_authenticator_page_loaded_several_times_at_once_shows_one_key_and_no_error()
    {
        var person = await PersonAsync();
        var browser = new Browser(factory);
        await browser.SignInAsync(person.Email, TestUser.Password);

        var pages = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await browser.SendAsync(HttpMethod.Get, "/Account/Manage/EnableAuthenticator");
            return (response.StatusCode, Html: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }));

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        var keys = pages.Select(p => System.Text.RegularExpressions.Regex.Match(p.Html, "<kbd>([^<]+)</kbd>").Groups[1].Value).Distinct().ToList();
        var key = Assert.Single(keys);
        Assert.NotEmpty(key);
        var stored = await factory.Data.StoredAsync(db => db.UserTokens.Where(t => t.UserId == person.Id && t.Name == "AuthenticatorKey").Select(t => t.Value).SingleAsync());
        Assert.Equal(stored, key.Replace(" ", string.Empty, StringComparison.Ordinal), ignoreCase: true);
    }

    [Fact]
    public async Task Locking_an_account_ends_its_sessions_at_once()
    {
        var person = await PersonAsync();
        var admin = await factory.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        var browser = new Browser(factory);
        await browser.SignInAsync(person.Email, TestUser.Password);
        Assert.True(await browser.IsSignedInAsync());

        var admins = factory.Services.CreateScope().ServiceProvider.GetRequiredService<PalliativeToolkit.Web.Features.Admin.AdminService>();
        var locked = await admins.SetLockedAsync(admin.Principal, person.Id, locked: true, TestContext.Current.CancellationToken);
        Assert.True(locked.Succeeded, locked.Message);

        Assert.False(await browser.IsSignedInAsync());
        Assert.Equal(SessionEnd.AccountChanged, await factory.Data.StoredAsync(db => db.UserSessions.Where(s => s.UserId == person.Id).Select(s => s.EndReason).SingleAsync()));
    }

    [Fact]
    public async Task A_save_from_a_page_whose_session_ended_is_refused()
    {
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan);
        var assessment = await factory.Data.AssessmentAsync(plan);
        var sessions = factory.Services.GetRequiredService<SessionStore>();
        var session = await sessions.StartAsync(manager.Id, "test", TestContext.Current.CancellationToken);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [.. manager.Principal.Claims, new Claim(SessionStore.ClaimType, session)], manager.Principal.Identity!.AuthenticationType));
        var service = factory.Services.CreateScope().ServiceProvider.GetRequiredService<AssessmentService>();
        var element = assessment.Elements[0];
        SaveElementCommand Save(string notes, Guid version) => new()
        {
            AssessmentId = assessment.Id,
            ElementResponseId = element.Id,
            ExpectedVersion = version,
            Answers = element.Criteria.ToDictionary(c => c.CriterionId, c => c.Answer),
            EvidenceNotes = notes,
        };

        var saved = await service.SaveElementAsync(principal, Save("While signed in", element.Version), TestContext.Current.CancellationToken);
        Assert.True(saved.Succeeded, saved.Message);

        await sessions.EndAsync(session, SessionEnd.LoggedOut, TestContext.Current.CancellationToken);
        var refused = await service.SaveElementAsync(principal, Save("After logging out elsewhere", saved.Value.Version), TestContext.Current.CancellationToken);

        Assert.False(refused.Succeeded);
        Assert.Equal("While signed in", await factory.Data.StoredAsync(db => db.ElementResponses.Where(e => e.Id == element.Id).Select(e => e.EvidenceNotes).SingleAsync()));
    }
}

/// <summary>Idle timeout (30 minutes) and absolute lifetime (12 hours), on a clock the test moves.</summary>
public class SessionTimeoutTests(FakeClockPortalFactory factory) : IClassFixture<FakeClockPortalFactory>
{
    private async Task<TestUser> PersonAsync() => await factory.Data.UserAsync(await factory.Data.PlanAsync(), withPassword: true);

    private async Task<string?> EndReasonAsync(string userId)
    {
        await using var db = factory.NewContext();
        return await db.UserSessions.Where(s => s.UserId == userId).Select(s => s.EndReason).SingleAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_session_stays_while_used_and_ends_after_thirty_idle_minutes()
    {
        var person = await PersonAsync();
        var browser = new Browser(factory);
        await browser.SignInAsync(person.Email, TestUser.Password);

        // An hour and a half of work, a request every 25 minutes: never idle for 30.
        for (var i = 0; i < 4; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(25));
            Assert.True(await browser.IsSignedInAsync(), $"after {(i + 1) * 25} minutes");
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.False(await browser.IsSignedInAsync());
        Assert.Equal(SessionEnd.Idle, await EndReasonAsync(person.Id));
    }

    [Fact]
    public async Task Sessions_over_for_a_month_are_deleted_when_the_person_signs_in_again()
    {
        var person = await PersonAsync();
        var sessions = factory.Services.GetRequiredService<SessionStore>();
        var old = await sessions.StartAsync(person.Id, "old browser", TestContext.Current.CancellationToken);
        await sessions.EndAsync(old, SessionEnd.LoggedOut, TestContext.Current.CancellationToken);
        factory.Clock.Advance(TimeSpan.FromDays(20));
        var recent = await sessions.StartAsync(person.Id, "recent browser", TestContext.Current.CancellationToken);
        await sessions.EndAsync(recent, SessionEnd.LoggedOut, TestContext.Current.CancellationToken);

        factory.Clock.Advance(TimeSpan.FromDays(11));
        var current = await sessions.StartAsync(person.Id, "this browser", TestContext.Current.CancellationToken);

        var left = await factory.Data.StoredAsync(db => db.UserSessions.Where(s => s.UserId == person.Id).Select(s => s.Id).ToListAsync());
        Assert.Equal(new[] { recent, current }.Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_session_ends_twelve_hours_after_signing_in_however_active()
    {
        var person = await PersonAsync();
        var browser = new Browser(factory);
        await browser.SignInAsync(person.Email, TestUser.Password);

        for (var minutes = 20; minutes < 12 * 60; minutes += 20)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.True(await browser.IsSignedInAsync(), $"after {minutes} minutes");
        }

        // The cookie runs out with the session; the session would be refused by itself too.
        factory.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.False(await browser.IsSignedInAsync());
        var sessions = factory.Services.GetRequiredService<SessionStore>();
        Assert.Empty(await sessions.LiveSessionsAsync(person.Id, TestContext.Current.CancellationToken));
        var session = await factory.Data.StoredAsync(db => db.UserSessions.Where(s => s.UserId == person.Id).Select(s => s.Id).SingleAsync());
        Assert.False(await sessions.IsLiveAsync(session, person.Id, seen: true, TestContext.Current.CancellationToken));
        Assert.Equal(SessionEnd.Lifetime, await EndReasonAsync(person.Id));
    }
}

public class BrowserNameTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36", "Chrome on Linux")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iOS")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on macOS")]
    [InlineData("curl/8.5.0", "Other browser")]
    [InlineData(null, "Unknown browser")]
    public void A_user_agent_reads_as_a_browser_and_its_system(string? userAgent, string name) =>
        Assert.Equal(name, PalliativeToolkit.Web.Components.Account.BrowserNames.Describe(userAgent));
}
