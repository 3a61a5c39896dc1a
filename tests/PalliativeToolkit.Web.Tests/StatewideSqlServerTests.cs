using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// The statewide readings' queries as SQL Server gets them, without a server: each is built as
/// <see cref="StatewideService.ReadCycleAsync"/> builds it, against a context configured for SQL Server (no connection is
/// opened: <c>ToQueryString</c> only translates), and the SQL must parse as T-SQL. The tests that run them use SQLite.
/// </summary>
public class StatewideSqlServerTests
{
    [Theory]
    [InlineData(ExportQuery.ByMinimum)]
    [InlineData("A1")]
    public void The_heatmaps_sort_computed_by_the_database_is_sql_that_sql_server_parses(string sortBy)
    {
        using var db = SqlServerContext();
        var rounds = StatewideService.LatestRounds(db, OrganizationKind.ManagedCarePlan, ["FY 2025-26"]);

        var sql = StatewideService.SortedAnswers(db, rounds, sortBy).ToQueryString();

        AssertParses(sql);
        Assert.Contains("ORDER BY", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycles_rounds_as_they_stood_at_its_end_are_sql_that_sql_server_parses()
    {
        using var db = SqlServerContext();
        var rounds = StatewideService.LatestRounds(db, OrganizationKind.ManagedCarePlan, ["2025"], new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc));

        var sql = StatewideService.Answers(db, rounds, asSubmitted: true).ToQueryString();

        AssertParses(sql);
        Assert.Contains("[SubmittedAt] <", sql, StringComparison.Ordinal);
        Assert.Matches(@"\[a[0-9]*\]\.\[PlanModel\]", sql);
    }

    private static ToolkitDbContext SqlServerContext()
    {
        var builder = new DbContextOptionsBuilder<ToolkitDbContext>();
        builder.UseToolkitProvider(DatabaseProvider.SqlServer, "Server=unused.invalid;Database=PalliativeToolkit;User Id=sa;Password=unused;TrustServerCertificate=True");
        builder.UseApplicationServiceProvider(IdentitySchema.DesignTimeServices());
        return new ToolkitDbContext(builder.Options);
    }

    /// <summary>
    /// The T-SQL parser finds no error in the SQL (without the sentence EF appends in split-query mode, the portal's
    /// setting: these projections have no collection, so there is no other query).
    /// </summary>
    private static void AssertParses(string sql)
    {
        const string SplitNote = "This LINQ query is being executed in split-query mode";
        var at = sql.IndexOf(SplitNote, StringComparison.Ordinal);
        Assert.True(at < 0 || !sql[(at + SplitNote.Length)..].Contains("SELECT", StringComparison.Ordinal), "a second query follows");
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(at < 0 ? sql : sql[..at]);
        parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")) + Environment.NewLine + sql);
    }
}
