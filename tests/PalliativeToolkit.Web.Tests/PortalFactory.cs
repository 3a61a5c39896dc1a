using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Web.Tests;

/// <summary>The real app in memory (TestServer) on a SQLite file of its own, with the demo data.</summary>
public sealed partial class PortalFactory : WebApplicationFactory<Program>
{
    public const string Password = "Web-Test-Password-1!";
    public const string Domain = "demo.palliativetoolkit.org";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-web", Guid.NewGuid().ToString("N"));

    public PortalFactory() => Directory.CreateDirectory(_folder);

    /// <summary>Where the portal's emails land (pickup delivery): one .eml file per message.</summary>
    public string MailFolder => Path.Combine(_folder, "mail");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(_folder, "web.db")};Cache=Shared");
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Demo:Password", Password);
        builder.UseSetting("Email:Delivery", "Pickup");
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
    }

    public ToolkitDbContext NewContext() =>
        Services.CreateScope().ServiceProvider.GetRequiredService<IDbContextFactory<ToolkitDbContext>>().CreateDbContext();

    /// <summary>A principal as the cookie would carry it, for calling feature services directly.</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(string account)
    {
        await using var db = NewContext();
        var user = await db.Users.SingleAsync(u => u.Email == $"{account}@{Domain}");
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name).ToListAsync();
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email!), .. roles.Select(r => new Claim(ClaimTypes.Role, r!))],
            "Identity.Application"));
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

    public async Task<Assessment> AssessmentAsync(string organizationStartsWith, AssessmentStatus status)
    {
        await using var db = NewContext();
        return await db.Assessments.Include(a => a.Organization)
            .Include(a => a.Elements).ThenInclude(e => e.Criteria)
            .AsNoTracking()
            .FirstAsync(a => a.Organization!.Name.StartsWith(organizationStartsWith) && a.Status == status);
    }

    /// <summary>An HTTP client signed in through the real login form.</summary>
    public async Task<HttpClient> SignedInClientAsync(string account)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await PostLoginAsync(client, account, Password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Login as {account} failed: {(int)response.StatusCode}");
        }

        return client;
    }

    /// <summary>Fills and posts the real login form, with its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string account, string password)
    {
        var page = await client.GetStringAsync("/Account/Login");
        var fields = HiddenInput().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Email"] = $"{account}@{Domain}";
        fields["Input.Password"] = password;
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync("/Account/Login", form);
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // harmless
        }
    }
}
