using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using PalliativeToolkit.Infrastructure;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>How the configured SQLite connection string becomes the one the portal opens.</summary>
public class ConnectionStringTests
{
    private static SqliteConnectionStringBuilder Resolve(string configured, string contentRoot)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Sqlite"] = configured })
            .Build();
        return new SqliteConnectionStringBuilder(DependencyInjection.ResolveConnectionString(configuration, DatabaseProvider.Sqlite, contentRoot));
    }

    [Fact]
    public void A_database_file_never_gets_a_shared_cache_and_a_relative_path_is_under_the_content_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "ptk-cs", Guid.NewGuid().ToString("N"));
        try
        {
            var resolved = Resolve("Data Source=App_Data/portal.db;Cache=Shared;Default Timeout=45", root);

            Assert.Equal(SqliteCacheMode.Default, resolved.Cache);
            Assert.Equal(Path.Combine(root, "App_Data/portal.db"), resolved.DataSource);
            Assert.Equal(45, resolved.DefaultTimeout);
            Assert.True(Directory.Exists(Path.Combine(root, "App_Data")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_named_in_memory_database_keeps_the_shared_cache_it_only_exists_through()
    {
        var root = Path.Combine(Path.GetTempPath(), "ptk-cs", Guid.NewGuid().ToString("N"));
        var resolved = Resolve("Data Source=portal;Mode=Memory;Cache=Shared", root);

        Assert.Equal(SqliteCacheMode.Shared, resolved.Cache);
        Assert.Equal(SqliteOpenMode.Memory, resolved.Mode);
        Assert.Equal("portal", resolved.DataSource);
        Assert.False(Directory.Exists(root));
    }
}
