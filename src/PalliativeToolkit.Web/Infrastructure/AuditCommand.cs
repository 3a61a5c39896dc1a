using PalliativeToolkit.Infrastructure;
using PalliativeToolkit.Infrastructure.Auditing;

namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>
/// <c>PalliativeToolkit.Web audit verify [--anchor sequence:hash]</c> (or <c>dotnet run --project src/PalliativeToolkit.Web -- audit verify</c>):
/// walks the audit chain of the configured database and prints the result. Exit code 0 when intact, 1 when broken,
/// 2 when it could not run. It reads the app's usual configuration (appsettings, environment) and starts no server.
/// </summary>
public static class AuditCommand
{
    public const int Intact = 0;
    public const int Broken = 1;
    public const int Failed = 2;

    public static bool Matches(string[] args) =>
        args is { Length: >= 2 } && args[0] == "audit" && args[1] == "verify";

    public static async Task<int> RunAsync(WebApplicationBuilder builder, string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var anchorAt = Array.IndexOf(args, "--anchor");
        var anchor = anchorAt >= 0 && anchorAt + 1 < args.Length ? args[anchorAt + 1] : null;
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddToolkitInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
            await using var provider = services.BuildServiceProvider();
            var result = await provider.GetRequiredService<AuditVerifier>().VerifyAsync(anchor);
            await output.WriteLineAsync(result.ToString());
            return result.Intact ? Intact : Broken;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or System.Data.Common.DbException)
        {
            await output.WriteLineAsync($"Audit verification could not run: {e.Message}");
            return Failed;
        }
    }
}
