using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// The fixtures that run the real portal on Kestrel (these tests', the browser tests' and the benchmarks') start it
/// whichever thread gets there first: the test's, or the app's own start-up, which goes on to listen as soon as the host
/// is built. A loaded machine (CI, with the browser tests beside) sometimes lets the app win.
/// </summary>
public sealed class RealServerStartTests
{
    [Fact]
    public async Task The_real_server_starts_even_when_the_app_listens_before_the_factory_looks_at_its_addresses()
    {
        await using var portal = new AppListensFirstPortalFactory();
        await portal.InitializeAsync();

        using var client = portal.NewClient();
        using var health = await client.GetAsync("health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(portal.BaseAddress.Host)), $"The server listens on {portal.BaseAddress}, not on loopback.");
    }

    /// <summary>
    /// Gives the race its losing order every time: whatever the test framework's factory reads of the server's features
    /// while it creates the host, it reads once the app has started listening (the server is decorated last, after
    /// the factory has registered Kestrel).
    /// </summary>
    private sealed class AppListensFirstPortalFactory : KestrelPortalFactory
    {
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureServices(services =>
            {
                var kestrel = services.Last(d => d.ServiceType == typeof(IServer));
                var kestrelType = kestrel.ImplementationType ?? throw new InvalidOperationException("Kestrel is registered by its type.");
                services.Remove(kestrel);
                services.AddSingleton(kestrelType);
                services.AddSingleton<IServer>(provider => new AppListensFirstServer(
                    (IServer)provider.GetRequiredService(kestrelType),
                    provider.GetRequiredService<IHostApplicationLifetime>()));
            });
            return base.CreateHost(builder);
        }
    }

    private sealed class AppListensFirstServer(IServer kestrel, IHostApplicationLifetime lifetime) : IServer
    {
        public IFeatureCollection Features
        {
            get
            {
                if (new StackTrace().GetFrames().Any(f => f.GetMethod()?.DeclaringType?.Namespace == "Microsoft.AspNetCore.Mvc.Testing"))
                {
                    Assert.True(lifetime.ApplicationStarted.WaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "The app did not start listening.");
                }

                return kestrel.Features;
            }
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => kestrel.StartAsync(application, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => kestrel.StopAsync(cancellationToken);

        public void Dispose() => kestrel.Dispose();
    }
}
