using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Infrastructure.Tests;

public class SeedingTests
{
    [Fact]
    public async Task A_new_database_is_seeded_with_the_framework_and_a_realistic_demo()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.SystemContext();

        var framework = await db.FrameworkVersions.SingleAsync(f => f.IsCurrent);
        Assert.Equal("2026.1", framework.Label);
        Assert.Equal(5, await db.Sections.CountAsync());
        Assert.True(await db.Organizations.CountAsync(o => o.Kind == OrganizationKind.ManagedCarePlan) >= 4);
        Assert.True(await db.Organizations.CountAsync(o => o.Kind == OrganizationKind.PalliativeCareProvider) >= 4);
        var statuses = await db.Assessments.Select(a => a.Status).Distinct().ToListAsync();
        Assert.Contains(AssessmentStatus.Draft, statuses);
        Assert.Contains(AssessmentStatus.Submitted, statuses);
        Assert.Contains(AssessmentStatus.Returned, statuses);
        Assert.True(await db.Assessments.Select(a => a.Cycle).Distinct().CountAsync() >= 2);
        foreach (var role in GlobalRoles.All)
        {
            var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleAsync();
            Assert.True(await db.UserRoles.AnyAsync(ur => ur.RoleId == roleId), $"no demo account has role {role}");
        }

        foreach (var role in Enum.GetValues<OrganizationRole>())
        {
            Assert.True(await db.Memberships.AnyAsync(m => m.Role == role), $"no demo account is a {role}");
        }
    }

    [Fact]
    public async Task A_second_start_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        async Task<int[]> Counts()
        {
            await using var db = database.SystemContext();
            return [await db.FrameworkVersions.CountAsync(), await db.Users.CountAsync(), await db.Organizations.CountAsync(),
                await db.Assessments.CountAsync(), await db.CriterionResponses.CountAsync(), await db.AuditEntries.CountAsync()];
        }

        var before = await Counts();
        var accounts = await database.InitializeAsync();

        Assert.Empty(accounts);
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task Without_demo_data_the_portal_has_only_the_configured_administrator()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        await using var db = database.SystemContext();

        var user = await db.Users.SingleAsync();
        Assert.Equal("admin@test.local", user.Email);
        Assert.Empty(await db.Organizations.ToListAsync());
        Assert.Empty(await db.Assessments.ToListAsync());
        Assert.Equal(1, await db.FrameworkVersions.CountAsync());
    }

    [Fact]
    public async Task Sqlite_runs_in_wal_mode()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        await using var db = database.SystemContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
