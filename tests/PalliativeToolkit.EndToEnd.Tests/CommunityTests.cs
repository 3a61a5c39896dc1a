using Ical.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Web.Features.Community;
using static Microsoft.Playwright.Assertions;
using CultureInfo = System.Globalization.CultureInfo;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// The learning community in the browser: a reviewer schedules a webinar (bad input answered next to its field); a plan's
/// manager, in New York, sees it in Pacific time and in their own, registers and downloads the calendar file; every
/// community page passes axe, and the event page works on a phone.
/// </summary>
public class CommunityTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private readonly BrowserFixture _browser = browser;

    [Fact]
    public async Task A_reviewer_schedules_a_webinar_and_a_plan_manager_registers_and_downloads_its_calendar_file()
    {
        var now = App.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var day = EventTime.LocalIn(now, EventTime.Pacific).Date.AddDays(15);
        var title = $"Reaching members in rural counties {Guid.NewGuid().ToString("N")[..6]}";
        var starts = EventTime.At(day.AddHours(10), EventTime.Pacific, 90).StartsAtUtc;

        // The reviewer: the community page, then the schedule form, refused without a title, then saved.
        await LogInAsync("reviewer");
        await OpenAsync("community");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Learning community", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("upcoming").GetByTestId("event-card").First).ToBeVisibleAsync();
        await AssertAccessibleAsync();
        await Page.GetByTestId("schedule-event").ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Schedule an event", Level = 1 })).ToBeVisibleAsync();
        await AssertAccessibleAsync();
        await Page.Locator("#event-date").FillAsync(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Page.Locator("#event-start").FillAsync("10:00");
        await Page.Locator("#event-duration").FillAsync("90");
        await Page.Locator("#event-topic").FillAsync("Telehealth and travelling teams in rural counties.");
        await Page.GetByTestId("event-save").ClickAsync();
        await Expect(Page.GetByText("Enter the event's title.")).ToBeVisibleAsync();
        await Page.Locator("#event-title").FillAsync(title);
        await Page.Locator("#event-presenters").FillAsync("Statewide support team");
        await Page.GetByTestId("event-save").ClickAsync();
        await Expect(Page.GetByTestId("event-title")).ToHaveTextAsync(title);
        await Expect(Page.GetByTestId("time-pacific").First).ToContainTextAsync(EventClock.Pacific(starts));
        await AssertAccessibleAsync();
        await Page.GetByTestId("event-edit").ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Edit the event", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.Locator("#event-title")).ToHaveValueAsync(title);
        await Expect(Page.Locator("#event-start")).ToHaveValueAsync("10:00");
        await AssertAccessibleAsync();
        // Text that is not a number, pasted over the duration, is refused next to the field, with the other fields' errors
        // (the title emptied); the 90 minutes stay.
        await Page.Locator("#event-duration").FillAsync("an hour");
        await Page.Locator("#event-title").FillAsync(string.Empty);
        await Page.GetByTestId("event-save").ClickAsync();
        await Expect(Page.GetByText("Enter the duration as a whole number of minutes, such as 90.")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Enter the event's title.")).ToBeVisibleAsync();
        await Expect(Page.Locator("#event-duration")).ToHaveValueAsync("an hour");
        await AssertAccessibleAsync();
        Assert.Equal(90, await App.Data.StoredAsync(db => db.CommunityEvents.Where(e => e.Title == title).Select(e => e.DurationMinutes).SingleAsync()));

        // The plan's manager, whose browser is in New York: both times, labelled; registers; the calendar file.
        await using var context = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl, TimezoneId = "America/New_York" });
        var manager = await context.NewPageAsync();
        await LogInAsync(manager, "manager");
        await manager.GotoAsync("community");
        await manager.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var card = manager.GetByTestId("event-card").Filter(new() { HasText = title });
        await Expect(card.GetByTestId("time-pacific")).ToContainTextAsync($"{EventClock.Pacific(starts)} to");
        await Expect(card.GetByTestId("time-pacific")).ToContainTextAsync("(Pacific time)");
        await Expect(card.GetByTestId("time-viewer")).ToContainTextAsync(EventClock.In(starts, "America/New_York"));
        await Expect(card.GetByTestId("time-viewer")).ToContainTextAsync("(your time, America/New_York)");
        await Expect(manager.GetByTestId("zone-note")).ToContainTextAsync("America/New_York");
        await AssertAccessibleAsync(manager);

        await card.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await Expect(manager.GetByTestId("event-title")).ToHaveTextAsync(title);
        await manager.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var me = manager.GetByTestId("registrant").Filter(new() { HasText = "(you)" });
        await me.GetByTestId("register").ClickAsync();
        await Expect(manager.GetByTestId("event-done")).ToHaveTextAsync("You are registered.");
        await Expect(me.GetByTestId("registrant-state")).ToHaveTextAsync("registered");
        await AssertAccessibleAsync(manager);

        var download = await manager.RunAndWaitForDownloadAsync(() => manager.GetByTestId("event-ics").ClickAsync());
        Assert.EndsWith(".ics", download.SuggestedFilename, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);
        var entry = Assert.Single(Calendar.Load(text)!.Events);
        Assert.Equal(title, entry.Summary);
        Assert.Equal(starts, entry.DtStart!.AsUtc);
        Assert.Equal(starts.AddMinutes(90), entry.DtEnd!.AsUtc);
        Assert.Equal("CONFIRMED", entry.Status);
        Assert.Contains("Telehealth and travelling teams", entry.Description, StringComparison.Ordinal);
        Assert.Contains($"DTSTART:{starts:yyyyMMdd'T'HHmmss}Z", text, StringComparison.Ordinal);

        // On a phone: the event page fits the screen and registering stays within reach.
        await manager.SetViewportSizeAsync(390, 844);
        await me.GetByTestId("unregister").ScrollIntoViewIfNeededAsync();
        await Expect(me.GetByTestId("unregister")).ToBeVisibleAsync();
        Assert.True(await manager.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the event page scrolls sideways on a phone");
        await AssertAccessibleAsync(manager);
    }

    [Fact]
    public async Task The_programme_shows_the_year_on_one_timeline_and_a_plan_sees_its_private_call_but_not_another_plans()
    {
        await LogInAsync("manager");
        await OpenAsync("community/programme");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Programme of the grant period", Level = 1 })).ToBeVisibleAsync();
        var webinars = Page.GetByTestId("programme-summary").Locator("tr[data-kind=Webinar]");
        await Expect(webinars.Locator("td").First).ToHaveTextAsync("9");
        await Expect(Page.GetByTestId("programme-event").Filter(new() { HasText = "Golden Poppy" })).ToHaveCountAsync(1);
        await Expect(Page.Locator("[data-testid=programme-event][data-state=cancelled]").First).ToContainTextAsync("Cancelled");
        await Expect(Page.Locator("[data-testid=programme-event][data-state=took-place]").First).ToContainTextAsync("Took place");
        await AssertAccessibleAsync();

        // Golden Poppy's private call is on its manager's list, and not on Sierra Vista's manager's.
        await OpenAsync("community?kind=SupportCall");
        var privateCall = Page.GetByTestId("event-card").Filter(new() { HasText = "Support call with Golden Poppy" });
        await Expect(privateCall.GetByTestId("event-private")).ToContainTextAsync("Private: Golden Poppy");
        await AssertAccessibleAsync();
        await Page.SetViewportSizeAsync(390, 844);
        await Expect(privateCall.GetByRole(AriaRole.Link)).ToBeVisibleAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the community page scrolls sideways on a phone");
        await Page.SetViewportSizeAsync(1280, 800);
        var address = await privateCall.GetByRole(AriaRole.Link).GetAttributeAsync("href");

        await using var context = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl });
        var other = await context.NewPageAsync();
        await LogInAsync(other, "manager2");
        await other.GotoAsync("community?kind=SupportCall");
        await Expect(other.GetByTestId("upcoming")).ToBeVisibleAsync();
        await Expect(other.GetByTestId("event-card").Filter(new() { HasText = "Golden Poppy" })).ToHaveCountAsync(0);
        await other.GotoAsync(address!);
        await Expect(other.GetByTestId("not-found")).ToBeVisibleAsync();
        await AssertAccessibleAsync(other);
    }
}
