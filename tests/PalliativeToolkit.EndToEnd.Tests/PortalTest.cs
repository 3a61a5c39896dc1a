using Deque.AxeCore.Commons;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PalliativeToolkit.Testing;
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
        Context.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _policyViolations.Enqueue(message.Text);
            }
        };
    }

    /// <summary>What the browser refused to run or apply under the portal's content security policy, in any page of the test.</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _policyViolations = new();

    /// <summary>Takes the policy violations reported so far (a test that provokes one on purpose).</summary>
    protected IReadOnlyList<string> TakePolicyViolations()
    {
        var taken = new List<string>();
        while (_policyViolations.TryDequeue(out var violation))
        {
            taken.Add(violation);
        }

        return taken;
    }

    public virtual async ValueTask DisposeAsync()
    {
        // Keep the last screen of every test (the whole page when it failed): it tells at once what the user saw.
        var name = TestContext.Current.Test?.TestDisplayName ?? GetType().Name;
        var safe = string.Concat(name.Split(Path.GetInvalidFileNameChars())).Replace(' ', '_');
        var failed = TestContext.Current.TestState?.Result == TestResult.Failed;
        try
        {
            await Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", safe[..Math.Min(safe.Length, 120)] + ".png"), FullPage = failed });
        }
        catch (PlaywrightException)
        {
            // the page may already be gone
        }

        await Context.DisposeAsync();
        GC.SuppressFinalize(this);

        // Every browser test is also a test that the pages work under the content security policy.
        Assert.True(_policyViolations.IsEmpty, "The content security policy blocked: " + string.Join(Environment.NewLine, _policyViolations));
    }

    /// <summary>Signs in as a demo account (see <see cref="LogInAsync(IPage, string)"/>).</summary>
    protected Task LogInAsync(string account) => LogInAsync(Page, account);

    /// <summary>
    /// Signs <paramref name="page"/>'s browser in as a demo account with the sign-in cookie the real login form gave
    /// that account once for this app, then opens the home page. Tests of signing in itself use the form
    /// (<see cref="LogInAsync(IPage, string, string)"/>).
    /// </summary>
    protected async Task LogInAsync(IPage page, string account)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.Context.AddCookiesAsync(await App.SignInCookiesAsync($"{account}@{Domain}", PortalApp.Password));
        await page.GotoAsync(string.Empty);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Logs in through the login form with any email and password, as a person does, and with the authenticator's code
    /// (<see cref="Authenticator.Key"/>) when the account asks for it.
    /// </summary>
    protected async Task LogInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.Locator("#Input\\.Email").FillAsync(email);
        await page.Locator("#Input\\.Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        var signedIn = page.GetByRole(AriaRole.Button, new() { Name = "Log out" });
        var secondStep = page.Locator("#Input\\.TwoFactorCode");
        await Expect(signedIn.Or(secondStep)).ToBeVisibleAsync();
        if (await secondStep.IsVisibleAsync())
        {
            await secondStep.FillAsync(Authenticator.CurrentCode(App.Services.GetRequiredService<TimeProvider>()));
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        }

        await Expect(signedIn).ToBeVisibleAsync();
    }

    protected async Task LogOutAsync()
    {
        App.ForgetSignIns();
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

    /// <summary>The axe-core script that Deque.AxeCore ships (the same engine and version its wrapper runs).</summary>
    private static readonly Lazy<string> AxeScript = new(() => new BundledAxeScriptProvider().GetScript());

    /// <summary>
    /// Runs axe-core (WCAG 2.1 A/AA rules) on the page and fails on serious or critical violations. The script is run in
    /// the page directly: Deque's wrapper finishes every run in a new blank page (for cross-origin frames, which the
    /// portal has none of), which cost about four seconds a run here for the same result.
    /// </summary>
    protected Task AssertAccessibleAsync() => AssertAccessibleAsync(Page);

    /// <summary>Runs axe-core on <paramref name="page"/> (a second person's page, in a test of two).</summary>
    protected static async Task AssertAccessibleAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(AxeScript.Value);
        }

        // Colours are measured once CSS transitions have ended: a button just enabled fades from its disabled grey for a
        // moment, and axe measuring midway reported its label's contrast as too low (once in a few runs).
        var violations = await page.EvaluateAsync<AxeViolation[]>("""
            async () => {
              const transitions = document.getAnimations().filter(a => a instanceof CSSTransition).map(a => a.finished.catch(() => {}));
              await Promise.race([Promise.all(transitions), new Promise(resolve => setTimeout(resolve, 2000))]);
              const result = await axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                resultTypes: ['violations'],
              });
              return result.violations.map(v => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html) }));
            }
            """);
        var serious = violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes)}")));
    }

    private sealed class AxeViolation
    {
        public string Id { get; set; } = string.Empty;
        public string Impact { get; set; } = string.Empty;
        public string Help { get; set; } = string.Empty;
        public string[] Nodes { get; set; } = [];
    }
}
