using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>A statewide reviewer starts from the queue: an older cycle still awaiting review is there, and decided rounds are found by cycle.</summary>
public class ReviewQueueTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    [Fact]
    public async Task The_reviewer_starts_from_the_queue_which_keeps_an_older_cycle_and_finds_decided_rounds_by_cycle()
    {
        var lastYear = (App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await LogInAsync("reviewer");

        // The home page shows what awaits review, not "start a cycle".
        var home = Page.GetByTestId("home-queue");
        await Expect(home.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Awaiting your review \\([0-9]+\\)$") })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your assessments" })).ToHaveCountAsync(0);
        var valleyOak = home.GetByTestId("queue").GetByRole(AriaRole.Row).Filter(new() { HasText = "Valley Oak" });
        await Expect(valleyOak).ToContainTextAsync(lastYear);
        await Expect(valleyOak).ToContainTextAsync(" days");
        await AssertAccessibleAsync();

        // The whole queue, oldest first.
        await home.GetByRole(AriaRole.Link, new() { Name = "Open the review queue" }).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Review queue", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("queue-count")).ToContainTextAsync("await review");
        await Expect(Page.GetByTestId("queue").Locator("tbody tr").First).ToContainTextAsync("Valley Oak");
        await AssertAccessibleAsync();

        // Returned rounds of last cycle: Bayshore's, with who returned it.
        await Page.GetByTestId("queue-status").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Returned with feedback" }).ClickAsync();
        await Page.GetByTestId("queue-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = lastYear, Exact = true }).ClickAsync();
        await Expect(Page.GetByTestId("queue-count")).ToHaveTextAsync($"1 round returned with feedback in {lastYear}.");
        var bayshore = Page.GetByTestId("queue").GetByRole(AriaRole.Row).Filter(new() { HasText = "Bayshore" });
        await Expect(bayshore).ToContainTextAsync("by Riley Reviewer");
        await AssertAccessibleAsync();

        // Where the state stands, cycle by cycle: last cycle, every demo plan submitted.
        await OpenAsync("statewide");
        var standing = Page.GetByTestId("state-standing");
        await Expect(standing.GetByTestId("standing-submitted")).ToContainTextAsync("plans submitted an assessment for");
        await standing.GetByTestId("standing-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = lastYear, Exact = true }).ClickAsync();
        await Expect(standing.GetByTestId("standing-submitted")).ToHaveTextAsync($"4 of 4 plans submitted an assessment for {lastYear}.");
        await Expect(standing.GetByTestId("standing-A-minimum")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("^[0-4] of 4 \\([0-9]+%\\)$"));
        await AssertAccessibleAsync();

        // Opening a returned round leads to it.
        await OpenAsync($"review?status=returned&cycle={lastYear}");
        await WaitInteractiveAsync();
        await bayshore.GetByRole(AriaRole.Link).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByTestId("status")).ToHaveTextAsync("Returned with feedback");
    }

    [Fact]
    public async Task The_reviewer_filters_the_heatmap_and_opens_a_plans_element_from_a_cell()
    {
        var lastYear = (App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await LogInAsync("reviewer");
        await OpenAsync("statewide/heatmap");
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Heatmap", Level = 1 })).ToBeVisibleAsync();

        // Last cycle: the four demo plans, each cell naming its level.
        await Page.GetByTestId("heatmap-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = lastYear, Exact = true }).ClickAsync();
        await Expect(Page.GetByTestId("heatmap-count")).ToHaveTextAsync($"4 plans in {lastYear}.");
        var cell = Page.GetByTestId("heatmap").Locator("tr[data-plan^='Sierra Vista'] td[data-element='C2'] a");
        await Expect(cell).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex("^(Enh|Min|Below|—)\\s*:\\s*Sierra Vista Community Health \\(demo\\), C2, (Meets enhancement|Meets minimum|Not yet at minimum|Not started)$"));
        await AssertAccessibleAsync();

        // Filtered by plan model: Sierra Vista is the regional model.
        await Page.GetByTestId("heatmap-model").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Regional" }).ClickAsync();
        await Expect(Page.GetByTestId("heatmap-count")).ToHaveTextAsync($"1 plan in {lastYear}.");
        await Expect(Page.GetByTestId("heatmap").Locator("tbody tr")).ToHaveCountAsync(1);

        // A cell opens that plan's element, with its evidence.
        await cell.ClickAsync();
        await WaitInteractiveAsync();
        var element = Page.Locator("#element-C2");
        await Expect(element).ToBeVisibleAsync();
        await Expect(element).ToContainTextAsync("C2");
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_reviewer_compares_two_plans_element_by_element()
    {
        var lastYear = (App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await LogInAsync("reviewer");
        await OpenAsync("statewide/compare");
        await WaitInteractiveAsync();
        await Page.GetByTestId("compare-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = lastYear, Exact = true }).ClickAsync();
        await Expect(Page.GetByTestId("compare-hint")).ToHaveTextAsync("Choose two or more plans to compare.");

        await Page.GetByTestId("compare-plans").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Golden Poppy Health Plan (demo)" }).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Central Coast Unity Health Plan (demo)" }).ClickAsync();
        // Escape in the select itself (its list closes only then), and the list gone before the next step: while it is
        // open MudSelect pulls the focus back to itself (see PartnersTests.ChooseAsync).
        await Page.GetByTestId("compare-plans").PressAsync("Escape");
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "Golden Poppy Health Plan (demo)", Exact = true })).ToHaveCountAsync(0);

        await Expect(Page.GetByTestId("compare-summary")).ToContainTextAsync($"2 plans compared in {lastYear}; their levels differ on");
        var compare = Page.GetByTestId("compare");
        await Expect(compare.Locator("thead th")).ToHaveTextAsync(["Element", "Central Coast Unity Health Plan (demo)", "Golden Poppy Health Plan (demo)"]);
        await Expect(compare.Locator("tr[data-element='A1'] td")).ToHaveCountAsync(2);
        await Expect(compare.Locator("tr[data-element='A1'] td").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Meets enhancement|Meets minimum|Not yet at minimum|Not started)$"));
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_reviewer_follows_trends_from_last_cycle_to_this_one()
    {
        var clock = App.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var (lastYear, thisYear) = ((clock.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), clock.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await LogInAsync("reviewer");
        await OpenAsync("statewide");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Trends across cycles" }).ClickAsync();
        await WaitInteractiveAsync();

        // Sierra Vista submitted both cycles: its sections' change is there; the lagging elements are named.
        await Expect(Page.GetByTestId("trends-span")).ToHaveTextAsync($"From {lastYear} to {thisYear}.");
        var sierra = Page.GetByTestId("trends-plans").Locator("tr[data-plan^='Sierra Vista']");
        await Expect(sierra.Locator("td[data-section='A']")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+ → [0-9]+ of [0-9]+ \\((\\+[0-9]+|−[0-9]+|no change)\\)$"));
        await Expect(Page.GetByTestId("trends-lagging").Locator("li")).ToHaveCountAsync(5);
        await AssertAccessibleAsync();

        // The earliest cycle has nothing before it.
        await Page.GetByTestId("trends-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = lastYear, Exact = true }).ClickAsync();
        await Expect(Page.GetByTestId("trends-none")).ToContainTextAsync("nothing to compare yet");
    }
}
