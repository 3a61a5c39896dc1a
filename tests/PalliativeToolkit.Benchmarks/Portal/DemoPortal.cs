namespace PalliativeToolkit.Benchmarks.Portal;

/// <summary>The demo data every benchmark portal starts with (Demo:Seed=true), and the password it is given.</summary>
internal static class DemoPortal
{
    public const string Password = "Bench-Demo-Password-1!";
    public const string Manager = "manager@demo.palliativetoolkit.org";

    /// <summary>The portal's SQLite file in its folder.</summary>
    public const string DatabaseFile = "bench.db";

    /// <summary>
    /// The settings of the end-to-end tests' PortalApp: its own SQLite file, the demo data, emails written to a
    /// folder, and only warnings in the log. Keys use ':'; environment variables get them with '__'.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Settings(string folder) => new Dictionary<string, string>
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(folder, DatabaseFile)}",
        ["Demo:Seed"] = "true",
        ["Demo:Password"] = Password,
        ["Email:Delivery"] = "Pickup",
        ["Email:PickupDirectory"] = Path.Combine(folder, "mail"),
        ["Serilog:MinimumLevel:Default"] = "Warning",
    };
}
