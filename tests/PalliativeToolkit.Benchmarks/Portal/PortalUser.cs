using System.Net;
using System.Text.RegularExpressions;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Benchmarks.Portal;

/// <summary>A user signed in over plain HTTP through the real login form; its cookie lets a browser context skip the form.</summary>
internal sealed partial class PortalUser : IDisposable
{
    public const string IdentityCookie = ".AspNetCore.Identity.Application";

    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;

    private PortalUser(Uri baseUrl)
    {
        _baseUrl = baseUrl;
#pragma warning disable CA2000 // the client owns the handler (disposeHandler: true)
        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies, AllowAutoRedirect = false }, disposeHandler: true) { BaseAddress = baseUrl };
#pragma warning restore CA2000
    }

    /// <summary>The identity cookie (and its chunks, if the portal split it) to hand to a browser context.</summary>
    public IReadOnlyList<Cookie> AuthenticationCookies =>
        _cookies.GetCookies(_baseUrl).Where(c => c.Name.StartsWith(IdentityCookie, StringComparison.Ordinal)).ToList();

    /// <summary>GETs /Account/Login, posts the form with its hidden fields (antiforgery token) and the credentials, and expects a redirect.</summary>
    public static async Task<PortalUser> LogInAsync(Uri baseUrl, string email, string password, CancellationToken cancellationToken)
    {
        var user = new PortalUser(baseUrl);
        try
        {
            var page = await user._http.GetStringAsync(new Uri("Account/Login", UriKind.Relative), cancellationToken);
            var fields = HtmlForm.HiddenFields(page);
            fields["Input.Email"] = email;
            fields["Input.Password"] = password;
            using var form = new FormUrlEncodedContent(fields);
            using var login = await user._http.PostAsync(new Uri("Account/Login", UriKind.Relative), form, cancellationToken);
            // Reviewers and administrators answer the authenticator step (their accounts have Authenticator.Key). The
            // portal runs as a process of its own, on the system clock.
            using var response = await Authenticator.CompleteSignInAsync(user._http, login, TimeProvider.System);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther) || user.AuthenticationCookies.Count == 0)
            {
                throw new InvalidOperationException(
                    $"Logging in as {email} at {baseUrl}Account/Login did not sign in: {(int)response.StatusCode} {response.StatusCode}, " +
                    $"cookies: {string.Join(", ", user._cookies.GetCookies(baseUrl).Select(c => c.Name))}.");
            }

            return user;
        }
        catch
        {
            user.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The first assessment link (<c>assessments/{id}</c>) on the prerendered /assessments page, as this user sees
    /// it; null when the first response has none. Read from the page, not the database, so that the portal's own
    /// access rules decide what this user may open.
    /// </summary>
    public async Task<string?> FirstAssessmentPathAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("assessments", UriKind.Relative), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {_baseUrl}assessments answered {(int)response.StatusCode} {response.StatusCode} for a signed-in user.");
        }

        var match = AssessmentLink().Match(await response.Content.ReadAsStringAsync(cancellationToken));
        return match.Success ? match.Groups["path"].Value : null;
    }

    /// <summary>GETs a page as this user, following no redirect, and answers its HTML; throws unless the answer is 200 OK.</summary>
    public async Task<string> GetPageAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {_baseUrl}{path} answered {(int)response.StatusCode} {response.StatusCode} for a signed-in user.");
        }

        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose() => _http.Dispose();


    [GeneratedRegex("href=\"/?(?<path>assessments/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\"")]
    internal static partial Regex AssessmentLink();
}
