using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace PalliativeToolkit.Benchmarks.Portal;

/// <summary>
/// The real portal inside this process (so its managed heap is this process's), on Kestrel on a loopback port,
/// in Development, with its own SQLite file and the demo data: the settings of the end-to-end tests' PortalApp.
/// </summary>
internal sealed class InProcessPortal : WebApplicationFactory<global::Program>
{
    private readonly string _folder = TempFolder.Create("ptk-bench-portal-");

    private InProcessPortal() => UseKestrel(0);

    public Uri BaseUrl { get; private set; } = default!;

    /// <summary>The portal's open circuits (the only service the benchmark adds to the app).</summary>
    public CircuitTracker Circuits { get; } = new();

    /// <summary>Starts the portal (migrates and seeds its database) and returns once it listens.</summary>
    public static InProcessPortal Start()
    {
        var portal = new InProcessPortal();
        try
        {
            portal.StartServer();
            var address = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            portal.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
            return portal;
        }
        catch
        {
            portal.Dispose();
            throw;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in DemoPortal.Settings(_folder))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.ConfigureServices(services => services.AddScoped(_ => Circuits.CreateHandler()));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(_folder);
    }
}
