using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>SQL Server cannot run here, so its migrations are proven current and its script is parsed instead.</summary>
public class MigrationTests
{
    private static ToolkitDbContext Context(DatabaseProvider provider) => provider == DatabaseProvider.Sqlite
        ? new Migrations.Sqlite.DesignTimeDbContextFactory().CreateDbContext([])
        : new Migrations.SqlServer.DesignTimeDbContextFactory().CreateDbContext([]);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void The_migrations_of_each_provider_match_the_model(DatabaseProvider provider)
    {
        using var db = Context(provider);

        Assert.False(db.Database.HasPendingModelChanges(), $"{provider} migrations are behind the model: add a migration.");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    /// <summary>
    /// Parses the idempotent SQL Server script: the one 'dotnet ef migrations script --idempotent' wrote when
    /// PTK_SQLSERVER_SCRIPT names it (as .ci/run does), else the same script generated here through EF's migrator.
    /// </summary>
    [Fact]
    public void The_idempotent_sql_server_script_parses_without_errors()
    {
        var file = Environment.GetEnvironmentVariable("PTK_SQLSERVER_SCRIPT");
        using var db = Context(DatabaseProvider.SqlServer);
        var script = string.IsNullOrEmpty(file)
            ? db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent)
            : File.ReadAllText(file);

        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        parser.Parse(reader, out var errors);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")));
        Assert.Contains("CREATE TABLE [Assessments]", script);
        Assert.Contains("IF NOT EXISTS", script);
    }

    /// <summary>
    /// A database from before submission rounds existed: its submitted assessments get a frozen round (the answers as
    /// stored), its feedback moves to that round, and every working answer gets its organization for the access filters.
    /// </summary>
    [Fact]
    public async Task Upgrading_a_database_from_before_rounds_freezes_its_submitted_assessments_and_keeps_their_feedback()
    {
        var folder = UpgradeFolder();
        try
        {
            await using var db = OldDatabase(folder);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261123093615_InitialCreate");
            string Id() => Guid.NewGuid().ToString().ToUpperInvariant();
            var (framework, section, element, minimum, enhancement, plan) = (Id(), Id(), Id(), Id(), Id(), Id());
            var (returned, draft, returnedElement, draftElement) = (Id(), Id(), Id(), Id());
            // Test-made ids only: nothing from outside reaches this SQL.
#pragma warning disable EF1002
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO FrameworkVersions VALUES ('{framework}', 'old', 'Old', '2025-01-01', 0, '{Id()}');
                INSERT INTO Sections VALUES ('{section}', '{framework}', 'A', 'A', '', 'Plan', '', 1, '{Id()}');
                INSERT INTO Elements VALUES ('{element}', '{section}', 'A1', 'A1', '', 'Guide', '', '', 1, '{Id()}');
                INSERT INTO Criteria VALUES ('{minimum}', '{element}', 'A1-M1', 'Minimum', 'm', 'Guide', NULL, 1, '{Id()}');
                INSERT INTO Criteria VALUES ('{enhancement}', '{element}', 'A1-E1', 'Enhancement', 'e', 'Guide', NULL, 2, '{Id()}');
                INSERT INTO Organizations VALUES ('{plan}', 'Old plan', 'ManagedCarePlan', 'SinglePlan', 'Alameda', NULL, NULL, '{Id()}');
                INSERT INTO Assessments VALUES ('{returned}', '{plan}', '{framework}', '2025', 'Plan', 'Returned', '2025-02-01 00:00:00', 'u1', '2025-03-01 00:00:00', 'u1', '2025-03-05 00:00:00', 'reviewer', NULL, '{Id()}');
                INSERT INTO Assessments VALUES ('{draft}', '{plan}', '{framework}', '2026', 'Plan', 'Draft', '2026-02-01 00:00:00', 'u1', NULL, NULL, NULL, NULL, NULL, '{Id()}');
                INSERT INTO ElementResponses VALUES ('{returnedElement}', '{returned}', '{element}', 'Policy 7', '["https://example.org/p7"]', 'High', '{Id()}');
                INSERT INTO ElementResponses VALUES ('{draftElement}', '{draft}', '{element}', '', '[]', 'None', '{Id()}');
                INSERT INTO CriterionResponses VALUES ('{Id()}', '{returnedElement}', '{minimum}', 'Minimum', 'Met', '{Id()}');
                INSERT INTO CriterionResponses VALUES ('{Id()}', '{returnedElement}', '{enhancement}', 'Enhancement', 'NotMet', '{Id()}');
                INSERT INTO CriterionResponses VALUES ('{Id()}', '{draftElement}', '{minimum}', 'Minimum', 'Open', '{Id()}');
                INSERT INTO Feedback VALUES ('{Id()}', '{returned}', '{element}', 'Attach policy 7', 'reviewer', '2025-03-05 00:00:00', '{Id()}');
                """);
#pragma warning restore EF1002

            await migrator.MigrateAsync();

            db.ActAs(Viewer.System);
            var round = await db.Submissions.Include(s => s.Elements).ThenInclude(e => e.Answers).Include(s => s.Feedback).SingleAsync();
            Assert.Equal(Guid.Parse(returned), round.AssessmentId);
            Assert.Equal((1, Decision.Returned, Guid.Parse(plan)), (round.Round, round.Decision, round.OrganizationId));
            var frozen = Assert.Single(round.Elements);
            Assert.Equal(("Policy 7", Priority.High, Level.MeetsMinimum), (frozen.EvidenceNotes, frozen.Priority, frozen.Level));
            Assert.Equal(["https://example.org/p7"], frozen.EvidenceLinks);
            Assert.Equal("Attach policy 7", Assert.Single(round.Feedback).Text);
            Assert.Equal(Guid.Parse(plan), round.Feedback[0].OrganizationId);
            Assert.Equal([1, 0], await db.Assessments.OrderBy(a => a.Cycle).Select(a => a.Round).ToListAsync());
            Assert.All(await db.ElementResponses.ToListAsync(), e => Assert.Equal(Guid.Parse(plan), e.OrganizationId));
            Assert.All(await db.CriterionResponses.ToListAsync(), c => Assert.Equal(Guid.Parse(plan), c.OrganizationId));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TemplateDatabase.TryDelete(folder);
        }
    }

    /// <summary>
    /// A new database (a new user's first start) migrates with no statement run while a SQLite table rebuild is pending:
    /// EF Core warns of each such statement ("the database may not be in an expected state"), and the first start printed
    /// seven of these warnings.
    /// </summary>
    [Fact]
    public async Task A_new_database_migrates_with_no_statement_run_while_a_table_rebuild_is_pending()
    {
        var folder = UpgradeFolder();
        try
        {
            var builder = new DbContextOptionsBuilder<ToolkitDbContext>();
            builder.UseToolkitProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "new.db")}");
            builder.UseApplicationServiceProvider(Identity.IdentitySchema.DesignTimeServices());
            builder.ConfigureWarnings(w => w.Throw(SqliteEventId.TableRebuildPendingWarning));
            await using var db = new ToolkitDbContext(builder.Options);

            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);

            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TemplateDatabase.TryDelete(folder);
        }
    }

    private static string UpgradeFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ptk-upgrade", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A SQLite database in <paramref name="folder"/> that a test migrates to an old version, fills, and upgrades.</summary>
    private static ToolkitDbContext OldDatabase(string folder)
    {
        var builder = new DbContextOptionsBuilder<ToolkitDbContext>();
        builder.UseToolkitProvider(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "old.db")}");
        builder.UseApplicationServiceProvider(Identity.IdentitySchema.DesignTimeServices());
        return new ToolkitDbContext(builder.Options);
    }

    /// <summary>
    /// Counties typed as text before they were reference data survive the upgrade (kept as LegacyCounties), and turn into
    /// counties of the 58 on adoption; a name that is no county is reported, never invented.
    /// </summary>
    [Fact]
    public async Task Upgrading_turns_typed_counties_into_californias_counties_and_reports_the_names_that_are_none()
    {
        var folder = UpgradeFolder();
        try
        {
            await using var db = OldDatabase(folder);
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261126112312_Notifications");
            var plan = Guid.NewGuid();
#pragma warning disable EF1002
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO Organizations (Id, Name, NormalizedName, Kind, PlanModel, Counties, Version)
                VALUES ('{plan.ToString().ToUpperInvariant()}', 'Old plan', 'OLD PLAN', 'ManagedCarePlan', 'Cohs', 'Sonoma County, napa, Atlantis', '{Guid.NewGuid().ToString().ToUpperInvariant()}');
                """);
#pragma warning restore EF1002

            await migrator.MigrateAsync();

            db.ActAs(Viewer.System);
            Assert.Equal(58, await db.Counties.CountAsync());
            var organization = await db.Organizations.SingleAsync(o => o.Id == plan);
            Assert.Equal("Sonoma County, napa, Atlantis", organization.LegacyCounties);
            Assert.Empty(organization.CountyFips);

            var unknown = organization.AdoptLegacyCounties();
            await db.SaveChangesAsync();

            Assert.Equal(["Atlantis"], unknown);
            var adopted = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == plan);
            Assert.Equal(["06055", "06097"], adopted.CountyFips);
            Assert.Equal("Napa, Sonoma", CaliforniaCounties.Describe(adopted.Counties));
            Assert.Null(adopted.LegacyCounties);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TemplateDatabase.TryDelete(folder);
        }
    }
}
