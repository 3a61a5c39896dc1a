using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// Base of every browser test: the class's app (<see cref="PortalApp"/>, shared by the tests of one class) and a fresh
/// browser context per test.
/// </summary>
public abstract class PortalTest(BrowserFixture browser, PortalApp app) : IAsyncLifetime, IClassFixture<PortalApp>
{
    public const string Domain = "demo.palliativetoolkit.org";

    protected PortalApp App { get; } = app;
    protected IBrowserContext Context { get; set; } = default!;
    protected IPage Page { get; set; } = default!;

    public virtual async ValueTask InitializeAsync()
    {
        Context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseUrl });
        Context.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);
        Page = await Context.NewPageAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        // Keep the last screen of every test: it tells at once what the user saw when a test failed.
        var name = TestContext.Current.Test?.TestDisplayName ?? GetType().Name;
        var safe = string.Concat(name.Split(Path.GetInvalidFileNameChars())).Replace(' ', '_');
        try
        {
            await Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", safe[..Math.Min(safe.Length, 120)] + ".png"), FullPage = true });
        }
        catch (PlaywrightException)
        {
            // the page may already be gone
        }

        await Context.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected Task LogInAsync(string account) => LogInAsync(Page, account);

    /// <summary>Logs in through the login form on <paramref name="page"/> (another browser, for a second user).</summary>
    protected static Task LogInAsync(IPage page, string account) => LogInAsync(page, $"{account}@{Domain}", PortalApp.Password);

    /// <summary>Logs in with any email and password (an account made during the test).</summary>
    protected static async Task LogInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.Locator("#Input\\.Email").FillAsync(email);
        await page.Locator("#Input\\.Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
    }

    protected async Task LogOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Log in" }).First).ToBeVisibleAsync();
    }

    /// <summary>Navigates and waits until the Blazor circuit has made the page interactive.</summary>
    protected async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitInteractiveAsync();
    }

    protected Task WaitInteractiveAsync() =>
        Page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Runs axe (WCAG 2.1 A/AA rules) and fails on serious or critical violations.</summary>
    protected async Task AssertAccessibleAsync()
    {
        var results = await Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}
