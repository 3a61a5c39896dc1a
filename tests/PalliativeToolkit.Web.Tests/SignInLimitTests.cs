using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Components.Account;
using PalliativeToolkit.Web.Features.Admin;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Rate limits and the sign-in backoff with the portal's default settings, on the real server behind a loopback proxy:
/// each test client passes for a different address (X-Forwarded-For), as clients behind the production proxy do.
/// </summary>
public class SignInLimitTests(RateLimitedPortalFactory factory) : IClassFixture<RateLimitedPortalFactory>
{
    private static int _nextAddress;

    /// <summary>A browser at an address of its own, with its own cookies.</summary>
    private HttpClient NewClient()
    {
        var address = Interlocked.Increment(ref _nextAddress);
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = factory.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{address}");
        return client;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync(path, form, TestContext.Current.CancellationToken);
    }

    private static async Task<Dictionary<string, string>> FormAsync(HttpClient client, string path) =>
        HtmlForm.HiddenFields(await client.GetStringAsync(path, TestContext.Current.CancellationToken));

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var fields = await FormAsync(client, "/Account/Login");
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        return await PostAsync(client, "/Account/Login", fields);
    }

    private static async Task<HttpResponseMessage> ForgotPasswordAsync(HttpClient client, Dictionary<string, string> form, string email)
    {
        form["Input.Email"] = email;
        return await PostAsync(client, "/Account/ForgotPassword", form);
    }

    private static void AssertTooMany(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 15 * 60);
    }

    [Fact]
    public async Task Five_wrong_passwords_make_that_client_wait_while_the_owner_signs_in_from_elsewhere()
    {
        var owner = await factory.Data.UserAsync(withPassword: true);
        using var attacker = NewClient();
        var attackerAddress = attacker.DefaultRequestHeaders.GetValues("X-Forwarded-For").Single();
        for (var i = 0; i < 5; i++)
        {
            using var guess = await SignInAsync(attacker, owner.Email, $"wrong-guess-{i}");
            Assert.Equal(HttpStatusCode.OK, guess.StatusCode);
        }

        // Even the right password is refused to the client that must wait, with the same answer as a wrong one.
        using var right = await SignInAsync(attacker, owner.Email, TestUser.Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Invalid login attempt.", await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // The account is not locked: its owner, at another address, signs in.
        using var ownersBrowser = NewClient();
        using var signedIn = await SignInAsync(ownersBrowser, owner.Email, TestUser.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // The audit trail shows the backoff starting and the try it refused, with the attacker's address.
        var events = await factory.Data.StoredAsync(db => db.AuditEntries
            .Where(a => a.Action == nameof(SecurityEvent.SignInBackoffStarted) || a.Action == nameof(SecurityEvent.SignInFailed))
            .Where(a => a.NewValues!.Contains(owner.Email))
            .Select(a => new { a.Action, a.NewValues, a.ClientAddress })
            .ToListAsync());
        Assert.Contains(events, e => e.Action == nameof(SecurityEvent.SignInBackoffStarted) && e.ClientAddress == attackerAddress);
        Assert.Contains(events, e => e.Action == nameof(SecurityEvent.SignInFailed) && e.NewValues!.Contains("MustWait", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_31st_password_reset_request_from_one_client_in_a_minute_is_429()
    {
        using var client = NewClient();
        var form = await FormAsync(client, "/Account/ForgotPassword");
        for (var i = 1; i <= 30; i++)
        {
            using var allowed = await ForgotPasswordAsync(client, form, $"someone{i}@{PortalFactory.Domain}");
            Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        }

        using var refused = await ForgotPasswordAsync(client, form, $"someone31@{PortalFactory.Domain}");
        AssertTooMany(refused);

        using var other = NewClient();
        using var elsewhere = await ForgotPasswordAsync(other, await FormAsync(other, "/Account/ForgotPassword"), $"someone31@{PortalFactory.Domain}");
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
    }

    [Fact]
    public async Task One_address_gets_at_most_five_reset_emails_in_fifteen_minutes_whoever_asks()
    {
        var person = await factory.Data.UserAsync(withPassword: true);
        for (var i = 1; i <= 6; i++)
        {
            using var client = NewClient();
            using var response = await ForgotPasswordAsync(client, await FormAsync(client, "/Account/ForgotPassword"), person.Email.ToUpperInvariant());
            if (i <= 5)
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            }
            else
            {
                AssertTooMany(response);
            }
        }

        var sent = (await Mailbox.ReadAllAsync(factory.MailFolder)).Count(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, person.Email, StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(5, sent);
    }

    [Fact]
    public async Task Guessing_one_accounts_password_from_many_addresses_is_held_to_ten_a_minute()
    {
        var person = await factory.Data.UserAsync(withPassword: true);
        for (var i = 1; i <= 10; i++)
        {
            using var client = NewClient();
            using var guess = await SignInAsync(client, person.Email, "a-wrong-guess");
            Assert.Equal(HttpStatusCode.OK, guess.StatusCode);
        }

        using var eleventh = NewClient();
        AssertTooMany(await SignInAsync(eleventh, person.Email, "a-wrong-guess"));
    }

    [Fact]
    public async Task Another_spelling_of_the_login_address_counts_against_the_same_limits()
    {
        var person = await factory.Data.UserAsync(withPassword: true);
        foreach (var path in new[] { "/Account/Login/", "/account/login", "/ACCOUNT/Login//", "/Account/Login/", "/account/login/", "/Account/Login", "/account/Login/", "/Account/LOGIN", "/Account/Login/", "/account/login" })
        {
            using var client = NewClient();
            var fields = await FormAsync(client, "/Account/Login");
            fields["Input.Email"] = person.Email;
            fields["Input.Password"] = "a-wrong-guess";
            using var guess = await PostAsync(client, path, fields);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, guess.StatusCode);
        }

        using var eleventh = NewClient();
        var form = await FormAsync(eleventh, "/Account/Login");
        form["Input.Email"] = person.Email;
        form["Input.Password"] = "a-wrong-guess";
        AssertTooMany(await PostAsync(eleventh, "/Account/Login/", form));
    }

    [Fact]
    public async Task Flooding_the_login_form_with_someones_address_does_not_keep_them_out_of_a_browser_they_used_before()
    {
        var person = await factory.Data.UserAsync(withPassword: true);
        using var theirLaptop = NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(theirLaptop, person.Email, TestUser.Password)).StatusCode);
        var logout = await FormAsync(theirLaptop, "/");
        logout["ReturnUrl"] = "/";
        using var loggedOut = await PostAsync(theirLaptop, "/Account/Logout", logout);
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);

        // Someone floods the form with their address from many places: unknown browsers are turned away...
        for (var i = 0; i < 10; i++)
        {
            using var flood = NewClient();
            using var _ = await SignInAsync(flood, person.Email, "flood");
        }

        using var strangers = NewClient();
        AssertTooMany(await SignInAsync(strangers, person.Email, TestUser.Password));

        // ...and the person, in the browser they signed in with before, is not.
        using var signedIn = await SignInAsync(theirLaptop, person.Email, TestUser.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }
}

/// <summary>Which client a limit counts.</summary>
public class ClientKeyTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void An_IPv6_client_counts_as_its_whole_network(string address, string key) =>
        Assert.Equal(key, PalliativeToolkit.Web.Infrastructure.ClientKey.Of(IPAddress.Parse(address)));
}

/// <summary>The backoff's arithmetic on a clock the test moves.</summary>
public class SignInBackoffTests
{
    [Fact]
    public void Waits_start_after_five_failures_double_and_stop_growing_at_fifteen_minutes_and_a_success_forgets()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
        using var backoff = new SignInBackoff(clock, Options.Create(new SignInBackoffOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<SignInBackoff>.Instance);
        var waits = Enumerable.Range(0, 12).Select(_ => backoff.Failed("someone@example.org", "198.51.100.7")).ToList();

        Assert.Equal([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900], waits.Select(w => w.TotalSeconds));
        Assert.True(backoff.MustWait("SOMEONE@example.org", "198.51.100.7", out var remaining));
        Assert.Equal(TimeSpan.FromMinutes(15), remaining);
        Assert.False(backoff.MustWait("someone@example.org", "198.51.100.8", out _));

        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.False(backoff.MustWait("someone@example.org", "198.51.100.7", out _));
        backoff.Succeeded("someone@example.org", "198.51.100.7");
        Assert.Equal(TimeSpan.Zero, backoff.Failed("someone@example.org", "198.51.100.7"));
    }

    [Fact]
    public void An_address_counts_as_identity_finds_it_whatever_its_case_spaces_or_unicode_form()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
        using var backoff = new SignInBackoff(clock, Options.Create(new SignInBackoffOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<SignInBackoff>.Instance);
        foreach (var _ in Enumerable.Range(0, 5))
        {
            backoff.Failed("jos\u00E9@example.org", "198.51.100.7");
        }

        Assert.True(backoff.MustWait(" JOSE\u0301@example.org ", "198.51.100.7", out _));
    }
}

/// <summary>Invitations are sent from open pages, through the services: their limit is the service's own.</summary>
public class InvitationLimitTests(RateLimitedPortalFactory factory) : IClassFixture<RateLimitedPortalFactory>
{
    private static readonly Uri Portal = new("https://toolkit.example.org/");

    private AdminService Admin => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AdminService>();

    private static InviteUserCommand Invitation(string name) =>
        new() { Email = $"{name}@invited.example.org", DisplayName = name, StatewideReviewer = true };

    [Fact]
    public async Task An_administrator_sends_twenty_invitations_an_hour_and_the_twenty_first_is_refused_with_a_reason()
    {
        var admin = await factory.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        var colleague = await factory.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        var batch = Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= 20; i++)
        {
            var sent = await Admin.InviteUserAsync(admin.Principal, Invitation($"person{i}-{batch}"), Portal, TestContext.Current.CancellationToken);
            Assert.True(sent.Succeeded, sent.Message);
        }

        var refused = await Admin.InviteUserAsync(admin.Principal, Invitation($"person21-{batch}"), Portal, TestContext.Current.CancellationToken);
        Assert.False(refused.Succeeded);
        Assert.StartsWith("You have sent 20 invitations or password links in a short time", refused.Message, StringComparison.Ordinal);
        Assert.False(await factory.Data.StoredAsync(db => db.Users.AnyAsync(u => u.Email == $"person21-{batch}@invited.example.org")));

        var colleagues = await Admin.InviteUserAsync(colleague.Principal, Invitation($"person21-{batch}"), Portal, TestContext.Current.CancellationToken);
        Assert.True(colleagues.Succeeded, colleagues.Message);
    }
}
