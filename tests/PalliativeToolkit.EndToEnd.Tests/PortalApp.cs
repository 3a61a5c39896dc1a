using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// The real portal on Kestrel, on a loopback port of its own, with its own copy of the demo template database. One per
/// test class (a class fixture): the tests of a class share it, so they use accounts and data that do not collide, or
/// arrange their own with <see cref="Data"/>.
/// </summary>
public sealed class PortalApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = TemplateDatabase.DemoPassword;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-e2e", Guid.NewGuid().ToString("N"));
    private string? _database;

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>Where the portal's emails land (pickup delivery): one .eml file per message.</summary>
    public string MailFolder => Path.Combine(_folder, "mail");

    /// <summary>Builders for the data a test needs of its own.</summary>
    public TestData Data => new(Services);

    public async ValueTask InitializeAsync()
    {
        _database = await TemplateDatabase.Demo(_folder);
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in TemplateDatabase.Settings(_database ?? throw new InvalidOperationException("Initialize the app first.")))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Email:Delivery", "Pickup");
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("urls", "http://127.0.0.1:0");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TemplateDatabase.TryDelete(_folder);
    }
}
