using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Web.Tests;

/// <summary>The real app in memory (TestServer) on its own copy of the demo template database.</summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = TemplateDatabase.DemoPassword;
    public const string Domain = TemplateDatabase.DemoDomain;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-web", Guid.NewGuid().ToString("N"));
    private string? _database;

    /// <summary>Where the portal's emails land (pickup delivery): one .eml file per message.</summary>
    public string MailFolder => Path.Combine(_folder, "mail");

    /// <summary>Builders for the data a test needs of its own.</summary>
    public TestData Data => new(Services);

    /// <summary>Whether the copy has the demo (else only the framework and one administrator).</summary>
    protected virtual bool WithDemo => true;

    /// <summary>More keywords of the SQLite connection string, as an operator may configure them (for example <c>;Cache=Shared</c>).</summary>
    protected virtual string SqliteKeywords => string.Empty;

    /// <summary>The test's own database, for a test that prepares it before the app starts.</summary>
    protected string DatabaseConnectionString => $"Data Source={_database ?? throw new InvalidOperationException("Initialize the factory first.")}";

    public virtual async ValueTask InitializeAsync() => _database = WithDemo ? await TemplateDatabase.Demo(_folder) : await TemplateDatabase.Empty(_folder);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in TemplateDatabase.Settings(_database ?? throw new InvalidOperationException("Initialize the factory first.")))
        {
            builder.UseSetting(key, key == "ConnectionStrings:Sqlite" ? value + SqliteKeywords : value);
        }

        builder.UseSetting("Email:Delivery", "Pickup");
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        builder.UseSetting("Files:Directory", Path.Combine(_folder, "files"));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");

        // Functional tests sign in far more often than a person does; the limits' own tests use the defaults.
        foreach (var (key, value) in TemplateDatabase.GenerousRateLimits)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A context that sees everything stored: the oracle of a test, never the subject.</summary>
    public ToolkitDbContext NewContext()
    {
        var db = Services.GetRequiredService<IDbContextFactory<ToolkitDbContext>>().CreateDbContext();
        db.ActAs(Viewer.System);
        return db;
    }

    /// <summary>A principal as the cookie would carry it, for calling feature services directly.</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(string account)
    {
        await using var db = NewContext();
        var user = await db.Users.SingleAsync(u => u.Email == $"{account}@{Domain}");
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name).ToListAsync();
        return TestData.Principal(user.Id, user.Email, roles!);
    }

    public async Task<string> UserIdAsync(string account)
    {
        await using var db = NewContext();
        return await db.Users.Where(u => u.Email == $"{account}@{Domain}").Select(u => u.Id).SingleAsync();
    }

    public async Task<Guid> OrganizationIdAsync(string nameStartsWith)
    {
        await using var db = NewContext();
        return await db.Organizations.Where(o => o.Name.StartsWith(nameStartsWith)).Select(o => o.Id).FirstAsync();
    }

    /// <summary>An HTTP client signed in through the real login form (and the authenticator's code when the account has one).</summary>
    public async Task<HttpClient> SignedInClientAsync(string account) => await SignedInClientAsync($"{account}@{Domain}", Password);

    public async Task<HttpClient> SignedInClientAsync(string email, string password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await Authenticator.CompleteSignInAsync(client, await PostLoginAsync(client, email, password), Services.GetRequiredService<TimeProvider>());
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("Account/", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Login as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    /// <summary>Fills and posts the real login form, with its antiforgery token. A bare account name is a demo account.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string account, string password)
    {
        var fields = await LoginFormFieldsAsync(client);
        fields["Input.Email"] = account.Contains('@', StringComparison.Ordinal) ? account : $"{account}@{Domain}";
        fields["Input.Password"] = password;
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync("/Account/Login", form);
    }

    /// <summary>The login form's hidden fields (its antiforgery token among them), as a browser would post them back.</summary>
    public static async Task<Dictionary<string, string>> LoginFormFieldsAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/Account/Login");
        return HtmlForm.HiddenFields(page);
    }


    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        SqliteConnection.ClearAllPools();
        TemplateDatabase.TryDelete(_folder);
    }
}

/// <summary>The app on a database with only the framework and one administrator: tests that count or scale start from nothing.</summary>
public sealed class EmptyPortalFactory : PortalFactory
{
    protected override bool WithDemo => false;
}

/// <summary>The app on an empty database whose connection string asks for SQLite's shared cache, as the default settings once did.</summary>
public sealed class SharedCachePortalFactory : PortalFactory
{
    protected override bool WithDemo => false;

    protected override string SqliteKeywords => ";Cache=Shared";
}

/// <summary>
/// The app on Kestrel (a real socket on loopback, port 0), for what only a real server shows: its own headers, and the
/// client's address that decides whether forwarded headers are believed. <see cref="Settings"/> adds configuration.
/// </summary>
public class KestrelPortalFactory : PortalFactory
{
    protected override bool WithDemo => false;

    /// <summary>More settings, as an operator would give them.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public Uri BaseAddress { get; private set; } = default!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        LoopbackKestrel.Use(this);
        StartServer();
        BaseAddress = LoopbackKestrel.Address(Services);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client of the real server that keeps redirects and cookies for the test to look at.</summary>
    public HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
}

/// <summary>Kestrel with a configured proxy that is not this machine: a loopback client is an ordinary client.</summary>
public sealed class RemoteProxyPortalFactory : KestrelPortalFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["ForwardedHeaders:KnownProxies:0"] = "10.20.30.40",
    };
}

/// <summary>Kestrel with the portal's own rate limits and a loopback proxy, so that each test client can pass for another address.</summary>
public sealed class RateLimitedPortalFactory : KestrelPortalFactory
{
    private static readonly PalliativeToolkit.Web.Infrastructure.RateLimitOptions Defaults = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:PerClient:Requests"] = Defaults.PerClient.Requests.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:SignInPerAccount:Requests"] = Defaults.SignInPerAccount.Requests.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:EmailsPerAccount:Requests"] = Defaults.EmailsPerAccount.Requests.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:InvitationsPerSender:Requests"] = Defaults.InvitationsPerSender.Requests.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The portal with a test's own database interceptor, <see cref="Hook"/>, in every context it makes.</summary>
public class InterceptedPortalFactory<THook> : PortalFactory where THook : class, IInterceptor, new()
{
    public THook Hook { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureDbContext<ToolkitDbContext>(options => options.AddInterceptors(Hook)));
    }
}
