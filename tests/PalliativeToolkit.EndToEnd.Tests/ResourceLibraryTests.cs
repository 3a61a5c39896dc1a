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

    [Fact]
    public async Task An_administrator_adds_a_resource_that_users_find_then_retires_it()
    {
        const string Title = "Palliative care intake checklist (editors)";
        await LogInAsync("admin");
        await OpenAsync("admin");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Resource library" }).ClickAsync();
        var form = Page.GetByTestId("library-form");

        // Bad input is explained next to its field and adds nothing.
        await form.GetByLabel("Title").FillAsync(Title);
        await form.GetByLabel("Link").FillAsync("javascript:alert(1)");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add resource" }).ClickAsync();
        await Expect(form.GetByText("Enter a full web address starting with https:// or http://.")).ToBeVisibleAsync();
        await Expect(form.GetByText("Write a short summary: what it is and when it helps.")).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        await form.GetByLabel("Link").FillAsync("https://example.org/intake-checklist");
        await form.Locator("#resource-file").SetInputFilesAsync(new FilePayload { Name = "Intake checklist.pdf", MimeType = "application/pdf", Buffer = System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n%%EOF\n") });
        await form.GetByLabel("Summary").FillAsync("A one-page checklist for the first palliative care visit after a plan's referral.");
        await form.GetByLabel("Tags").FillAsync("intake, referrals");
        await Page.GetByTestId("resource-elements").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "C2", Exact = true }).ClickAsync();
        // Escape in the select itself (its list closes only then), and the list gone before the next step: while it is
        // open MudSelect pulls the focus back to itself (see PartnersTests.ChooseAsync).
        await Page.GetByTestId("resource-elements").PressAsync("Escape");
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "C2", Exact = true })).ToHaveCountAsync(0);
        await form.GetByRole(AriaRole.Button, new() { Name = "Add resource" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Status)).ToContainTextAsync($"{Title} was added to the library.");
        var row = Page.GetByTestId("library-entries").GetByRole(AriaRole.Row).Filter(new() { HasText = Title });
        await Expect(row).ToContainTextAsync("Editors");

        // Users find it by a word of its summary, with its origin said on the card.
        await OpenAsync("resources");
        await Page.Locator("#library-search").FillAsync("checklist");
        await Expect(Titles.First).ToContainTextAsync(Title);
        await Expect(Page.GetByTestId("library-results").Locator(".library-card").First).ToContainTextAsync("Added by the portal's editors");

        // Its uploaded file downloads, the same bytes.
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("library-results").Locator(".library-card").First.GetByRole(AriaRole.Link, new() { Name = "Download Intake checklist.pdf" }).ClickAsync());
        Assert.Equal("Intake checklist.pdf", download.SuggestedFilename);
        Assert.StartsWith("%PDF-", await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // Retired, it leaves searches but stays readable when asked for, marked retired.
        await OpenAsync("admin");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Resource library" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = $"Retire {Title}" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Retired");
        await OpenAsync("resources");
        await Page.Locator("#library-search").FillAsync("checklist");
        await Expect(Page.GetByTestId("result-count")).ToHaveTextAsync("0 resources for “checklist”");
        await Page.GetByLabel("Show retired resources").CheckAsync();
        await Expect(Page.GetByTestId("library-results").Locator(".library-card").First).ToContainTextAsync("Retired");
        await AssertAccessibleAsync();
    }
}
