using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// The real portal on Kestrel, on a loopback port of its own, with its own copy of the demo template database. One per
/// test class (a class fixture): the tests of a class share it, so they use accounts and data that do not collide, or
/// arrange their own with <see cref="Data"/>.
/// </summary>
public sealed class PortalApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = TemplateDatabase.DemoPassword;
    private readonly ConcurrentDictionary<(string Email, string Password), Lazy<Task<Microsoft.Playwright.Cookie[]>>> _signIns = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-e2e", Guid.NewGuid().ToString("N"));
    private string? _database;

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>Where the portal's emails land (pickup delivery): one .eml file per message.</summary>
    public string MailFolder => Path.Combine(_folder, "mail");

    /// <summary>Builders for the data a test needs of its own.</summary>
    public TestData Data => new(Services);

    public async ValueTask InitializeAsync()
    {
        _database = await TemplateDatabase.Demo(_folder);
        LoopbackKestrel.Use(this);
        StartServer();
        BaseUrl = LoopbackKestrel.Address(Services).ToString();
    }

    /// <summary>
    /// The cookies a browser holds after signing in through the real login form (posted once per account and app, over
    /// HTTP, with its antiforgery token, and the authenticator's code when the account has one), for tests that need a signed-in user rather than the act of signing in.
    /// A test that changes an account's password, lock or roles ends that account's cookies: it signs in through the form.
    /// </summary>
    public async Task<Microsoft.Playwright.Cookie[]> SignInCookiesAsync(string email, string password)
    {
        var key = (email, password);
        var signIn = _signIns.GetOrAdd(key, _ => new Lazy<Task<Microsoft.Playwright.Cookie[]>>(() => PostLoginFormAsync(email, password)));
        try
        {
            return await signIn.Value;
        }
        catch
        {
            // A failed sign-in is not remembered: the next test tries the form again.
            _signIns.TryRemove(new KeyValuePair<(string, string), Lazy<Task<Microsoft.Playwright.Cookie[]>>>(key, signIn));
            throw;
        }
    }

    /// <summary>Logging out ends the session those cookies belong to: the next test signs in afresh.</summary>
    public void ForgetSignIns() => _signIns.Clear();

    private async Task<Microsoft.Playwright.Cookie[]> PostLoginFormAsync(string email, string password)
    {
        var jar = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) };
        var page = await client.GetStringAsync("Account/Login");
        var fields = HtmlForm.HiddenFields(page);
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var form = new FormUrlEncodedContent(fields);
        using var login = await client.PostAsync("Account/Login", form);
        using var response = await Authenticator.CompleteSignInAsync(client, login, Services.GetRequiredService<TimeProvider>());
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("Account/", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Signing in as {email} through the login form failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        var cookies = jar.GetCookies(new Uri(BaseUrl));
        if (!cookies.Any(c => c.Name.StartsWith(".AspNetCore.Identity.Application", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"Signing in as {email} through the login form set no sign-in cookie.");
        }

        // The browser gets each cookie with the path, HttpOnly and Secure the server set.
        return [.. cookies.Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Domain = new Uri(BaseUrl).Host,
            Path = string.IsNullOrEmpty(c.Path) ? "/" : c.Path,
            HttpOnly = c.HttpOnly,
            Secure = c.Secure,
        })];
    }


    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in TemplateDatabase.Settings(_database ?? throw new InvalidOperationException("Initialize the app first.")))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Email:Delivery", "Pickup");
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        builder.UseSetting("Files:Directory", Path.Combine(_folder, "files"));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in TemplateDatabase.GenerousRateLimits)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TemplateDatabase.TryDelete(_folder);
    }
}
