using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Admin;

namespace PalliativeToolkit.Web.Tests;

/// <summary>Account and security events reach the audit trail with who acted and whom it concerned, whichever page or service made them.</summary>
public class SecurityAuditTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private AdminService Admin => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AdminService>();

    private Task<List<AuditEntry>> TrailOfAsync(string subjectUserId) =>
        factory.Data.StoredAsync(db => db.AuditEntries.Where(a => a.SubjectUserId == subjectUserId).OrderBy(a => a.Sequence).ToListAsync());

    [Fact]
    public async Task Locking_and_unlocking_an_account_names_the_administrator_and_the_account()
    {
        var person = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var admin = await factory.PrincipalAsync("admin");
        var adminId = await factory.UserIdAsync("admin");

        Assert.True((await Admin.SetLockedAsync(admin, person.Id, locked: true)).Succeeded);
        Assert.True((await Admin.SetLockedAsync(admin, person.Id, locked: false)).Succeeded);

        var events = (await TrailOfAsync(person.Id)).Where(a => a.EntityType == AuditEntry.SecurityEventType).ToList();
        var locked = Assert.Single(events, a => a.Action == nameof(SecurityEvent.AccountLocked));
        Assert.Equal((adminId, person.Id, person.Id), (locked.UserId, locked.SubjectUserId, locked.EntityId));
        Assert.Contains("LockoutEnd", locked.NewValues, StringComparison.Ordinal);
        var unlocked = Assert.Single(events, a => a.Action == nameof(SecurityEvent.AccountUnlocked));
        Assert.Equal(adminId, unlocked.UserId);
        Assert.True(unlocked.Sequence > locked.Sequence);
    }

    [Fact]
    public async Task Granting_and_removing_a_global_role_and_changing_a_membership_are_recorded_with_actor_and_subject()
    {
        var plan = await factory.Data.PlanAsync();
        var person = await factory.Data.UserAsync(plan, OrganizationRole.Contributor);
        var admin = await factory.PrincipalAsync("admin");
        var adminId = await factory.UserIdAsync("admin");
        var membershipVersion = await factory.Data.StoredAsync(db => db.Memberships.Where(m => m.UserId == person.Id).Select(m => m.Version).SingleAsync());

        Assert.True((await Admin.SetGlobalRoleAsync(admin, person.Id, GlobalRoles.StatewideReviewer, granted: true)).Succeeded);
        Assert.True((await Admin.SetGlobalRoleAsync(admin, person.Id, GlobalRoles.StatewideReviewer, granted: false)).Succeeded);
        Assert.True((await Admin.SetMembershipAsync(admin, new SetMembershipCommand { UserId = person.Id, OrganizationId = plan.Id, ExpectedVersion = membershipVersion, Role = OrganizationRole.Manager })).Succeeded);

        var trail = await TrailOfAsync(person.Id);
        var granted = Assert.Single(trail, a => a.Action == nameof(SecurityEvent.RoleGranted));
        Assert.Equal((adminId, "{\"Role\":\"StatewideReviewer\"}"), (granted.UserId, granted.NewValues));
        var removed = Assert.Single(trail, a => a.Action == nameof(SecurityEvent.RoleRemoved));
        Assert.Equal((adminId, "{\"Role\":\"StatewideReviewer\"}"), (removed.UserId, removed.OldValues));
        var membership = Assert.Single(trail, a => a.EntityType == nameof(Membership) && a.Action == "Modified");
        Assert.Equal((adminId, plan.Id), (membership.UserId, membership.OrganizationId));
        Assert.Equal("{\"Role\":\"Contributor\"}", membership.OldValues);
        Assert.Equal("{\"Role\":\"Manager\"}", membership.NewValues);
    }

    [Fact]
    public async Task A_failed_and_a_successful_sign_in_are_recorded_and_no_password_is_kept()
    {
        var person = await factory.Data.UserAsync(await factory.Data.PlanAsync(), withPassword: true);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.org";
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        await PortalFactory.PostLoginAsync(client, unknown, "Not-The-Password-1!");
        await PortalFactory.PostLoginAsync(client, person.Email, "Wrong-Password-42!");
        var signedIn = await PortalFactory.PostLoginAsync(client, person.Email, TestUser.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var trail = await TrailOfAsync(person.Id);
        var failed = Assert.Single(trail, a => a.Action == nameof(SecurityEvent.SignInFailed));
        Assert.Equal((AuditOrigin.Anonymous, person.Id), (failed.UserId, failed.SubjectUserId));
        Assert.Contains("WrongCredentials", failed.NewValues, StringComparison.Ordinal);
        var succeeded = Assert.Single(trail, a => a.Action == nameof(SecurityEvent.SignInSucceeded));
        Assert.Equal((person.Id, person.Id), (succeeded.UserId, succeeded.SubjectUserId));

        var attempts = await factory.Data.StoredAsync(db => db.AuditEntries.Where(a => a.Action == nameof(SecurityEvent.SignInFailed) && a.NewValues!.Contains(unknown)).ToListAsync());
        var attempt = Assert.Single(attempts);
        Assert.Equal((AuditOrigin.Anonymous, (string?)null), (attempt.UserId, attempt.SubjectUserId));
        var everything = await factory.Data.StoredAsync(db => db.AuditEntries.Select(a => (a.OldValues ?? "") + (a.NewValues ?? "")).ToListAsync());
        Assert.DoesNotContain(everything, v => v.Contains("Not-The-Password-1!", StringComparison.Ordinal) || v.Contains("Wrong-Password-42!", StringComparison.Ordinal) || v.Contains(TestUser.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_ones_own_account_is_recorded_with_each_membership_it_removes()
    {
        var plan = await factory.Data.PlanAsync();
        var provider = await factory.Data.ProviderAsync();
        var person = await factory.Data.UserAsync(plan, OrganizationRole.Contributor, withPassword: true);
        await factory.Data.StoredAsync(async db =>
        {
            db.Memberships.Add(new Membership(person.Id, provider.Id, OrganizationRole.Viewer));
            return await db.SaveChangesAsync();
        });
        var client = await factory.SignedInClientAsync(person.Email, TestUser.Password);

        var fields = HtmlForm.HiddenFields(await client.GetStringAsync("/Account/Manage/DeletePersonalData"));
        fields["Input.Password"] = TestUser.Password;
        using var form = new FormUrlEncodedContent(fields);
        var deleted = await client.PostAsync("/Account/Manage/DeletePersonalData", form);

        Assert.True(deleted.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, deleted.StatusCode.ToString());
        Assert.False(await factory.Data.StoredAsync(db => db.Users.AnyAsync(u => u.Id == person.Id)));
        var trail = await TrailOfAsync(person.Id);
        var account = Assert.Single(trail, a => a.Action == nameof(SecurityEvent.AccountDeleted));
        Assert.Equal(person.Id, account.UserId);
        var removals = trail.Where(a => a.EntityType == nameof(Membership) && a.Action == "Deleted").ToList();
        Assert.Equal(new[] { plan.Id, provider.Id }.Order(), removals.Select(r => r.OrganizationId!.Value).Order());
        Assert.All(removals, r => Assert.Equal(person.Id, r.UserId));
        Assert.All(removals, r => Assert.Contains("\"Role\"", r.OldValues, StringComparison.Ordinal));
        Assert.True((await factory.Services.GetRequiredService<AuditVerifier>().VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Only_administrators_open_the_audit_page_and_download_the_export()
    {
        var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Contains("/Account/Login", (await anonymous.GetAsync(AuditEndpoints.ExportPath)).Headers.Location!.ToString(), StringComparison.Ordinal);
        foreach (var account in new[] { "manager", "reviewer" })
        {
            var client = await factory.SignedInClientAsync(account);
            foreach (var url in new[] { "/admin/audit", AuditEndpoints.ExportPath, AuditEndpoints.ExportPath + "?kind=Account" })
            {
                var response = await client.GetAsync(url);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Contains("AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain("Sequence,Id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        var admin = await factory.SignedInClientAsync("admin");
        Assert.Contains("Audit trail", await admin.GetStringAsync("/admin/audit"), StringComparison.Ordinal);
        var export = await admin.GetAsync(AuditEndpoints.ExportPath + "?kind=Account&action=SignInSucceeded");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType!.MediaType);
        Assert.Matches(@"attachment; filename=""audit-trail-\d{4}-\d{2}-\d{2}\.csv""", export.Content.Headers.ContentDisposition!.ToString());
        var lines = (await export.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', AuditCsv.Header), lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Contains(",SignInSucceeded,", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"manager@{PortalFactory.Domain}", StringComparison.Ordinal)); // the administrator signs in with a second step: TwoFactorSignInSucceeded
    }

    /// <summary>The command line an operator schedules: 0 while intact, 1 and the row once a row was changed behind the portal's back.</summary>
    [Fact]
    public async Task The_verify_command_exits_0_on_an_intact_chain_and_1_naming_the_row_once_one_was_changed()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ptk-verify", Guid.NewGuid().ToString("N"));
        var database = await TemplateDatabase.Demo(folder);
        try
        {
            var (intact, intactOutput) = await RunVerifyAsync(database);
            Assert.True(intact == 0, intactOutput);
            Assert.Contains("Audit chain intact", intactOutput, StringComparison.Ordinal);

            long id;
            await using (var connection = new SqliteConnection($"Data Source={database}"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "UPDATE AuditEntries SET NewValues = '{\"Name\":\"forged\"}' WHERE Sequence = 5 RETURNING Id;";
                id = (long)(await command.ExecuteScalarAsync())!;
            }

            SqliteConnection.ClearAllPools();
            var (broken, brokenOutput) = await RunVerifyAsync(database);
            Assert.True(broken == 1, brokenOutput);
            Assert.Contains($"BROKEN at row {id} (sequence 5): ContentChanged", brokenOutput, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TemplateDatabase.TryDelete(folder);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunVerifyAsync(string database)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "PalliativeToolkit.Web.exe" : "PalliativeToolkit.Web"))
        {
            ArgumentList = { "audit", "verify" },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={database}";
        start.Environment["DOTNET_TieredPGO"] = "0";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, output + errors);
    }

    [Theory]
    [InlineData("?to=9999-12-31")]
    [InlineData("?from=0001-01-01&to=9999-12-31")]
    [InlineData("?from=not-a-date")]
    [InlineData("?kind=%00%0d%0a&action=%E2%80%AE")]
    public async Task Hostile_export_filters_answer_a_file_or_a_refusal_never_an_error(string query)
    {
        var admin = await factory.SignedInClientAsync("admin");

        using var export = await admin.GetAsync(AuditEndpoints.ExportPath + query);

        Assert.True(export.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{query}: {(int)export.StatusCode}");
    }
}
