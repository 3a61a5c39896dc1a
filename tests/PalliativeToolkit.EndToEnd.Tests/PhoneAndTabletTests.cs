using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// The portal on a phone (390 px) and a tablet (768 px): the navigation is behind a menu button, nothing scrolls sideways
/// (only a wide table scrolls, inside its own box), and every page stays usable. A screenshot of each page is kept.
/// </summary>
public class PhoneAndTabletTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    public static TheoryData<int, int> Screens => new() { { 390, 844 }, { 768, 1024 } };

    /// <summary>Fails naming the elements that stick out past the right edge, when the page is wider than the screen.</summary>
    private async Task AssertNoSidewaysScrollAsync(string page, int width)
    {
        await Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", $"{width}px-{page.Replace('/', '_')}.png"), FullPage = true });
        var sizes = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, innerWidth) = (sizes[0], sizes[1]);
        if (scrollWidth <= innerWidth)
        {
            return;
        }

        var wide = await Page.EvaluateAsync<string[]>("""
            () => {
              // An element sticks out unless a box between it and its containing block clips it (absolute ones escape boxes that are not positioned).
              const clipped = e => {
                let absolute = ['absolute', 'fixed'].includes(getComputedStyle(e).position);
                for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
                  const style = getComputedStyle(p);
                  if (!absolute && style.overflowX !== 'visible') return true;
                  if (absolute && style.position !== 'static') { if (style.overflowX !== 'visible') return true; absolute = ['absolute', 'fixed'].includes(style.position); }
                }
                return false;
              };
              return [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e))
                .slice(0, 8).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().left)}–${Math.round(e.getBoundingClientRect().right)} px)`);
            }
            """);
        Assert.Fail($"{page} at {width} px is {scrollWidth} px wide: {string.Join(", ", wide)}");
    }

    private async Task VisitAsync(string path, int width, bool interactive = true)
    {
        if (interactive)
        {
            await OpenAsync(path);
        }
        else
        {
            await Page.GotoAsync(path);
        }

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(path.Length == 0 ? "home" : path, width);
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task A_plan_manager_works_on_a_small_screen_with_the_menu_behind_a_button(int width, int height)
    {
        await Page.SetViewportSizeAsync(width, height);
        await LogInAsync("manager");
        await WaitInteractiveAsync();

        // The navigation is one button away, and says whether it is open.
        var menu = Page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        var navigation = Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(navigation).ToBeHiddenAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await menu.ClickAsync();
        await Expect(navigation).ToBeVisibleAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await AssertAccessibleAsync();
        await Page.Keyboard.PressAsync("Escape");
        await Expect(navigation).ToBeHiddenAsync();
        await menu.ClickAsync();
        await navigation.GetByRole(AriaRole.Link, new() { Name = "Assessments" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Assessments", Level = 1 })).ToBeVisibleAsync();
        await Expect(navigation).ToBeHiddenAsync();
        await AssertNoSidewaysScrollAsync("assessments", width);

        // The assessment page: a criterion is ticked and saved on the small screen.
        await Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Draft" }).GetByRole(AriaRole.Link).ClickAsync();
        await WaitInteractiveAsync();
        var a1 = Page.Locator("[data-element=A1]");
        await Expect(a1).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync("assessment", width);
        await AssertAccessibleAsync();
        var criterion = a1.Locator("[data-criterion]").Last;
        await criterion.GetByRole(AriaRole.Checkbox).ClickAsync();
        await Expect(a1.GetByTestId("element-save")).ToHaveTextAsync("Saved");

        // Keyboard focus is always visible: the control reached with the keyboard has an outline.
        await Page.Keyboard.PressAsync("Shift+Tab");
        await Page.Keyboard.PressAsync("Tab");
        var focused = await Page.EvaluateAsync<string[]>("() => [document.activeElement.getAttribute('role') ?? '', getComputedStyle(document.activeElement).outlineStyle]");
        Assert.Equal("checkbox", focused[0]);
        Assert.NotEqual("none", focused[1]);

        foreach (var path in new[] { "", "team", "notifications", "readiness", "resources", "action-plan", "progress", "partners" })
        {
            await VisitAsync(path, width);
        }

        // A partner's page, with its terms, contacts and the readiness it shares.
        await Page.GetByTestId("partners").GetByRole(AriaRole.Row).Filter(new() { HasText = "Redwood Grove" }).GetByRole(AriaRole.Link).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByTestId("readiness-elements")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync("partner", width);
        await AssertAccessibleAsync();

        // The organizations' documents: the upload form and the document cards fit too.
        await OpenAsync("resources?tab=documents");
        await Expect(Page.GetByTestId("upload-form")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync("resources-documents", width);
        await AssertAccessibleAsync();

        // The action plan with an item open: its editor and the guide's help fit too.
        await OpenAsync("action-plan");
        var overdue = Page.Locator("li.plan-item.overdue");
        await overdue.Locator("summary").ClickAsync();
        await Expect(overdue.GetByTestId("item-editor")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync("action-plan-item", width);
        await AssertAccessibleAsync();

        await VisitAsync("Account/Manage", width, interactive: false);
        await VisitAsync("Account/Manage/Notifications", width, interactive: false);
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task A_reviewer_reads_the_statewide_table_and_a_report_on_a_small_screen(int width, int height)
    {
        await Page.SetViewportSizeAsync(width, height);
        await LogInAsync("reviewer");
        await VisitAsync("statewide", width);
        await AssertAccessibleAsync();

        // The table becomes one card per plan: every cell is on the screen, labelled.
        var first = Page.GetByTestId("submissions").GetByRole(AriaRole.Row).Filter(new() { HasText = "Golden Poppy" });
        await Expect(first).ToContainTextAsync("at minimum");
        var box = await first.BoundingBoxAsync();
        Assert.True(box!.X >= 0 && box.X + box.Width <= width, $"The plan's card spans {box.X}–{box.X + box.Width} px on a {width} px screen");

        await Page.GetByTestId("submissions").GetByRole(AriaRole.Row).Filter(new() { HasText = "Sierra Vista" }).GetByRole(AriaRole.Link, new() { Name = "Review" }).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByTestId("review-panel")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync("review", width);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Report" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync("report", width);
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task An_administrator_uses_administration_and_the_audit_trail_on_a_small_screen(int width, int height)
    {
        await Page.SetViewportSizeAsync(width, height);
        await LogInAsync("admin");
        await VisitAsync("admin", width);
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Email outbox" }).ClickAsync();
        await AssertNoSidewaysScrollAsync("admin-outbox", width);
        await VisitAsync("admin/audit", width);
    }
}
