using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// A feedback thread between a statewide reviewer (Riley Reviewer, signed in with the authenticator's code) and a plan
/// (Morgan Manager of Golden Poppy), in two browsers: the reviewer opens it on an element of last cycle's accepted
/// assessment, the manager hears of it, finds it in the plan's open threads, answers; the reviewer sees the answer and
/// resolves the thread, and the plan's list empties.
/// </summary>
public class FeedbackThreadTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private const string Plan = "Golden Poppy Health Plan (demo)";
    private readonly BrowserFixture _browser = browser;

    [Fact]
    public async Task A_reviewer_and_a_plan_discuss_an_element_in_a_feedback_thread_until_the_reviewer_resolves_it()
    {
        var lastYear = (App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var assessmentId = await App.Data.StoredAsync(db => db.Assessments.Where(a => a.Organization!.Name == Plan && a.Cycle == lastYear).Select(a => a.Id).SingleAsync());

        // The reviewer signs in (password, then the authenticator's code) and opens the plan's element A2.
        await LogInAsync(Page, $"reviewer@{Domain}", PortalApp.Password);
        await OpenAsync($"assessments/{assessmentId}?element=A2#element-A2");
        var card = Page.Locator("#element-A2");
        await card.GetByRole(AriaRole.Button, new() { Name = "Start a feedback thread on A2" }).ClickAsync();

        // Nothing written: said next to the box.
        await card.GetByRole(AriaRole.Button, new() { Name = "Open thread on A2" }).ClickAsync();
        await Expect(card.GetByTestId("thread-new-error")).ToHaveTextAsync("Write a message.");
        await card.GetByLabel($"Feedback to {Plan} on A2").FillAsync("Which provider network does the eligibility policy cover?");
        await card.GetByRole(AriaRole.Button, new() { Name = "Open thread on A2" }).ClickAsync();
        var thread = card.GetByTestId("thread");
        await Expect(thread.GetByTestId("thread-message")).ToHaveCountAsync(1);
        await Expect(thread.GetByTestId("thread-message")).ToContainTextAsync("Riley Reviewer · Statewide reviewer");
        await Expect(thread.GetByTestId("thread-text")).ToHaveTextAsync("Which provider network does the eligibility policy cover?");
        await Expect(thread.GetByTestId("thread-meta")).ToContainTextAsync($"waiting on {Plan}");
        await Expect(thread.GetByTestId("thread-message").Locator("time")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(" P[SD]T$"));
        await AssertAccessibleAsync();

        // The plan's manager, in a second browser: the notification leads to the thread.
        var context = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl });
        context.SetDefaultTimeout(15_000);
        try
        {
            var morgan = await context.NewPageAsync();
            await LogInAsync(morgan, "manager");
            await morgan.GotoAsync("notifications");
            await morgan.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            var notification = morgan.GetByTestId("notification").Filter(new() { HasText = $"{Plan} {lastYear}, A2: Riley Reviewer opened a feedback thread" });
            await Expect(notification).ToContainTextAsync("Which provider network does the eligibility policy cover?");

            // The plan's open threads, on a phone-sized screen too.
            await morgan.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Feedback threads" }).ClickAsync();
            await morgan.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await Expect(morgan.GetByRole(AriaRole.Heading, new() { Name = "Feedback threads", Level = 1 })).ToBeVisibleAsync();
            await Expect(morgan.GetByTestId("threads-count")).ToHaveTextAsync("1 open thread.");
            var row = morgan.GetByTestId("thread-row");
            await Expect(row.GetByRole(AriaRole.Heading)).ToContainTextAsync("A2");
            await Expect(row.GetByTestId("thread-where")).ToContainTextAsync($"{Plan} · cycle {lastYear} · 1 message");
            await Expect(row.GetByTestId("thread-last")).ToContainTextAsync("Riley Reviewer (Statewide reviewer)");
            await Expect(row.GetByTestId("thread-waiting")).ToHaveTextAsync($"Waiting on your answer ({Plan})");
            await AssertAccessibleAsync(morgan);
            await morgan.SetViewportSizeAsync(390, 844);
            var widths = await morgan.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            Assert.True(widths[0] <= widths[1], $"the list is {widths[0]} px wide on a {widths[1]} px screen");
            await Expect(row.GetByRole(AriaRole.Link)).ToBeVisibleAsync();
            await AssertAccessibleAsync(morgan);
            await morgan.SetViewportSizeAsync(1280, 800);

            // The manager answers on the element's card.
            await row.GetByRole(AriaRole.Link).ClickAsync();
            await morgan.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            var planCard = morgan.Locator("#element-A2");
            await Expect(planCard.GetByTestId("thread-text")).ToHaveTextAsync("Which provider network does the eligibility policy cover?");
            await planCard.GetByLabel("Your reply on A2").FillAsync("All five counties' networks: the policy is linked in the evidence.");
            await planCard.GetByRole(AriaRole.Button, new() { Name = "Send reply on A2" }).ClickAsync();
            await Expect(planCard.GetByTestId("thread-message")).ToHaveCountAsync(2);
            await Expect(planCard.GetByTestId("thread-message").Last).ToContainTextAsync($"Morgan Manager · {Plan}");
            await Expect(planCard.GetByTestId("thread-meta")).ToContainTextAsync("waiting on the statewide reviewers");
            await AssertAccessibleAsync(morgan);

            // Back in the plan's list, the thread now waits on the reviewers.
            await morgan.GotoAsync("feedback");
            await morgan.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await Expect(morgan.GetByTestId("thread-waiting")).ToHaveTextAsync("Waiting on the statewide reviewers");
            await Expect(morgan.GetByTestId("thread-where")).ToContainTextAsync("2 messages");

            // The reviewer's open page shows the answer without reloading, and the reviewer resolves the thread.
            await Expect(thread.GetByTestId("thread-message")).ToHaveCountAsync(2);
            await Expect(thread.GetByTestId("thread-text").Last).ToHaveTextAsync("All five counties' networks: the policy is linked in the evidence.");
            await thread.GetByRole(AriaRole.Button, new() { Name = "Resolve thread on A2" }).ClickAsync();
            var resolved = card.Locator("[data-testid=thread][data-status=resolved]");
            await Expect(resolved).ToContainTextAsync("Resolved thread · 2 messages · resolved by Riley Reviewer");
            await AssertAccessibleAsync();

            // The plan's open list empties as it happens; the reviewers' list holds it no longer, and finds it among the resolved.
            await Expect(morgan.GetByTestId("threads-count")).ToHaveTextAsync("No open threads.");
            await Expect(morgan.GetByTestId("thread-row")).ToHaveCountAsync(0);
            await OpenAsync("feedback");
            await Expect(Page.GetByTestId("thread-row").Filter(new() { HasText = Plan })).ToHaveCountAsync(0);
            await AssertAccessibleAsync();
            await OpenAsync("feedback?status=resolved");
            await Expect(Page.GetByTestId("thread-row").Filter(new() { HasText = Plan })).ToHaveCountAsync(1);
        }
        finally
        {
            await context.DisposeAsync();
        }
    }
}
