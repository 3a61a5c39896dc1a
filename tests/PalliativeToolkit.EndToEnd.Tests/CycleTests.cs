using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// Cycles as a plan's manager lives them: a new year built on the last accepted one (not a newer empty draft), evidence
/// carried forward and confirmed, what changed since last cycle, withdrawing a submission and deleting a draft.
/// </summary>
public class CycleTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private const string Plan = "Central Coast Unity Health Plan (demo)";

    /// <summary>The portal's year: the demo's cycles are this year and last year of its clock.</summary>
    private int ThisYear => App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year;

    private string LastYear => (ThisYear - 1).ToString();

    private string NextYear => (ThisYear + 1).ToString();

    private ILocator Element(string code) => Page.Locator($"[data-element={code}]");

    private ILocator CycleField => Page.GetByRole(AriaRole.Textbox, new() { Name = "Cycle", Exact = true });

    private async Task StartAsync(string cycle, bool copy)
    {
        await OpenAsync("assessments");
        await CycleField.FillAsync(cycle);
        var checkbox = Page.GetByRole(AriaRole.Checkbox, new() { Name = "Start from the previous cycle's answers" });
        if (await checkbox.IsCheckedAsync() != copy)
        {
            await Page.GetByText("Start from the previous cycle's answers").ClickAsync();
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = "Start assessment" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/assessments/[0-9a-f-]{36}$"));
        await WaitInteractiveAsync();
    }

    private async Task ConfirmAsync(string expected, string action)
    {
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync(expected);
        await AssertAccessibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = action, Exact = true }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_new_cycle_builds_on_the_accepted_one_and_its_carried_evidence_is_confirmed()
    {
        await LogInAsync("manager4");

        // A cycle that is not a reporting year is refused next to the field.
        await OpenAsync("assessments");
        await CycleField.FillAsync("1850");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start assessment" }).ClickAsync();
        await Expect(Page.GetByText("The Medi-Cal palliative care benefit began in 2018: enter 2018 or later.")).ToBeVisibleAsync();

        // An empty draft of this year, then next year's: the form names the accepted cycle it will copy, not the newer draft.
        await StartAsync(ThisYear.ToString(), copy: false);
        await OpenAsync("assessments");
        await CycleField.FillAsync(NextYear);
        await Expect(Page.GetByTestId("copy-source")).ToHaveTextAsync(new Regex($"^Copies {Regex.Escape(Plan)} {LastYear} \\(accepted\\)"));
        await AssertAccessibleAsync();
        await StartAsync(NextYear, copy: true);

        // The elements came over with their answers and evidence, marked as carried until someone stands behind them.
        var a1 = Element("A1");
        await Expect(a1.GetByTestId("carried-evidence")).ToHaveTextAsync(new Regex($"Evidence carried forward from {LastYear} — still valid\\?"));
        await Expect(a1.GetByRole(AriaRole.Textbox, new() { Name = "Evidence notes" })).ToHaveValueAsync(new Regex("^A1: "));
        await Expect(a1.GetByTestId("element-previous")).ToContainTextAsync($"{LastYear}:");
        await Expect(a1.GetByTestId("element-change")).ToHaveTextAsync("unchanged");
        await Expect(Page.GetByTestId("overall-change")).ToContainTextAsync($"Since {LastYear}: ±0 at minimum or above, ±0 at enhancement");
        await a1.GetByText($"Evidence in {LastYear}").ClickAsync();
        await Expect(a1.Locator(".previous-evidence p").First).ToBeVisibleAsync();
        await AssertAccessibleAsync();
        await a1.GetByRole(AriaRole.Button, new() { Name = "Yes, still valid (evidence of A1)" }).ClickAsync();
        await Expect(a1.GetByTestId("carried-evidence")).ToHaveCountAsync(0);

        // Editing the notes of A2 stands behind them too; a criterion ticked off is named as lost since last cycle.
        var a2 = Element("A2");
        await a2.GetByRole(AriaRole.Textbox, new() { Name = "Evidence notes" }).FillAsync("Provider network contract renewed in July.");
        await Expect(a2.GetByTestId("carried-evidence")).ToHaveCountAsync(0);
        await Expect(a2.GetByTestId("element-save")).ToHaveTextAsync("Saved");
        await Page.ReloadAsync();
        await WaitInteractiveAsync();
        await Expect(Element("A1").GetByTestId("carried-evidence")).ToHaveCountAsync(0);
        await Expect(Element("A2").GetByTestId("carried-evidence")).ToHaveCountAsync(0);
        await Expect(Element("A3").GetByTestId("carried-evidence")).ToHaveCountAsync(1);

        // An element below minimum last cycle brought to minimum: its criteria are named as gained, and it improved.
        var below = Page.Locator("[data-element]").Filter(new() { Has = Page.GetByTestId("level").Filter(new() { HasTextRegex = new Regex("^Not yet at minimum$") }) }).First;
        var code = await below.GetAttributeAsync("data-element");
        var element = Element(code!);
        var open = element.Locator("[data-criterion*='-M']").Filter(new() { HasNot = Page.GetByTestId("answer").GetByText("Met", new() { Exact = true }) });
        foreach (var criterionCode in await open.EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.dataset.criterion)"))
        {
            var criterion = Page.Locator($"[data-criterion='{criterionCode}']");
            // A click moves open → met → not met → open: wait for each answer before the next click.
            if (await criterion.GetByTestId("answer").InnerTextAsync() == "Not met")
            {
                await criterion.GetByRole(AriaRole.Checkbox).ClickAsync();
                await Expect(criterion.GetByTestId("answer")).ToHaveTextAsync("Open");
            }

            await criterion.GetByRole(AriaRole.Checkbox).ClickAsync();
            await Expect(criterion.GetByTestId("answer")).ToHaveTextAsync("Met");

            await Expect(criterion.GetByTestId("criterion-change")).ToHaveTextAsync($"gained since {LastYear}");
        }

        await Expect(element.GetByTestId("element-change")).ToHaveTextAsync("improved");
        await Expect(Page.GetByTestId("overall-change")).ToContainTextAsync("1 improved");
        await Expect(Page.GetByTestId("overall-change")).ToContainTextAsync("+1 at minimum or above");
        await Expect(Page.GetByTestId("save-state")).ToHaveTextAsync("All changes saved");

        // The report has a "since last cycle" column and summary.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Report" }).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByTestId("report-since")).ToContainTextAsync($"Since {LastYear} (accepted):");
        await Expect(Page.GetByRole(AriaRole.Columnheader, new() { Name = $"Since last cycle ({LastYear})" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("report-since-A")).ToContainTextAsync("at minimum");
        await AssertAccessibleAsync();

        // Submitting warns of carried evidence nobody confirmed (A3 and the rest), without blocking.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Back to the assessment" }).ClickAsync();
        await WaitInteractiveAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Evidence carried forward from an earlier cycle that nobody has confirmed");
        await Expect(dialog.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "A3 " })).ToHaveCountAsync(1);
        await Expect(dialog.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "A1 " })).ToHaveCountAsync(0);
        await ConfirmAsync($"Submit {Plan} {NextYear} to the statewide reviewers?", "Submit");
        await Expect(Page.GetByTestId("status")).ToHaveTextAsync("Submitted");
    }

    [Fact]
    public async Task A_submission_is_withdrawn_and_a_draft_deleted_each_after_a_confirmation_that_names_it()
    {
        const string plan = "Sierra Vista Community Health (demo)";
        await LogInAsync("manager2");

        // This year's assessment is submitted and no reviewer has acted on it: the manager takes it back.
        await OpenAsync("assessments");
        await Page.GetByRole(AriaRole.Row).Filter(new() { HasText = plan }).Filter(new() { HasText = ThisYear.ToString() }).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"{plan} — {ThisYear}" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("status")).ToHaveTextAsync("Submitted");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Withdraw submission" }).ClickAsync();
        await ConfirmAsync($"Take {plan} {ThisYear} back from review?", "Withdraw");
        await Expect(Page.GetByTestId("status")).ToHaveTextAsync("Draft");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Withdraw submission" })).ToHaveCountAsync(0);

        // A draft that was submitted once is kept; a fiscal-year draft started by mistake is deleted, once confirmed.
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Delete draft" })).ToHaveCountAsync(0);
        await StartAsync($"fy{ThisYear}-{(ThisYear + 1) % 100:00}", copy: false);
        var fiscal = $"FY {ThisYear}-{(ThisYear + 1) % 100:00}";
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"{plan} — {fiscal}" })).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Delete draft" }).ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("status")).ToHaveTextAsync("Draft");
        await Page.Locator("#main").GetByRole(AriaRole.Button, new() { Name = "Delete draft" }).ClickAsync();
        await ConfirmAsync($"Delete the draft {plan} {fiscal} and all its answers", "Delete draft");
        await Expect(Page).ToHaveURLAsync(new Regex("/assessments$"));
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = plan })).ToHaveCountAsync(2);
        Assert.Equal([ThisYear.ToString(), LastYear], await Page.GetByRole(AriaRole.Row).Filter(new() { HasText = plan }).Locator("td:nth-child(2)").AllInnerTextsAsync());
    }
}
