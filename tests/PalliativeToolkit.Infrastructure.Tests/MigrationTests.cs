using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using PalliativeToolkit.Infrastructure.Persistence;

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
}
