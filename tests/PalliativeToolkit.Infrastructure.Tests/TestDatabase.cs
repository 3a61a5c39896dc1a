using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Infrastructure.Seeding;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>The app's own infrastructure services on a copy of a template SQLite file, in a folder of its own, deleted afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _folder;
    private readonly ServiceProvider _services;

    private TestDatabase(string folder, string file, bool seedDemo)
    {
        _folder = folder;
        var settings = new Dictionary<string, string?>(TemplateDatabase.Settings(file)) { ["Demo:Seed"] = seedDemo ? "true" : "false" };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddToolkitInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _folder);
        services.AddIdentityCore<ApplicationUser>(o => o.Stores.SchemaVersion = IdentitySchema.Version)
            .AddToolkitIdentityStores();
        _services = services.BuildServiceProvider();
        Data = new TestData(_services);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services => _services;

    public TestData Data { get; }

    public OperationRunner Operations => _services.GetRequiredService<OperationRunner>();

    /// <summary>A copy of the demo template (or of the empty one: the framework and one administrator).</summary>
    public static async Task<TestDatabase> CreateAsync(bool seedDemo = true)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ptk-tests", Guid.NewGuid().ToString("N"));
        var file = seedDemo ? await TemplateDatabase.Demo(folder) : await TemplateDatabase.Empty(folder);
        return new TestDatabase(folder, file, seedDemo);
    }

    /// <summary>Runs start-up again (migrations, framework, seed): a copy of a template is already initialized.</summary>
    public async Task<IReadOnlyList<SeededAccount>> InitializeAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    }

    /// <summary>An operation of <paramref name="principal"/>, as a feature service opens one.</summary>
    public Task<Operation> OperationAsync(ClaimsPrincipal principal) => Operations.OpenAsync(principal);

    /// <summary>A context that sees everything (the portal itself): for arranging and checking, never for the behaviour under test.</summary>
    public ToolkitDbContext SystemContext()
    {
        var db = UnboundContext();
        db.ActAs(Viewer.System);
        return db;
    }

    /// <summary>A context made without an operation: it acts for nobody.</summary>
    public ToolkitDbContext UnboundContext() =>
        _services.GetRequiredService<IDbContextFactory<ToolkitDbContext>>().CreateDbContext();

    public async Task<string> UserIdAsync(string email)
    {
        await using var db = SystemContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TemplateDatabase.TryDelete(_folder);
    }
}
