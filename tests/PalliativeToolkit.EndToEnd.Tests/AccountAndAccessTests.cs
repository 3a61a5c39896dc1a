using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

public class AccountAndAccessTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    [Fact]
    public async Task The_login_page_is_accessible_and_a_wrong_password_is_explained()
    {
        await Page.GotoAsync("Account/Login");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Log in");
        await AssertAccessibleAsync();

        await Page.Locator("#Input\\.Email").FillAsync($"manager@{Domain}");
        await Page.Locator("#Input\\.Password").FillAsync("not-the-password");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

        await Expect(Page.GetByText("Invalid login attempt")).ToBeVisibleAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("Account/Login"));
        await AssertAccessibleAsync();
    }

    /// <summary>The accessibility check itself finds what it is there to find (it runs axe-core in the page).</summary>
    [Fact]
    public async Task The_accessibility_check_fails_on_text_a_low_vision_user_cannot_read()
    {
        await Page.GotoAsync("Account/Login");
        await AssertAccessibleAsync();

        await Page.EvaluateAsync("() => (document.querySelector('main') ?? document.body).insertAdjacentHTML('afterbegin', '<p style=\"color:#ddd;background:#fff\">Hard to read</p>')");

        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(AssertAccessibleAsync);
        Assert.Contains("color-contrast", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The content security policy is on, and the check that every browser test makes of it sees what it blocks.</summary>
    [Fact]
    public async Task A_script_injected_into_a_page_does_not_run_and_the_browser_reports_the_policy()
    {
        await Page.GotoAsync("Account/Login");

        // The browser reports the refusal on the console; wait for that report rather than for a fixed time.
        var ran = false;
        var report = await Page.RunAndWaitForConsoleMessageAsync(
            async () => ran = await Page.EvaluateAsync<bool>("""
                () => new Promise(resolve => {
                  document.addEventListener('securitypolicyviolation', () => resolve(window.injected === true), { once: true });
                  const script = document.createElement('script');
                  script.textContent = 'window.injected = true';
                  document.body.appendChild(script);
                })
                """),
            new() { Predicate = message => message.Text.Contains("Content Security Policy", StringComparison.Ordinal) });

        Assert.False(ran);
        Assert.Contains("script-src", report.Text, StringComparison.Ordinal);
        var reported = TakePolicyViolations();
        Assert.Contains(reported, r => r.Contains("script-src", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_login_form_shows_a_message_next_to_each_field()
    {
        await Page.GotoAsync("Account/Login");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

        await Expect(Page.GetByText("The Email field is required.").First).ToBeVisibleAsync();
        await Expect(Page.GetByText("The Password field is required.").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_plan_user_who_types_another_plans_assessment_address_sees_nothing_of_it()
    {
        string otherUrl;
        await LogInAsync("manager2");
        await OpenAsync("assessments");
        var link = Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sierra Vista" }).GetByRole(AriaRole.Link).First;
        otherUrl = (await link.GetAttributeAsync("href"))!;
        await LogOutAsync();

        await LogInAsync("manager");
        var response = await Page.GotoAsync(otherUrl);
        await WaitInteractiveAsync();

        Assert.Equal(404, response!.Status);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByText("does not exist, or you do not have access to it")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Sierra Vista")).ToHaveCountAsync(0);
        await AssertAccessibleAsync();
        Assert.Equal(404, (await Page.GotoAsync(otherUrl + "/report"))!.Status);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_viewer_reads_an_assessment_but_cannot_change_or_submit_it()
    {
        await LogInAsync("viewer");
        await OpenAsync("assessments");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Start assessment" })).ToHaveCountAsync(0);
        await Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Draft" }).GetByRole(AriaRole.Link).ClickAsync();
        await WaitInteractiveAsync();

        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" })).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("read-only")).ToContainTextAsync("view-only access");

        // The answer is shown, not offered: clicking it changes nothing.
        var criterion = Page.Locator("[data-criterion='A1-M1']");
        var before = await criterion.GetByTestId("answer").TextContentAsync();
        await Expect(criterion.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);
        await criterion.GetByTestId("answer-icon").ClickAsync();
        await Expect(criterion.GetByTestId("answer")).ToHaveTextAsync(before!);
        await Expect(Page.GetByRole(AriaRole.Textbox, new() { Name = "Add an evidence link" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_statewide_page_lists_every_plans_latest_submission_and_is_accessible()
    {
        await LogInAsync("reviewer");
        await OpenAsync("statewide");

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Statewide review" })).ToBeVisibleAsync();
        foreach (var plan in new[] { "Golden Poppy", "Sierra Vista", "Bayshore", "Central Coast" })
        {
            await Expect(Page.GetByTestId("submissions").GetByRole(AriaRole.Row).Filter(new() { HasText = plan })).ToHaveCountAsync(1);
        }

        // The latest submission is shown: this cycle's, not last cycle's.
        var thisYear = App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Expect(Page.GetByTestId("submissions").GetByRole(AriaRole.Row).Filter(new() { HasText = "Sierra Vista" })).ToContainTextAsync(thisYear);
        await Expect(Page.GetByTestId("submissions").GetByRole(AriaRole.Row).Filter(new() { HasText = "Sierra Vista" })).ToContainTextAsync("Regional");

        // The counties the plans serve, on the map and in the table beside it.
        var map = Page.GetByTestId("coverage-map");
        await Expect(map.Locator("path[data-county='Sonoma'] title")).ToHaveTextAsync("Sonoma: Served");
        await Expect(map.Locator("tr[data-county-row='Sonoma']")).ToContainTextAsync("Served — Golden Poppy Health Plan (demo)");
        await Expect(map.Locator("tr[data-county-row='Humboldt']")).ToContainTextAsync("No plan under review");
        await AssertAccessibleAsync();
        await Page.GetByTestId("submissions").GetByRole(AriaRole.Row).Filter(new() { HasText = "Sierra Vista" }).GetByRole(AriaRole.Link, new() { Name = "Report" }).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Sierra Vista");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Section summary" })).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        // Printed, the report leaves out the navigation and buttons.
        await Page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(Page.Locator(".mud-drawer")).ToBeHiddenAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Print" })).ToBeHiddenAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Section summary" })).ToBeVisibleAsync();
    }
}
