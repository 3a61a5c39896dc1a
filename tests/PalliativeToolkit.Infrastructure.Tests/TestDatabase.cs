using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Infrastructure.Seeding;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>The app's own infrastructure services on a real SQLite file of its own, deleted afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-tests", Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    private TestDatabase(bool seedDemo)
    {
        Directory.CreateDirectory(_folder);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = "Data Source=test.db",
            ["Demo:Seed"] = seedDemo ? "true" : "false",
            ["Demo:Password"] = "Test-Password-1!",
            ["Administrator:Email"] = "admin@test.local",
            ["Administrator:Password"] = "Admin-Password-1!",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddToolkitInfrastructure(configuration, _folder);
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<ICurrentUser>(User);
        services.AddIdentityCore<ApplicationUser>(o => o.Stores.SchemaVersion = IdentitySchema.Version)
            .AddToolkitIdentityStores();
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public TestUser User { get; } = new();

    public IServiceProvider Services => _services;

    public static async Task<TestDatabase> CreateAsync(bool seedDemo = true)
    {
        var database = new TestDatabase(seedDemo);
        await database.InitializeAsync();
        return database;
    }

    public async Task<IReadOnlyList<SeededAccount>> InitializeAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    }

    /// <summary>A new context, as a feature service would create one per operation.</summary>
    public ToolkitDbContext NewContext() =>
        _services.CreateScope().ServiceProvider.GetRequiredService<IDbContextFactory<ToolkitDbContext>>().CreateDbContext();

    public async Task<string> UserIdAsync(string email)
    {
        await using var db = NewContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

public sealed class TestUser : ICurrentUser
{
    public string? Id { get; set; }

    public ValueTask<string?> GetUserIdAsync() => ValueTask.FromResult(Id);
}
