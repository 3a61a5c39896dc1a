using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace PalliativeToolkit.Infrastructure.Persistence;

/// <summary>Configures EF Core for the chosen provider, with that provider's own migrations assembly.</summary>
public static class ProviderSetup
{
    public const string SqliteMigrationsAssembly = "PalliativeToolkit.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "PalliativeToolkit.Migrations.SqlServer";

    public static DbContextOptionsBuilder UseToolkitProvider(this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly).UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)),
            DatabaseProvider.SqlServer => options.UseSqlServer(connectionString, sql =>
            {
                sql.MigrationsAssembly(SqlServerMigrationsAssembly);
                sql.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery);
                sql.EnableRetryOnFailure();
            }),
            _ => throw new InvalidOperationException($"Unknown database provider '{provider}'. Use Sqlite or SqlServer."),
        };
    }

    /// <summary>Creates the folder of a SQLite database file if it does not exist.</summary>
    public static void EnsureSqliteFolder(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder) && builder.DataSource != ":memory:")
        {
            Directory.CreateDirectory(folder);
        }
    }
}
