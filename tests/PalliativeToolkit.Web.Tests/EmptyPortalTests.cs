using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Admin;

namespace PalliativeToolkit.Web.Tests;

/// <summary>A real deployment's first day: no demo, one administrator from configuration, who sets up the first plan.</summary>
public sealed class EmptyPortalTests : IAsyncLifetime
{
    private const string AdminPassword = "First-Day-Admin-2026!";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-empty", Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Program> _portal = default!;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _portal = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseEnvironment("Development")
            .UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(_folder, "empty.db")}")
            .UseSetting("Demo:Seed", "false")
            .UseSetting("Administrator:Email", $"root@{PortalFactory.Domain}")
            .UseSetting("Administrator:Password", AdminPassword)
            .UseSetting("Email:PickupDirectory", Path.Combine(_folder, "mail"))
            .UseSetting("Serilog:MinimumLevel:Default", "Warning"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _portal.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_configured_administrator_signs_in_and_sets_up_the_first_plan_and_its_manager()
    {
        var client = _portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await PortalFactory.PostLoginAsync(client, "root", AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        // An administrator sets up a second factor before anything else.
        var first = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith("/Account/Manage/EnableAuthenticator", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var (_, codes) = await Authenticator.EnrolOverHttpAsync(client, first.Headers.Location!.OriginalString, _portal.Services.GetRequiredService<TimeProvider>());
        Assert.Contains("recovery-code", codes, StringComparison.Ordinal);
        Assert.Contains("Administration", await client.GetStringAsync("/admin"), StringComparison.Ordinal);

        var admin = _portal.Services.CreateScope().ServiceProvider.GetRequiredService<AdminService>();
        ClaimsPrincipal root;
        await using (var db = NewContext())
        {
            Assert.Equal(0, await db.Organizations.CountAsync());
            Assert.Equal(0, await db.Assessments.CountAsync());
            var id = await db.Users.Where(u => u.Email == $"root@{PortalFactory.Domain}").Select(u => u.Id).SingleAsync();
            root = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id)], "Identity.Application"));
        }

        var plan = await admin.SaveOrganizationAsync(root, new SaveOrganizationCommand { Name = "Shasta Cascade Health Plan", PlanModel = PlanModel.Regional, CountyFips = [.. Domain.Organizations.CaliforniaCounties.Named("Shasta", "Tehama").Select(c => c.Fips)] });
        Assert.True(plan.Succeeded, plan.Message);
        var invite = await admin.InviteUserAsync(root, new InviteUserCommand { Email = "first.manager@shasta.example.org", DisplayName = "First Manager", OrganizationId = plan.Value, Role = OrganizationRole.Manager }, new Uri("http://localhost/"));
        Assert.True(invite.Succeeded, invite.Message);

        var email = await Mailbox.WaitForAsync(Path.Combine(_folder, "mail"), "first.manager@shasta.example.org", "Your PalliativeToolkit account");
        Assert.Contains("Manager of Shasta Cascade Health Plan", email.TextBody, StringComparison.Ordinal);
        await using var check = NewContext();
        Assert.Equal(2, await check.Users.CountAsync());
        Assert.Equal(OrganizationRole.Manager, (await check.Memberships.SingleAsync()).Role);
    }

    private ToolkitDbContext NewContext()
    {
        var db = _portal.Services.CreateScope().ServiceProvider.GetRequiredService<IDbContextFactory<ToolkitDbContext>>().CreateDbContext();
        db.ActAs(PalliativeToolkit.Infrastructure.Access.Viewer.System);
        return db;
    }
}
