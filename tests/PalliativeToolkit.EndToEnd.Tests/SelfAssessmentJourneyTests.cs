using Microsoft.Playwright;
using PalliativeToolkit.Testing;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>The core job: a plan completes and submits a self-assessment, a reviewer returns it, the plan sees the feedback.</summary>
public class SelfAssessmentJourneyTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private const string Plan = "Central Coast Unity Health Plan (demo)";

    private ILocator Element(string code) => Page.Locator($"[data-element={code}]");

    private ILocator Criterion(string code) => Page.Locator($"[data-criterion='{code}']");

    /// <summary>Opens a section's tab and waits for its element cards (only the open tab's cards are rendered).</summary>
    private async Task OpenSectionAsync(string code)
    {
        await Page.GetByRole(AriaRole.Tab, new() { Name = $"Section {code}" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"Section {code}:", Level = 2 })).ToBeVisibleAsync();
        await Expect(Element($"{code}1")).ToBeVisibleAsync();
    }

    private async Task ExpectAllSavedAsync() =>
        await Expect(Page.GetByTestId("save-state")).ToHaveTextAsync("All changes saved");

    [Fact]
    public async Task A_plan_manager_completes_and_submits_an_assessment_and_sees_the_reviewers_feedback()
    {
        // Log in and start an assessment for a new cycle, from scratch.
        await LogInAsync("manager4");
        await OpenAsync("assessments");
        var cycle = Page.GetByRole(AriaRole.Textbox, new() { Name = "Cycle", Exact = true });
        await cycle.FillAsync("<2027>");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start assessment" }).ClickAsync();
        await Expect(Page.GetByText("Enter a year such as 2026, or a fiscal year such as FY 2026-27.")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "2027" })).ToHaveCountAsync(0);
        await cycle.FillAsync("2027");
        await Page.GetByText("Start from the previous cycle's answers").ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start assessment" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/assessments/[0-9a-f-]{36}$"));
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"{Plan} — 2027" })).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        // The page says whose words it shows: the portal's adaptation of the guide, the guide's legend, provenance and notes.
        await Expect(Page.GetByTestId("framework")).ToContainTextAsync("the portal's framework, version 2026.1, adapted from the CHCF guide");
        await Expect(Page.GetByTestId("progress-note-A")).ToContainTextAsync("Progress in California");
        await Expect(Element("A1").Locator("legend").First).ToContainTextAsync("\"should consider adopting\"");
        await Expect(Element("A1").GetByTestId("resource").First).ToContainTextAsync("Listed in the guide's Tools and Links");

        // Tick criteria and watch the level and the progress follow.
        var a1 = Element("A1");
        await Expect(a1.GetByTestId("level")).ToHaveTextAsync("Not started");
        await Expect(Page.GetByTestId("overall-progress")).ToContainTextAsync("0 of 20 assessed");
        await Criterion("A1-M1").GetByRole(AriaRole.Checkbox).ClickAsync();
        await Expect(Criterion("A1-M1").GetByTestId("answer")).ToHaveTextAsync("Met");
        await Expect(a1.GetByTestId("level")).ToHaveTextAsync("Not yet at minimum");

        var minimums = a1.Locator("[data-criterion^='A1-M'] [role=checkbox]");
        for (var i = 1; i < await minimums.CountAsync(); i++)
        {
            await minimums.Nth(i).ClickAsync();
        }

        await Expect(a1.GetByTestId("level")).ToHaveTextAsync("Meets minimum");
        await Expect(Page.GetByTestId("section-progress-A")).ToContainTextAsync("1 of 5 assessed");
        await Expect(Page.GetByTestId("overall-progress")).ToContainTextAsync("1 of 20 assessed");
        await Criterion("A1-E1").GetByRole(AriaRole.Checkbox).ClickAsync();
        await Expect(a1.GetByTestId("level")).ToContainTextAsync("Meets enhancement (1 of");
        await Criterion("A1-E1").GetByRole(AriaRole.Checkbox).ClickAsync();
        await Expect(Criterion("A1-E1").GetByTestId("answer")).ToHaveTextAsync("Not met");
        await Expect(a1.GetByTestId("level")).ToHaveTextAsync("Meets minimum");
        await a1.GetByRole(AriaRole.Textbox, new() { Name = "Evidence notes" }).FillAsync("Eligibility policy PC-12 adopted by the board in March.");
        await Expect(a1.GetByTestId("element-save")).ToHaveTextAsync("Saved");
        await ExpectAllSavedAsync();

        // Reload: everything shown as saved is still there.
        await Page.ReloadAsync();
        await WaitInteractiveAsync();
        await Expect(Element("A1").GetByTestId("level")).ToHaveTextAsync("Meets minimum");
        await Expect(Criterion("A1-E1").GetByTestId("answer")).ToHaveTextAsync("Not met");
        await Expect(a1.GetByRole(AriaRole.Textbox, new() { Name = "Evidence notes" })).ToHaveValueAsync("Eligibility policy PC-12 adopted by the board in March.");

        // Submitting while incomplete is refused with the list of what is missing.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        await Expect(Page.GetByTestId("submit-error")).ToContainTextAsync("A2 ");
        await Expect(Page.GetByTestId("submit-error")).ToContainTextAsync("19 element(s)");
        await Expect(Page.GetByTestId("status")).ToHaveTextAsync("Draft");

        // Complete every element: answer each open minimum criterion.
        foreach (var section in new[] { "A", "C", "D", "E" })
        {
            await OpenSectionAsync(section);
            var open = Page.Locator($"[data-criterion^='{section}'][data-criterion*='-M']:has([data-testid=answer]:text-is('Open'))");
            foreach (var code in await open.EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.dataset.criterion)"))
            {
                await Criterion(code).GetByRole(AriaRole.Checkbox).ClickAsync();
                await Expect(Criterion(code).GetByTestId("answer")).ToHaveTextAsync("Met");
            }

            await Expect(Page.GetByTestId($"section-progress-{section}")).ToContainTextAsync(section == "C" ? "6 of 6 assessed" : section == "D" ? "4 of 4 assessed" : "5 of 5 assessed");
        }

        await ExpectAllSavedAsync();
        await Expect(Page.GetByTestId("overall-progress")).ToContainTextAsync("20 of 20 assessed");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        var confirm = Page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync($"Submit {Plan} 2027 to the statewide reviewers?");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync();
        await Expect(Page.GetByTestId("status")).ToHaveTextAsync("Submitted");
        await Expect(Page.GetByTestId("read-only")).ToContainTextAsync("Read-only. It was submitted for review");
        await Expect(Page.GetByTestId("read-only")).ToContainTextAsync("Withdraw the submission to change them.");
        await Expect(Page.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" })).ToHaveCountAsync(0);

        // A statewide reviewer returns it with feedback, on the whole and on A1.
        await LogOutAsync();
        await LogInAsync("reviewer");

        // The submission told the reviewers.
        await OpenAsync("notifications");
        await Expect(Page.GetByTestId("notification").Filter(new() { HasText = $"{Plan} 2027 was submitted for review" })).ToContainTextAsync("Unread");
        await OpenAsync("statewide");
        var row = Page.GetByTestId("submissions").GetByRole(AriaRole.Row).Filter(new() { HasText = Plan });
        await Expect(row).ToContainTextAsync("2027");
        await row.GetByRole(AriaRole.Link, new() { Name = "Review" }).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByTestId("review-panel")).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Feedback to the plan" }).FillAsync("Please describe how referrals are tracked.\nInclude the referral form.");
        await Page.GetByLabel("Element the feedback concerns (optional)").ClickAsync();
        await Page.GetByRole(AriaRole.Option).Filter(new() { HasText = "A1 " }).ClickAsync();
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Feedback on that element" }).FillAsync("Attach the board minutes for PC-12.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Return with feedback" }).ClickAsync();
        var returning = Page.GetByRole(AriaRole.Dialog);
        await Expect(returning).ToContainTextAsync($"Return {Plan} 2027 (round 1) to the plan with your feedback?");
        await returning.GetByRole(AriaRole.Button, new() { Name = "Return to plan" }).ClickAsync();
        await Expect(Page.GetByTestId("status")).ToHaveTextAsync("Returned with feedback");

        // The plan's manager is told by email, with the feedback and a link to the assessment.
        var mail = await Mailbox.WaitForAsync(App.MailFolder, $"manager4@{Domain}", $"PalliativeToolkit: {Plan} 2027 was returned with feedback");
        Assert.Contains("Please describe how referrals are tracked.\nInclude the referral form.", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("A1 ", mail.TextBody!, StringComparison.Ordinal);
        Assert.Contains("Attach the board minutes for PC-12.", mail.TextBody!, StringComparison.Ordinal);
        var link = System.Text.RegularExpressions.Regex.Match(mail.TextBody!, @"Open in PalliativeToolkit: (\S+)").Groups[1].Value;
        Assert.Matches("/assessments/[0-9a-f-]{36}$", link);

        // And in the portal: the bell counts it, the list shows it, and opening it leads to the assessment.
        await LogOutAsync();
        await LogInAsync("manager4");
        await WaitInteractiveAsync();
        await Expect(Page.GetByTestId("notification-bell")).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread");
        await Page.GetByTestId("notification-bell").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Notifications", Level = 1 })).ToBeVisibleAsync();
        await WaitInteractiveAsync();
        var notification = Page.GetByTestId("notification").First;
        await Expect(notification).ToContainTextAsync($"{Plan} 2027 was returned with feedback");
        await Expect(notification).ToContainTextAsync("Unread");
        Assert.Contains("tracked.\nInclude the referral form.", await notification.InnerTextAsync(), StringComparison.Ordinal);
        await AssertAccessibleAsync();
        await notification.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(new Uri(link).AbsolutePath) + "$"));
        await WaitInteractiveAsync();
        await Expect(Page.GetByTestId("notification-bell")).ToHaveAttributeAsync("aria-label", "Notifications, none unread");

        // The plan sees the feedback, on the assessment and on the element, and can edit again.
        await Expect(Page.GetByTestId("feedback")).ToContainTextAsync("Please describe how referrals are tracked.");
        await Expect(Page.GetByTestId("feedback-meta")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Returned \d{4}-\d{2}-\d{2} by \S"));
        Assert.Contains("tracked.\nInclude the referral form.", await Page.GetByTestId("feedback-item").First.InnerTextAsync());
        await Expect(Element("A1").GetByTestId("element-feedback")).ToContainTextAsync("Attach the board minutes for PC-12.");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" })).ToBeVisibleAsync();
        await AssertAccessibleAsync();
    }
}
