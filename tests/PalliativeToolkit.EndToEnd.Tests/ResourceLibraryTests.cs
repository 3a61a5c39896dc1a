using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>The resource library as a plan's contributor uses it: from an element card, by search, by filter.</summary>
public class ResourceLibraryTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private ILocator Titles => Page.GetByTestId("library-results").Locator(".library-card h2");

    [Fact]
    public async Task A_contributor_opens_the_library_from_an_element_card_then_searches_and_filters_it()
    {
        await LogInAsync("contributor");
        await OpenAsync("assessments");
        await Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Draft" }).GetByRole(AriaRole.Link).ClickAsync();
        await WaitInteractiveAsync();

        // The element card links to the library filtered on its element.
        await Page.Locator("[data-element=A2]").GetByTestId("library-link").ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Resource library", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("result-count")).ToHaveTextAsync("3 resources serving A2");
        await Expect(Titles.Filter(new() { HasText = "Clinical Practice Guidelines for Quality Palliative Care" })).ToHaveCountAsync(1);
        await AssertAccessibleAsync();

        // The whole library, then a search (stemmed: "metric" finds "Metrics") with title matches first.
        await Page.GetByTestId("filter-element").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Every element" }).ClickAsync();
        await Expect(Page.GetByTestId("result-count")).ToHaveTextAsync("26 resources");
        await Page.Locator("#library-search").FillAsync("metric");
        await Expect(Page.GetByTestId("result-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+ resources for “metric”$"));
        await Expect(Titles.First).ToContainTextAsync("Metrics");

        // Filters narrow it, each value with its count.
        await Page.GetByTestId("filter-kind").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Template (2)" }).ClickAsync();
        await Expect(Page.GetByTestId("result-count")).ToHaveTextAsync("2 resources for “metric”");
        await Expect(Titles).ToHaveTextAsync(new[] { new System.Text.RegularExpressions.Regex("Worksheet"), new System.Text.RegularExpressions.Regex("Worksheet") });

        // Typing what is not in any resource (or what would break a query) finds nothing and says so.
        await Page.Locator("#library-search").FillAsync("\" AND (NEAR");
        await Expect(Page.GetByTestId("result-count")).ToContainTextAsync("0 resources");
        await AssertAccessibleAsync();
    }
}
