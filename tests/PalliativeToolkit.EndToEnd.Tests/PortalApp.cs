using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>The real portal on Kestrel, on a loopback port of its own, with its own SQLite file and the demo data.</summary>
public sealed class PortalApp : WebApplicationFactory<Program>
{
    public const string Password = "E2e-Demo-Password-1!";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-e2e", Guid.NewGuid().ToString("N"));

    public PortalApp()
    {
        Directory.CreateDirectory(_folder);
        UseKestrel(0);
    }

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>Where the portal's emails land (pickup delivery): one .eml file per message.</summary>
    public string MailFolder => Path.Combine(_folder, "mail");

    public static PortalApp Start()
    {
        var app = new PortalApp();
        app.StartServer();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        app.BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/";
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(_folder, "e2e.db")};Cache=Shared");
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Demo:Password", Password);
        builder.UseSetting("Email:Delivery", "Pickup");
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("urls", "http://127.0.0.1:0");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // leftover temp files are harmless
        }
    }
}
