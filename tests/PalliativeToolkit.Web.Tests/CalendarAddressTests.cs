using Ical.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.ActionPlans;
using PalliativeToolkit.Web.Features.Community;

namespace PalliativeToolkit.Web.Tests;

/// <summary>The portal with its public address configured (Email:PortalUrl), as it must be outside Development.</summary>
public sealed class PublicAddressPortalFactory : PortalFactory
{
    public const string PublicAddress = "https://toolkit.example.org/";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Email:PortalUrl", PublicAddress);
    }
}

/// <summary>
/// The links calendar files carry (an event's file, the private feed) are built on the portal's configured public address,
/// never on the Host header a request names: a forged header can't put another site into someone's calendar.
/// </summary>
public class CalendarAddressTests(PublicAddressPortalFactory factory) : IClassFixture<PublicAddressPortalFactory>
{
    private const string Forged = "attacker.example";

    private T Service<T>() where T : notnull => factory.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    private async Task<Guid> WebinarAsync()
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var day = EventTime.LocalIn(Service<TimeProvider>().GetUtcNow().UtcDateTime, EventTime.Pacific).Date.AddDays(10);
        var saved = await Service<CommunityService>().SaveAsync(reviewer.Principal, new SaveEventCommand
        {
            Kind = EventKind.Webinar,
            Title = $"Webinar {Guid.NewGuid():N}",
            Date = day,
            StartTime = TimeSpan.FromHours(10),
            TimeZoneId = EventTime.Pacific,
            DurationMinutes = 60,
            Topic = "Identifying eligible members",
            Presenters = "Statewide support team",
            ElementCodes = ["D1"],
        });
        Assert.True(saved.Succeeded, saved.Message);
        return saved.Value;
    }

    [Fact]
    public async Task An_events_calendar_file_links_to_the_configured_address_whatever_host_the_request_named()
    {
        var id = await WebinarAsync();
        var member = await factory.Data.UserAsync(await factory.Data.PlanAsync(), OrganizationRole.Viewer, withPassword: true);
        using var client = await factory.SignedInClientAsync(member.Email, TestUser.Password);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{CommunityEndpoints.EventFileAddress(id)}");
        request.Headers.Host = Forged;

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var file = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var entry = Assert.Single(Calendar.Load(file)!.Events);
        Assert.Equal(new Uri($"{PublicAddressPortalFactory.PublicAddress}community/events/{id}"), entry.Url);
        Assert.DoesNotContain(Forged, file, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_private_feed_links_its_events_to_the_configured_address_whatever_host_the_request_named()
    {
        var id = await WebinarAsync();
        var plan = await factory.Data.PlanAsync();
        var member = await factory.Data.UserAsync(plan, OrganizationRole.Manager);
        Assert.True((await Service<CommunityService>().RegisterAsync(member.Principal, id, plan.Id, member.Id)).Succeeded);
        var token = (await Service<ActionPlanCalendar>().CreateAsync(member.Principal)).Value;

        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ActionPlanCalendar.FeedPath}/{token}.ics");
        request.Headers.Host = Forged;
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var feed = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var entry = Assert.Single(Calendar.Load(feed)!.Events, e => e.Uid == $"{id}@palliativetoolkit-community");
        Assert.Equal(new Uri($"{PublicAddressPortalFactory.PublicAddress}community/events/{id}"), entry.Url);
        Assert.DoesNotContain(Forged, feed, StringComparison.OrdinalIgnoreCase);
    }
}
