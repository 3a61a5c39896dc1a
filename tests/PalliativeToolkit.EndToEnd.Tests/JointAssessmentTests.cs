using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// Golden Poppy's manager and Redwood Grove's manager, in two browsers, on their joint section E: each answers for
/// their side, each sees the other's answers arrive and where the views differ, and it is submitted once both marked
/// it ready.
/// </summary>
public class JointAssessmentTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private const string Plan = "Golden Poppy Health Plan (demo)";
    private const string Redwood = "Redwood Grove Hospice & Palliative Care (demo)";

    private readonly BrowserFixture _browser = browser;

    private static ILocator Cell(IPage page, string criterion, string side) => page.Locator($"[data-criterion={criterion}] [data-side={side}]");

    private static async Task OpenJointAsync(IPage page, string table, string partner)
    {
        await page.GotoAsync("partners");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByTestId(table).GetByRole(AriaRole.Row).Filter(new() { HasText = partner }).GetByRole(AriaRole.Link).ClickAsync();
        await page.GetByTestId("joint-assessments").GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Cycle ") }).ClickAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-joint-element=E1]").WaitForAsync();
    }

    [Fact]
    public async Task Both_sides_edit_section_E_see_where_they_disagree_and_submit_once_both_are_ready()
    {
        await LogInAsync("manager");
        await OpenJointAsync(Page, "partners", Redwood);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Section E together");
        await Expect(Page.GetByTestId("differences")).ToHaveTextAsync("The two views differ on 1 criterion.");
        await Expect(Page.Locator("[data-criterion=E2-M1]")).ToContainTextAsync("Views differ");
        await Expect(Cell(Page, "E2-M1", "provider")).ToHaveTextAsync("Not met");
        await Expect(Page.GetByTestId("ready-plan")).ToContainTextAsync("marked ready on");
        await AssertAccessibleAsync();

        await using var context = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl });
        context.SetDefaultTimeout(15_000);
        var provider = await context.NewPageAsync();
        await LogInAsync(provider, "provider");
        await OpenJointAsync(provider, "partner-plans", Plan);
        await Expect(provider.Locator("[data-joint-element=E2]")).ToContainTextAsync("The member list arrives each month");
        await AssertAccessibleAsync(provider);

        // The provider comes round on E2-M1: the plan's open page shows it, and the plan's ready mark is taken back.
        await Cell(provider, "E2-M1", "provider").GetByRole(AriaRole.Button, new() { Name = "Met", Exact = true }).ClickAsync();
        await Expect(Cell(Page, "E2-M1", "provider")).ToHaveTextAsync("Met");
        await Expect(Cell(provider, "E2-M1", "provider").GetByRole(AriaRole.Button, new() { Name = "Met", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Page.GetByTestId("differences")).ToHaveTextAsync("The two views agree on every criterion both sides answered.");
        await Expect(Page.GetByTestId("ready-plan")).ToContainTextAsync("not marked ready yet");

        // The plan now sees E1-M1 differently: the provider's page marks the difference.
        await Cell(Page, "E1-M1", "plan").GetByRole(AriaRole.Button, new() { Name = "Not met", Exact = true }).ClickAsync();
        await Expect(Cell(provider, "E1-M1", "plan")).ToHaveTextAsync("Not met");
        await Expect(provider.Locator("[data-criterion=E1-M1]")).ToContainTextAsync("Views differ");
        await Expect(provider.GetByTestId("joint-history").Locator("li").First).ToContainTextAsync($"Morgan Manager ({Plan}, plan) · E1: E1-M1: met → not met");

        // Agreed again (clicked without waiting for the plan's own page to show "Not met": the last click counts), both
        // mark it ready, and the provider's manager submits it.
        await Cell(Page, "E1-M1", "plan").GetByRole(AriaRole.Button, new() { Name = "Met", Exact = true }).ClickAsync();
        await Expect(Cell(Page, "E1-M1", "plan").GetByRole(AriaRole.Button, new() { Name = "Met", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Page.GetByTestId("differences")).ToHaveTextAsync("The two views agree on every criterion both sides answered.");
        await Expect(provider.GetByTestId("differences")).ToHaveTextAsync("The two views agree on every criterion both sides answered.");
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Mark ready for {Plan}" }).ClickAsync();
        await Expect(provider.GetByTestId("ready-plan")).ToContainTextAsync("marked ready on");
        await Expect(provider.GetByRole(AriaRole.Button, new() { Name = "Submit" })).ToBeDisabledAsync();
        await provider.GetByRole(AriaRole.Button, new() { Name = $"Mark ready for {Redwood}" }).ClickAsync();
        await provider.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Expect(provider.GetByTestId("read-only")).ToContainTextAsync("Submitted on");
        await Expect(Page.GetByTestId("read-only")).ToContainTextAsync("Submitted on");
        await Expect(Page.Locator(".joint-choice")).ToHaveCountAsync(0);

        // A statewide reviewer finds it, with both views, read-only.
        await LogOutAsync();
        await LogInAsync("reviewer");
        await OpenAsync("statewide");
        var row = Page.GetByTestId("joint-submissions").GetByRole(AriaRole.Row).Filter(new() { HasText = Redwood });
        await Expect(row).ToContainTextAsync("0 criteria");
        await AssertAccessibleAsync();
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByTestId("read-only")).ToContainTextAsync("Submitted on");
        await Expect(Cell(Page, "E2-M1", "provider")).ToHaveTextAsync("Met");
        await Expect(Page.Locator(".joint-choice")).ToHaveCountAsync(0);
    }
}
