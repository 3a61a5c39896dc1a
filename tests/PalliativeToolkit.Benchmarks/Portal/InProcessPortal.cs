using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Benchmarks.Portal;

/// <summary>
/// The real portal inside this process (so its managed heap is this process's), on Kestrel on a loopback port,
/// in Development, with its own SQLite file: by default migrated and seeded with the demo data at start (the settings
/// of the end-to-end tests' PortalApp), or a copy of the tests' empty template (framework and one administrator).
/// </summary>
internal sealed class InProcessPortal : WebApplicationFactory<global::Program>
{
    private readonly string _folder = TempFolder.Create("ptk-bench-portal-");
    private readonly bool _emptyTemplate;

    private InProcessPortal(bool emptyTemplate)
    {
        _emptyTemplate = emptyTemplate;
        LoopbackKestrel.Use(this);
    }

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>The portal's open circuits (the only service the benchmark adds to the app).</summary>
    public CircuitTracker Circuits { get; } = new();

    /// <summary>Builders that write through the portal's own operations, as the tests arrange their data.</summary>
    public TestData Data => new(Services);

    /// <summary>Starts the portal on a new SQLite file (migrates it and seeds the demo) and returns once it listens.</summary>
    public static InProcessPortal Start()
    {
        var portal = new InProcessPortal(emptyTemplate: false);
        try
        {
            portal.Listen();
            return portal;
        }
        catch
        {
            portal.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the portal on a copy of <see cref="TemplateDatabase.Empty"/>: the current framework and one administrator,
    /// no organizations, so that a scenario counts only what it arranges. Returns once it listens.
    /// </summary>
    public static async Task<InProcessPortal> StartOnEmptyTemplateAsync()
    {
        var portal = new InProcessPortal(emptyTemplate: true);
        try
        {
            await TemplateDatabase.Empty(portal._folder, DemoPortal.DatabaseFile);
            portal.Listen();
            return portal;
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
    }

    private void Listen()
    {
        StartServer();
        BaseUrl = LoopbackKestrel.Address(Services);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in DemoPortal.Settings(_folder))
        {
            builder.UseSetting(key, value);
        }

        if (_emptyTemplate)
        {
            // The copy already has its administrator, so the start seeds nothing; these only keep the settings valid.
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("Administrator:Email", TemplateDatabase.AdministratorEmail);
            builder.UseSetting("Administrator:Password", TemplateDatabase.AdministratorPassword);
        }

        builder.ConfigureServices(services => services.AddScoped(_ => Circuits.CreateHandler()));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(_folder);
    }
}
