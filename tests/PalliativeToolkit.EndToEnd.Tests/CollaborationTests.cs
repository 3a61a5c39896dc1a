using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PalliativeToolkit.Domain.Assessments;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// Two people on one assessment in two browsers (Morgan Manager and Casey Contributor of Golden Poppy): changes to
/// different fields are both saved and appear live on the other page, the same field changed by both shows the loser
/// both versions, and a viewer reads a page that says it is read-only.
/// </summary>
public class CollaborationTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private readonly BrowserFixture _browser = browser;

    private static async Task OpenDraftAsync(IPage page)
    {
        await page.GotoAsync("assessments");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Draft" }).GetByRole(AriaRole.Link).ClickAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("[data-element=A2]").WaitForAsync();
    }

    /// <summary>
    /// Morgan (this test's page) and Casey (a second browser, returned with its context to dispose) both on the Golden
    /// Poppy draft, each seeing the other present.
    /// </summary>
    private async Task<(IPage Casey, IBrowserContext Context)> BothOnTheDraftAsync()
    {
        await LogInAsync("manager");
        await OpenDraftAsync(Page);
        var context = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl });
        context.SetDefaultTimeout(15_000);
        var casey = await context.NewPageAsync();
        await LogInAsync(casey, "contributor");
        await OpenDraftAsync(casey);
        await Expect(Page.GetByTestId("presence")).ToContainTextAsync("Casey Contributor");
        return (casey, context);
    }

    private static ILocator Notes(IPage page, string element) =>
        page.Locator($"[data-element={element}]").GetByRole(AriaRole.Textbox, new() { Name = "Evidence notes" });

    private Task<(string Notes, Dictionary<string, Answer> Answers)> StoredAsync(string element) =>
        App.Data.StoredAsync(async db =>
        {
            var draft = await db.Assessments.Where(a => a.Status == AssessmentStatus.Draft && a.Organization!.Name == "Golden Poppy Health Plan (demo)")
                .Select(a => a.Id).SingleAsync();
            var row = await db.ElementResponses.Where(e => e.AssessmentId == draft && e.Element!.Code == element)
                .Select(e => new { e.Id, e.EvidenceNotes }).SingleAsync();
            var answers = await db.CriterionResponses.Where(c => c.ElementResponseId == row.Id)
                .Select(c => new { c.Criterion!.Code, c.Answer }).ToDictionaryAsync(c => c.Code, c => c.Answer);
            return (row.EvidenceNotes, answers);
        });

    [Fact]
    public async Task A_tick_and_a_colleagues_notes_on_one_element_are_both_saved_and_each_appears_live_on_the_other_page()
    {
        var (other, context) = await BothOnTheDraftAsync();
        await using var colleague = context;

        // Each sees the other on the page.
        await Expect(Page.GetByTestId("presence")).ToContainTextAsync("Morgan Manager (you)");
        await Expect(other.GetByTestId("presence")).ToContainTextAsync("Morgan Manager");

        // At the same moment: Morgan ticks a criterion of A2, Casey writes its notes.
        var criterion = Page.Locator("[data-element=A2] [data-criterion]").First;
        var code = await criterion.GetAttributeAsync("data-criterion");
        var before = await criterion.GetByTestId("answer").TextContentAsync();
        await criterion.GetByRole(AriaRole.Checkbox).ClickAsync();
        await Notes(other, "A2").FillAsync("Casey: the eligibility policy went to the board in May.");

        await Expect(Page.Locator("[data-element=A2]").GetByTestId("element-save")).ToHaveTextAsync("Saved");
        await Expect(other.Locator("[data-element=A2]").GetByTestId("element-save")).ToHaveTextAsync("Saved");

        // Each page shows the other's change without a reload, and who made it.
        await Expect(Notes(Page, "A2")).ToHaveValueAsync("Casey: the eligibility policy went to the board in May.");
        await Expect(Page.Locator("[data-element=A2]").GetByTestId("remote-note")).ToContainTextAsync("Casey Contributor changed A2: evidence notes");
        var after = await criterion.GetByTestId("answer").TextContentAsync();
        Assert.NotEqual(before, after);
        await Expect(other.Locator($"[data-criterion={code}]").GetByTestId("answer")).ToHaveTextAsync(after!);
        await Expect(other.Locator("[data-element=A2]").GetByTestId("remote-note")).ToContainTextAsync($"Morgan Manager changed A2: {code}");

        var stored = await StoredAsync("A2");
        Assert.Equal("Casey: the eligibility policy went to the board in May.", stored.Notes);
        Assert.Equal(after, stored.Answers[code!].Describe());
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_same_notes_written_by_both_show_the_loser_both_versions_and_keep_their_text_until_they_choose()
    {
        var (other, context) = await BothOnTheDraftAsync();
        await using var colleague = context;

        // Both write A3's notes at the same moment, within the half-second before either saves: whichever saves second
        // meets the other's saved text and loses.
        if (await Notes(other, "A3").InputValueAsync() != string.Empty)
        {
            // The demo may have notes here: start from an empty box on both pages.
            await Notes(other, "A3").FillAsync(string.Empty);
            await Expect(other.Locator("[data-element=A3]").GetByTestId("element-save")).ToHaveTextAsync("Saved");
            await Expect(Notes(Page, "A3")).ToHaveValueAsync(string.Empty);
        }

        const string morgans = "Morgan's version of the A3 evidence";
        const string caseys = "Casey's version of the A3 evidence: the provider network agreement was signed in June.";
        await Task.WhenAll(Notes(Page, "A3").FillAsync(morgans), Notes(other, "A3").FillAsync(caseys));

        var morganLost = Page.Locator("[data-element=A3]").GetByTestId("notes-conflict");
        var caseyLost = other.Locator("[data-element=A3]").GetByTestId("notes-conflict");
        var lost = await PalliativeToolkit.Testing.Poll.UntilAsync(
            async () => (Morgan: await morganLost.IsVisibleAsync(), Casey: await caseyLost.IsVisibleAsync()),
            seen => seen.Morgan || seen.Casey, TimeSpan.FromSeconds(15), _ => "Neither page showed the notes conflict");
        var (loser, winner, mine, theirs, winnerName) = lost.Morgan
            ? (Page, other, morgans, caseys, "Casey Contributor")
            : (other, Page, caseys, morgans, "Morgan Manager");
        var conflict = loser.Locator("[data-element=A3]").GetByTestId("notes-conflict");

        // The loser sees both versions, who wrote the other, and still has their own text in the box; nothing of theirs is stored yet.
        await Expect(conflict.GetByTestId("conflict-saved")).ToHaveTextAsync(theirs);
        await Expect(conflict.GetByTestId("conflict-yours")).ToHaveTextAsync(mine);
        await Expect(conflict).ToContainTextAsync(winnerName);
        await Expect(Notes(loser, "A3")).ToHaveValueAsync(mine);
        await Expect(loser.Locator("[data-element=A3]").GetByTestId("element-save")).ToHaveTextAsync("Choose a version");
        Assert.Equal(theirs, (await StoredAsync("A3")).Notes);
        await AssertAccessibleAsync(loser);

        // Leaving now would lose their text: the portal asks first, and staying keeps it.
        var asked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stay(object? sender, IDialog dialog)
        {
            asked.TrySetResult(dialog.Message);
            _ = dialog.DismissAsync();
        }

        var here = loser.Url;
        loser.Dialog += Stay;
        await loser.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Assessments" }).ClickAsync();
        Assert.Contains("were not saved", await asked.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        loser.Dialog -= Stay;
        Assert.Equal(here, loser.Url);
        await Expect(Notes(loser, "A3")).ToHaveValueAsync(mine);

        // The other saves again while the choice is open: the loser is shown their newest version, never a stale one.
        var theirsAgain = theirs + " Revised after the call.";
        await Notes(winner, "A3").FillAsync(theirsAgain);
        await Expect(winner.Locator("[data-element=A3]").GetByTestId("element-save")).ToHaveTextAsync("Saved");
        await Expect(conflict.GetByTestId("conflict-saved")).ToHaveTextAsync(theirsAgain);
        await Expect(conflict.GetByTestId("conflict-yours")).ToHaveTextAsync(mine);
        await Expect(Notes(loser, "A3")).ToHaveValueAsync(mine);

        // They keep theirs: it is stored over the newest version they saw, and the other page shows it live.
        await conflict.GetByRole(AriaRole.Button, new() { Name = "Keep mine (notes of A3)" }).ClickAsync();
        await Expect(conflict).ToHaveCountAsync(0);
        await Expect(loser.Locator("[data-element=A3]").GetByTestId("element-save")).ToHaveTextAsync("Saved");
        Assert.Equal(mine, (await StoredAsync("A3")).Notes);
        await Expect(Notes(winner, "A3")).ToHaveValueAsync(mine);
        await Expect(winner.Locator("[data-element=A3]").GetByTestId("remote-note")).ToContainTextAsync("changed A3: evidence notes");
        await AssertAccessibleAsync(winner);
    }

    [Fact]
    public async Task A_viewer_reads_a_page_that_says_it_is_read_only_and_offers_no_controls()
    {
        await LogInAsync("viewer");
        await OpenDraftAsync(Page);

        await Expect(Page.GetByTestId("read-only")).ToContainTextAsync("You have view-only access to Golden Poppy Health Plan (demo)");
        await Expect(Page.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);
        await Expect(Page.Locator("[data-element=A1] [data-testid=answer-icon]").First).ToBeVisibleAsync();
        await Expect(Notes(Page, "A1")).ToHaveAttributeAsync("readonly", string.Empty);
        await Expect(Page.GetByRole(AriaRole.Textbox, new() { Name = "Add an evidence link" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync();
    }
}
