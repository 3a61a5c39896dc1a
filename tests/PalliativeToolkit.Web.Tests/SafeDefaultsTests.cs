using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Web.Infrastructure;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// A published build started as Production on an empty database, with only the settings an operator gives: it seeds no
/// demo, never creates an account with a password anyone can read in the README, and says what is missing.
/// </summary>
public sealed class SafeDefaultsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-safe", Guid.NewGuid().ToString("N"));

    /// <summary>An operator's key-encryption certificate (a .pfx file with a password).</summary>
    private string Certificate()
    {
        var path = Path.Combine(_folder, "keys.pfx");
        if (!File.Exists(path))
        {
            KeyEncryption.CreateCertificate(path, TimeProvider.System, "Certificate-Password-1").Dispose();
        }

        return path;
    }

    private WebApplicationFactory<Program> Production(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production")
                .UseSetting("DataProtection:Certificate:Path", Certificate())
                .UseSetting("DataProtection:Certificate:Password", "Certificate-Password-1")
                .UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(_folder, "portal.db")}")
                .UseSetting("Email:PickupDirectory", Path.Combine(_folder, "mail"))
                .UseSetting("Serilog:MinimumLevel:Default", "Fatal");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    private static string StartFailure(WebApplicationFactory<Program> portal) =>
        Assert.ThrowsAny<Exception>(() => portal.Services).GetBaseException().Message;

    [Fact]
    public void Without_an_administrator_password_it_does_not_start_and_says_which_setting_is_missing()
    {
        using var portal = Production(("Email:PortalUrl", "https://toolkit.example.org/"));

        Assert.Contains("set Administrator:Password", StartFailure(portal), StringComparison.Ordinal);
    }

    [Fact]
    public void Asked_for_the_demo_with_the_published_password_it_does_not_start_and_says_why()
    {
        using var portal = Production(("Email:PortalUrl", "https://toolkit.example.org/"), ("Demo:Seed", "true"));

        var failure = StartFailure(portal);
        Assert.Contains("the demo password the README publishes", failure, StringComparison.Ordinal);
        Assert.Contains("Set Demo:Password", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rate_limit_of_no_requests_stops_start_up_and_names_the_setting()
    {
        using var portal = Production(("Email:PortalUrl", "https://toolkit.example.org/"), ("Administrator:Password", "First-Day-Admin-2026!"), ("RateLimits:SignInPerAccount:Requests", "0"));

        Assert.Contains("RateLimits:SignInPerAccount needs Requests of at least 1", StartFailure(portal), StringComparison.Ordinal);
    }

    [Fact]
    public void An_api_limit_of_no_requests_stops_start_up_and_names_the_setting()
    {
        using var portal = Production(("Email:PortalUrl", "https://toolkit.example.org/"), ("Administrator:Password", "First-Day-Admin-2026!"), ("Api:PermitPerMinute", "0"));

        Assert.Contains("Api:PermitPerMinute must be between 1 and 100000.", StartFailure(portal), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_portal_address_for_emailed_links_it_does_not_start_and_says_why()
    {
        using var portal = Production(("Administrator:Password", "First-Day-Admin-2026!"));

        Assert.Contains("Email:PortalUrl is required outside Development", StartFailure(portal), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_certificate_for_the_keys_it_does_not_start_and_says_why()
    {
        using var portal = Production(("Email:PortalUrl", "https://toolkit.example.org/"), ("Administrator:Password", "First-Day-Admin-2026!"), ("DataProtection:Certificate:Path", string.Empty));

        Assert.Contains("DataProtection:Certificate:Path is required outside Development", StartFailure(portal), StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_wrong_certificate_password_it_does_not_start_and_names_the_setting()
    {
        using var portal = Production(("Email:PortalUrl", "https://toolkit.example.org/"), ("Administrator:Password", "First-Day-Admin-2026!"), ("DataProtection:Certificate:Password", "not-it"));

        Assert.Contains("DataProtection:Certificate: ", StartFailure(portal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_its_settings_given_it_starts_with_one_administrator_and_no_demo()
    {
        using var portal = Production(("Email:PortalUrl", "https://toolkit.example.org/"), ("Administrator:Password", "First-Day-Admin-2026!"));

        await using var db = portal.Services.GetRequiredService<IDbContextFactory<ToolkitDbContext>>().CreateDbContext();
        db.ActAs(Viewer.System);
        Assert.Equal(["admin@palliativetoolkit.local"], await db.Users.Select(u => u.Email!).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Organizations.CountAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
