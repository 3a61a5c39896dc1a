using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PalliativeToolkit.Testing;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>Nothing a user typed is lost or silently overwritten.</summary>
public class EditingSafetyTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private readonly BrowserFixture _browser = browser;

    private async Task<string> OpenGoldenPoppyDraftAsync(IPage page)
    {
        await page.GotoAsync("assessments");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Draft" }).GetByRole(AriaRole.Link).ClickAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-element=A1]").WaitForAsync();
        return page.Url;
    }

    /// <summary>The server may die at any moment: what it has stored is what survives (the effect of kill -9).</summary>
    [Fact]
    public async Task Notes_typed_without_a_pause_are_saved_at_least_every_two_seconds()
    {
        var plan = await App.Data.PlanAsync();
        var manager = await App.Data.UserAsync(plan, withPassword: true);
        var assessment = await App.Data.AssessmentAsync(plan);
        await Context.AddCookiesAsync(await App.SignInCookiesAsync(manager.Email, TestUser.Password));
        await OpenAsync($"assessments/{assessment.Id}");
        var notes = Page.Locator("[data-element=A1]").GetByRole(AriaRole.Textbox, new() { Name = "Evidence notes" });

        // About four seconds of typing, a key every 50 ms, never the half-second pause that saves after typing stops; what
        // is stored is read while the typing goes on (right after a key), then the typing continues.
        const string typed = "Board approved the eligibility policy in March; referrals are tracked weekly.";
        await notes.PressSequentiallyAsync(typed, new() { Delay = 50 });
        var stored = await App.Data.StoredAsync(db => db.ElementResponses
            .Where(e => e.AssessmentId == assessment.Id && e.Element!.Code == "A1").Select(e => e.EvidenceNotes).SingleAsync());
        await notes.PressSequentiallyAsync(" The team meets on Mondays.", new() { Delay = 50 });

        Assert.True(stored.Length >= 30 && typed.StartsWith(stored, StringComparison.Ordinal),
            $"Stored while typing went on: \"{stored}\" (of {typed.Length} characters typed)");
        await Expect(Page.Locator("[data-element=A1]").GetByTestId("element-save")).ToHaveTextAsync("Saved");
    }

    [Fact]
    public async Task A_bad_evidence_link_is_explained_next_to_the_field_and_a_good_one_survives_a_new_session()
    {
        await LogInAsync("manager");
        var url = await OpenGoldenPoppyDraftAsync(Page);
        var a1 = Page.Locator("[data-element=A1]");
        var linkField = a1.GetByRole(AriaRole.Textbox, new() { Name = "Add an evidence link" });

        await linkField.FillAsync("not a link");
        await a1.GetByRole(AriaRole.Button, new() { Name = "Add link to A1" }).ClickAsync();
        await Expect(a1.GetByText("Enter a full web address starting with https:// or http://.")).ToBeVisibleAsync();
        await Expect(a1.GetByRole(AriaRole.Link, new() { Name = "not a link" })).ToHaveCountAsync(0);

        // A link that carries a user name and password (or hides its real host behind one) is refused, with the reason.
        await linkField.FillAsync("https://board.goldenpoppy.example@evil.example/minutes.pdf");
        await a1.GetByRole(AriaRole.Button, new() { Name = "Add link to A1" }).ClickAsync();
        await Expect(a1.GetByText("Remove the user name or password from the link")).ToBeVisibleAsync();
        await Expect(a1.GetByRole(AriaRole.Link).Filter(new() { HasText = "evil.example" })).ToHaveCountAsync(0);

        await linkField.FillAsync("https://intranet.example.org/pc/eligibility-policy.pdf");
        await a1.GetByRole(AriaRole.Button, new() { Name = "Add link to A1" }).ClickAsync();
        await Expect(a1.GetByRole(AriaRole.Link, new() { Name = "https://intranet.example.org/pc/eligibility-policy.pdf" })).ToBeVisibleAsync();
        await Expect(a1.GetByTestId("element-save")).ToHaveTextAsync("Saved");
        // The same link again is said to be there already, not silently dropped.
        await linkField.FillAsync("https://intranet.example.org/pc/eligibility-policy.pdf");
        await a1.GetByRole(AriaRole.Button, new() { Name = "Add link to A1" }).ClickAsync();
        await Expect(a1.GetByText("That link is already in this element's evidence.")).ToBeVisibleAsync();
        await Expect(a1.GetByRole(AriaRole.Link, new() { Name = "https://intranet.example.org/pc/eligibility-policy.pdf" })).ToHaveCountAsync(1);

        // A dropped connection or a new browser loses nothing that was shown as saved.
        await Context.DisposeAsync();
        var fresh = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl });
        var page = await fresh.NewPageAsync();
        await LogInAsync(page, "manager");
        await page.GotoAsync(url);
        await Expect(page.Locator("[data-element=A1]").GetByRole(AriaRole.Link, new() { Name = "https://intranet.example.org/pc/eligibility-policy.pdf" })).ToBeVisibleAsync();
        Context = fresh;
        Page = page;
    }

    [Fact]
    public async Task Notes_typed_just_before_leaving_the_page_are_saved_all_the_same()
    {
        await LogInAsync("contributor");
        await OpenGoldenPoppyDraftAsync(Page);

        // Leave at once, before the autosave pause has passed: the card saves what it holds as it goes.
        await Page.Locator("[data-element=A2]").GetByRole(AriaRole.Textbox, new() { Name = "Evidence notes" }).FillAsync("Typed and left straight away");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Assessments", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Assessments", Level = 1 })).ToBeVisibleAsync();

        await OpenGoldenPoppyDraftAsync(Page);
        await Expect(Page.Locator("[data-element=A2]").GetByRole(AriaRole.Textbox, new() { Name = "Evidence notes" })).ToHaveValueAsync("Typed and left straight away");
    }
}
