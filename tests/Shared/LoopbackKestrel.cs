using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace PalliativeToolkit.Testing;

/// <summary>
/// The real portal on Kestrel for a <see cref="WebApplicationFactory{TEntryPoint}"/>, on a loopback port the system
/// picks. Not <c>UseKestrel(0)</c>: with a port, the factory rewrites the server's addresses after the host is built,
/// on the test's thread, while the app's own start-up (minimal hosting: <c>Program</c> starts itself) goes on to listen,
/// and once Kestrel listens its addresses cannot change ("IServerAddressesFeature.Addresses cannot be modified after
/// the server has started"). Binding in Kestrel's own options leaves nothing to change after the build.
/// </summary>
public static class LoopbackKestrel
{
    public static void Use<TEntryPoint>(WebApplicationFactory<TEntryPoint> factory)
        where TEntryPoint : class
        => factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

    /// <summary>The address the started server listens on, ending in a slash.</summary>
    public static Uri Address(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The server reports no addresses.");
        return new Uri(addresses.First().TrimEnd('/') + "/");
    }
}
