using System.Net;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Infrastructure;

namespace PalliativeToolkit.Web.Tests;

/// <summary>What every answer of the real server tells the browser, and which proxies it believes.</summary>
public class SecurityHeadersTests(KestrelPortalFactory factory) : IClassFixture<KestrelPortalFactory>
{
    [Theory]
    [InlineData("Account/Login")] // a page
    [InlineData("app.css")] // a static file
    [InlineData("no-such-page")] // an error (404, the not-found page)
    [InlineData("health")]
    public async Task Every_answer_carries_the_security_headers_and_the_server_does_not_name_itself(string path)
    {
        using var client = factory.NewClient();
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Matches("script-src 'self' 'nonce-[^']+';", csp);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Cross-Origin-Opener-Policy")));
        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(", ", response.Headers.TryGetValues("Server", out var s) ? s : [])}");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is never sent in Development, nor over plain HTTP");
    }


    [Fact]
    public void Outside_development_answers_over_https_ask_browsers_to_keep_to_https_for_a_year()
    {
        Assert.True(SecurityHeaders.Policy(isDevelopment: false).ContainsKey("Strict-Transport-Security"));
        Assert.False(SecurityHeaders.Policy(isDevelopment: true).ContainsKey("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Behind_a_tls_proxy_on_this_machine_the_sign_in_and_antiforgery_cookies_are_secure()
    {
        var user = await factory.Data.UserAsync(withPassword: true);
        using var client = factory.NewClient();

        var (form, antiforgery) = await LoginFormAsync(client, forwardedProto: "https");
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        using var signedIn = await PostLoginAsync(client, form, antiforgery, user.Email, forwardedProto: "https");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("; secure", SignInCookie(signedIn), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Also the cookies over plain HTTP with no proxy: the same flow without the forwarded header.</summary>
    [Fact]
    public async Task Over_plain_http_the_cookies_are_not_marked_secure_so_the_browser_keeps_them()
    {
        var user = await factory.Data.UserAsync(withPassword: true);
        using var client = factory.NewClient();

        var (form, antiforgery) = await LoginFormAsync(client, forwardedProto: null);
        Assert.DoesNotContain("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        using var signedIn = await PostLoginAsync(client, form, antiforgery, user.Email, forwardedProto: null);
        Assert.DoesNotContain("; secure", SignInCookie(signedIn), StringComparison.OrdinalIgnoreCase);
    }

    internal static async Task<(Dictionary<string, string> Form, string AntiforgeryCookie)> LoginFormAsync(HttpClient client, string? forwardedProto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "Account/Login");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var form = HtmlForm.HiddenFields(page);
        var antiforgery = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        return (form, antiforgery);
    }

    internal static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, Dictionary<string, string> form, string antiforgeryCookie, string email, string? forwardedProto)
    {
        form["Input.Email"] = email;
        form["Input.Password"] = TestUser.Password;
        using var request = new HttpRequestMessage(HttpMethod.Post, "Account/Login") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Cookie", antiforgeryCookie.Split(';')[0]);
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    internal static string SignInCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal))
            : throw new InvalidOperationException($"No cookie was set: {(int)response.StatusCode} {response.Headers.Location}");

}

/// <summary>A client that claims to be behind TLS when the configured proxy is elsewhere is not believed.</summary>
public class ForwardedHeadersTests(RemoteProxyPortalFactory factory) : IClassFixture<RemoteProxyPortalFactory>
{
    [Fact]
    public async Task A_client_that_is_not_a_configured_proxy_cannot_claim_https_for_itself()
    {
        var user = await factory.Data.UserAsync(withPassword: true);
        using var client = factory.NewClient();

        var (form, antiforgery) = await SecurityHeadersTests.LoginFormAsync(client, forwardedProto: "https");
        Assert.DoesNotContain("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        using var signedIn = await SecurityHeadersTests.PostLoginAsync(client, form, antiforgery, user.Email, forwardedProto: "https");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.DoesNotContain("; secure", SecurityHeadersTests.SignInCookie(signedIn), StringComparison.OrdinalIgnoreCase);
    }
}
