using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>The Identity store schema the portal uses (version 3, with passkeys), shared by the app and design-time tools.</summary>
public static class IdentitySchema
{
    public static readonly Version Version = IdentitySchemaVersions.Version3;

    /// <summary>Services that let design-time tools build the same Identity model as the running app.</summary>
    public static IServiceProvider DesignTimeServices() =>
        new ServiceCollection()
            .Configure<IdentityOptions>(options => options.Stores.SchemaVersion = Version)
            .BuildServiceProvider();
}
