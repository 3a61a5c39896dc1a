using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Web.Features.ActionPlans;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// bUnit: the private calendar address the action-plan page shows is on the portal's configured public address
/// (Email:PortalUrl), like the feed itself and the .ics links, never on the address the circuit came in on (behind a proxy,
/// an internal host).
/// </summary>
public sealed class FeedAddressPageTests : BunitContext, IClassFixture<PublicAddressPortalFactory>
{
    private readonly PublicAddressPortalFactory _factory;
    private readonly IServiceScope _scope;

    public FeedAddressPageTests(PublicAddressPortalFactory factory)
    {
        _factory = factory;
        _scope = factory.Services.CreateScope();
        Services.AddMudServices();
        Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        // bUnit's own container answers IOptions<> (with defaults) before the fallback does: the portal's options, as configured.
        Services.AddSingleton(_scope.ServiceProvider.GetRequiredService<IOptions<EmailOptions>>());
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    protected override void Dispose(bool disposing)
    {
        _scope.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task The_subscription_address_shown_is_on_the_configured_public_address()
    {
        var manager = await _factory.Data.UserAsync(await _factory.Data.PlanAsync());
        var page = Render<ActionPlanPage>(p => p.AddCascadingValue(Task.FromResult(new AuthenticationState(manager.Principal))));
        page.WaitForElement("[data-testid=feed-make]");
        Assert.NotEqual(new Uri(PublicAddressPortalFactory.PublicAddress).Host, new Uri(Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().BaseUri).Host);

        await page.Find("[data-testid=feed-make]").ClickAsync(new());

        var address = page.WaitForElement("[data-testid=feed-address]").TextContent.Trim();
        Assert.StartsWith($"{PublicAddressPortalFactory.PublicAddress}calendar/feed/", address, StringComparison.Ordinal);
    }
}
