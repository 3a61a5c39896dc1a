using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>The audit trail is a hash chain: intact, it verifies; a row changed, deleted or replaced behind the portal's back is found.</summary>
public class AuditChainTests
{
    private static AuditVerifier Verifier(TestDatabase database) => database.Services.GetRequiredService<AuditVerifier>();

    /// <summary>A few audited changes and security events, so the chain has a middle.</summary>
    private static async Task<List<AuditEntry>> SomeHistoryAsync(TestDatabase database)
    {
        var plan = await database.Data.PlanAsync();
        var manager = await database.Data.UserAsync(plan);
        await database.Data.AssessmentAsync(plan);
        await database.Services.GetRequiredService<ISecurityAudit>().RecordAsync(SecurityEvent.SignInFailed, AuditOrigin.Anonymous, manager.Id, after: new { Reason = "test" });
        await using var db = database.SystemContext();
        return await db.AuditEntries.OrderBy(a => a.Sequence).ToListAsync();
    }

    [Fact]
    public async Task Every_row_links_to_the_one_before_and_the_intact_chain_verifies()
    {
        await using var database = await TestDatabase.CreateAsync();
        var rows = await SomeHistoryAsync(database);

        var result = await Verifier(database).VerifyAsync();

        Assert.True(result.Intact, result.ToString());
        Assert.Equal(rows.Count, result.RowsChecked);
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.Sequence));
        Assert.Equal(AuditEntry.Genesis, rows[0].PreviousHash);
        Assert.All(rows.Skip(1).Zip(rows), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.Equal((rows[^1].Sequence, rows[^1].Hash), (result.HeadSequence, result.HeadHash));
        Assert.True((await Verifier(database).VerifyAsync(result.Anchor)).Intact);
    }

    [Fact]
    public async Task A_row_changed_with_sql_is_reported_at_that_row()
    {
        await using var database = await TestDatabase.CreateAsync();
        var rows = await SomeHistoryAsync(database);
        var victim = rows[rows.Count / 2];

        await ExecuteAsync(database, $"UPDATE AuditEntries SET UserId = 'someone-else' WHERE Id = {victim.Id}");
        var result = await Verifier(database).VerifyAsync();

        Assert.False(result.Intact);
        Assert.Equal((victim.Id, victim.Sequence, AuditBreakKind.ContentChanged), (result.FirstBreak!.RowId, result.FirstBreak.Sequence, result.FirstBreak.Kind));
        Assert.Equal(victim.Sequence - 1, result.RowsChecked);
    }

    [Fact]
    public async Task A_middle_row_deleted_with_sql_is_reported_at_the_row_after_the_gap()
    {
        await using var database = await TestDatabase.CreateAsync();
        var rows = await SomeHistoryAsync(database);
        var victim = rows[rows.Count / 2];
        var next = rows[(rows.Count / 2) + 1];

        await ExecuteAsync(database, $"DELETE FROM AuditEntries WHERE Id = {victim.Id}");
        var result = await Verifier(database).VerifyAsync();

        Assert.Equal((next.Id, next.Sequence, AuditBreakKind.RowsMissing), (result.FirstBreak!.RowId, result.FirstBreak.Sequence, result.FirstBreak.Kind));
        Assert.Contains($"Row {victim.Sequence} is missing", result.FirstBreak.Description, StringComparison.Ordinal);
    }

    /// <summary>Someone who rewrites a row and gives it a correct hash of its own still breaks the next row's link.</summary>
    [Fact]
    public async Task A_row_replaced_with_a_fresh_hash_is_reported_at_the_next_row()
    {
        await using var database = await TestDatabase.CreateAsync();
        var rows = await SomeHistoryAsync(database);
        var victim = rows[rows.Count / 2];
        var next = rows[(rows.Count / 2) + 1];
        typeof(AuditEntry).GetProperty(nameof(AuditEntry.UserId))!.SetValue(victim, "someone-else");
        victim.Seal(victim.Sequence, victim.PreviousHash);

        await ExecuteAsync(database, $"UPDATE AuditEntries SET UserId = 'someone-else', Hash = '{victim.Hash}' WHERE Id = {victim.Id}");
        var result = await Verifier(database).VerifyAsync();

        Assert.Equal((next.Id, next.Sequence, AuditBreakKind.LinkBroken), (result.FirstBreak!.RowId, result.FirstBreak.Sequence, result.FirstBreak.Kind));
    }

    /// <summary>Cutting the chain's end leaves a valid chain; an anchor taken before (the exported head) shows the cut.</summary>
    [Fact]
    public async Task The_last_rows_deleted_are_caught_by_an_earlier_anchor()
    {
        await using var database = await TestDatabase.CreateAsync();
        await SomeHistoryAsync(database);
        var anchor = (await Verifier(database).VerifyAsync()).Anchor;

        await ExecuteAsync(database, "DELETE FROM AuditEntries WHERE Sequence = (SELECT MAX(Sequence) FROM AuditEntries)");

        Assert.True((await Verifier(database).VerifyAsync()).Intact);
        var anchored = await Verifier(database).VerifyAsync(anchor);
        Assert.Equal(AuditBreakKind.AnchorMismatch, anchored.FirstBreak!.Kind);
    }

    [Fact]
    public async Task Concurrent_writers_append_one_after_another_and_the_chain_stays_intact()
    {
        await using var database = await TestDatabase.CreateAsync();
        var admin = await database.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        await using (var db = database.SystemContext())
        {
            Assert.True(await db.AuditEntries.AnyAsync());
        }

        var audit = database.Services.GetRequiredService<ISecurityAudit>();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await go.Task;
            for (var n = 0; n < 3; n++)
            {
                await using var op = await database.OperationAsync(admin.Principal);
                op.Db.Organizations.Add(new Organization($"Concurrent plan {i}-{n}-{Guid.NewGuid():N}", OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named("Yolo"), PlanModel.Gmc));
                await op.SaveAsync();
                await audit.RecordAsync(SecurityEvent.SignInSucceeded, admin.Id, admin.Id);
            }
        })).ToList();
        go.SetResult();
        await Task.WhenAll(writers);

        var result = await Verifier(database).VerifyAsync();
        Assert.True(result.Intact, result.ToString());
        await using var check = database.SystemContext();
        Assert.Equal(96, await check.AuditEntries.CountAsync(a => a.UserId == admin.Id && (a.EntityType == nameof(Organization) || a.Action == nameof(SecurityEvent.SignInSucceeded))));
        Assert.Equal(await check.AuditEntries.CountAsync(), await check.AuditEntries.MaxAsync(a => a.Sequence));
    }

    /// <summary>Rows written before the chain existed are numbered by the migration and sealed, in order, at the next start.</summary>
    [Fact]
    public async Task Audit_rows_from_before_the_chain_are_sealed_at_the_first_start_after_the_upgrade()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ptk-upgrade", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var builder = new DbContextOptionsBuilder<ToolkitDbContext>();
            builder.UseToolkitProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "old.db")}");
            builder.UseApplicationServiceProvider(IdentitySchema.DesignTimeServices());
            await using var db = new ToolkitDbContext(builder.Options);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261125234935_SubmissionRoundsAndAccess");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO AuditEntries (UserId, Timestamp, EntityType, EntityId, Action, OldValues, NewValues) VALUES ('u1', '2026-01-01 10:00:00', 'Organization', 'a', 'Added', NULL, '{{"Name":"Old"}}');
                INSERT INTO AuditEntries (UserId, Timestamp, EntityType, EntityId, Action, OldValues, NewValues) VALUES ('u2', '2026-01-02 10:00:00', 'Organization', 'a', 'Modified', '{{"Name":"Old"}}', '{{"Name":"New"}}');
                INSERT INTO AuditEntries (UserId, Timestamp, EntityType, EntityId, Action, OldValues, NewValues) VALUES ('u1', '2026-01-03 10:00:00', 'Organization', 'a', 'Deleted', '{{"Name":"New"}}', NULL);
                DELETE FROM AuditEntries WHERE UserId = 'u2';
                INSERT INTO AuditEntries (UserId, Timestamp, EntityType, EntityId, Action, OldValues, NewValues) VALUES ('u3', '2026-01-04 10:00:00', 'Organization', 'b', 'Added', NULL, '{{"Name":"B"}}');
                INSERT INTO Organizations (Id, Name, Kind, PlanModel, Counties, ProviderType, Services, Version) VALUES ('11111111-0000-0000-0000-000000000001', 'Acme', 'ManagedCarePlan', 'SinglePlan', 'Alameda', NULL, NULL, '11111111-0000-0000-0000-0000000000aa');
                INSERT INTO Organizations (Id, Name, Kind, PlanModel, Counties, ProviderType, Services, Version) VALUES ('22222222-0000-0000-0000-000000000002', 'ACME ', 'ManagedCarePlan', 'SinglePlan', 'Alameda', NULL, NULL, '22222222-0000-0000-0000-0000000000aa');
                """);

            await migrator.MigrateAsync();
            db.ActAs(Viewer.System);
            Assert.Equal(3, await AuditChain.SealLegacyAsync(db, TestContext.Current.CancellationToken));
            Assert.Equal(0, await AuditChain.SealLegacyAsync(db, TestContext.Current.CancellationToken));

            var rows = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence).ToListAsync();
            Assert.Equal([(1L, "u1"), (2L, "u1"), (3L, "u3")], rows.Select(r => (r.Sequence, r.UserId)));
            Assert.All(rows, r => Assert.Equal(r.Hash, r.ComputeHash()));
            var organizations = await db.Organizations.AsNoTracking().OrderBy(o => o.Id).Select(o => new { o.Name, o.NormalizedName }).ToListAsync();
            Assert.Equal(("Acme", "ACME"), (organizations[0].Name, organizations[0].NormalizedName));
            Assert.Equal(("ACME (22222222)", "ACME (22222222)"), (organizations[1].Name, organizations[1].NormalizedName));

            // A row emptied later, by a hand outside the portal, is not sealed over at the next start: the verifier reports it.
            await db.Database.ExecuteSqlRawAsync("UPDATE AuditEntries SET Hash = '' WHERE Sequence = 3");
            Assert.Equal(0, await AuditChain.SealLegacyAsync(db, TestContext.Current.CancellationToken));
            Assert.Equal(string.Empty, await db.AuditEntries.AsNoTracking().Where(a => a.Sequence == 3).Select(a => a.Hash).SingleAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TemplateDatabase.TryDelete(folder);
        }
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var db = database.SystemContext();
#pragma warning disable EF1002 // test-made SQL, no outside input
        await db.Database.ExecuteSqlRawAsync(sql);
#pragma warning restore EF1002
    }
}
