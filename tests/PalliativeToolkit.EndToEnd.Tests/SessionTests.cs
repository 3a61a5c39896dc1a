using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PalliativeToolkit.Testing;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>A session ends everywhere it is open: logging out in one tab, or signing out everywhere from My account.</summary>
public partial class SessionTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private readonly BrowserFixture _browser = browser;

    [GeneratedRegex("Account/Login")]
    private static partial Regex LoginPage();

    /// <summary>An open page checks its session every five seconds (Sessions:CheckInterval): allow that and a page load.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions WithinSeconds = new() { Timeout = 15_000 };

    private async Task OpenAssessmentAsync(IPage page, Guid assessmentId)
    {
        await page.GotoAsync($"assessments/{assessmentId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-element=A1]").WaitForAsync();
    }

    [Fact]
    public async Task Logging_out_in_one_tab_closes_the_assessment_open_in_another_within_seconds()
    {
        var plan = await App.Data.PlanAsync();
        var manager = await App.Data.UserAsync(plan, withPassword: true);
        var assessment = await App.Data.AssessmentAsync(plan);
        await LogInAsync(Page, manager.Email, TestUser.Password);
        await OpenAssessmentAsync(Page, assessment.Id);

        // Another tab of the same browser logs out.
        var other = await Context.NewPageAsync();
        await other.GotoAsync(string.Empty);
        await other.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(other.GetByRole(AriaRole.Link, new() { Name = "Log in" }).First).ToBeVisibleAsync();

        // The assessment tab is sent to the login page without anyone touching it.
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Log in to PalliativeToolkit" })).ToBeVisibleAsync(WithinSeconds);
        await Expect(Page).ToHaveURLAsync(LoginPage());
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_the_session_of_another_browser()
    {
        var plan = await App.Data.PlanAsync();
        var manager = await App.Data.UserAsync(plan, withPassword: true);
        var assessment = await App.Data.AssessmentAsync(plan);

        // The same person is signed in on another computer, with an assessment open.
        await using var otherContext = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl });
        var elsewhere = await otherContext.NewPageAsync();
        await LogInAsync(elsewhere, manager.Email, TestUser.Password);
        await OpenAssessmentAsync(elsewhere, assessment.Id);

        await LogInAsync(Page, manager.Email, TestUser.Password);
        await Page.GotoAsync("Account/Manage");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Signed-in browsers" }).ClickAsync();
        var sessions = Page.GetByRole(AriaRole.Table, new() { Name = "Open sessions, most recently active first" });
        await Expect(sessions.GetByRole(AriaRole.Row)).ToHaveCountAsync(3); // the header and two browsers
        await Expect(sessions.GetByText("(this browser)")).ToHaveCountAsync(1);
        await Expect(sessions.GetByText("Chrome on Linux").First).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        // On a phone the list fits the screen: nothing scrolls sideways.
        await Page.SetViewportSizeAsync(390, 844);
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways at 390 px.");
        await AssertAccessibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync();
        await Expect(Page.GetByText("You are signed out in every browser.")).ToBeVisibleAsync();

        await Expect(elsewhere.GetByRole(AriaRole.Heading, new() { Name = "Log in to PalliativeToolkit" })).ToBeVisibleAsync(WithinSeconds);
        await elsewhere.GotoAsync($"assessments/{assessment.Id}");
        await Expect(elsewhere).ToHaveURLAsync(LoginPage());
    }
}
