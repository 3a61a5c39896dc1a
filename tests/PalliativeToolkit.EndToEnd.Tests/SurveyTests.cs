using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// The annual surveys in a browser: a plan answers this year's survey (a question the portal pre-filled corrected, others
/// confirmed), a manager submits it and sees its answers beside the statewide figures (suppressed while fewer than five
/// plans have submitted); a reviewer builds and opens a wave, reads who has not answered and sends reminders; and the
/// answer form works on a phone.
/// </summary>
public class SurveyTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private int ThisYear => App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year;

    private ILocator Question(string code) => Page.Locator($"section[data-question='{code}']");

    private async Task ExpectSavedAsync(string code) =>
        await Expect(Question(code).GetByTestId("question-save")).ToHaveTextAsync("Saved");

    [Fact]
    public async Task A_plan_corrects_a_prefilled_answer_confirms_others_submits_and_sees_its_answers_beside_the_statewide_figures()
    {
        await LogInAsync("manager");
        await OpenAsync("community/surveys");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Annual surveys", Level = 1 })).ToBeVisibleAsync();
        var wave = Page.GetByTestId("waves").Locator($"tr[data-wave='{ThisYear} survey of plans (demo)']");
        await Expect(wave).ToContainTextAsync("Not started");
        await AssertAccessibleAsync();

        await wave.GetByRole(AriaRole.Link, new() { Name = $"Answer {ThisYear} survey of plans (demo)" }).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"{ThisYear} survey of plans (demo)", Level = 1 })).ToBeVisibleAsync();

        // Q1 opens with the partners list: one active partner (Redwood Grove). The plan has a second one starting: corrected to 2.
        await Expect(Question("Q1").GetByTestId("portal-fact")).ToContainTextAsync("From your partners list: 1 active partner, counties Napa (1), Sonoma (1).");
        await AssertAccessibleAsync();
        await Question("Q1").GetByRole(AriaRole.Button, new() { Name = "Correct it (Q1)" }).ClickAsync();
        var number = Question("Q1").GetByTestId("number-input");
        await Expect(number).ToHaveValueAsync("1");
        await number.FillAsync("two");
        await Expect(Question("Q1").GetByTestId("question-error")).ToHaveTextAsync("Enter a whole number.");
        await number.FillAsync("600");
        await Expect(Question("Q1").GetByTestId("question-error")).ToHaveTextAsync("Enter a whole number from 0 to 500.");
        await number.FillAsync("2");
        await ExpectSavedAsync("Q1");
        await Expect(Question("Q1").GetByTestId("answer-origin")).ToHaveTextAsync("Corrected from portal data");

        // The counties and the element levels are confirmed as the portal has them.
        await Question("Q2").GetByTestId("confirm-portal").ClickAsync();
        await ExpectSavedAsync("Q2");
        await Expect(Question("Q2").GetByTestId("answer-origin")).ToHaveTextAsync("Confirmed from portal data");
        await Expect(Question("Q3").GetByTestId("portal-fact")).ToContainTextAsync($"From your {ThisYear - 1} self-assessment");
        await Question("Q3").GetByTestId("confirm-portal").ClickAsync();
        await ExpectSavedAsync("Q3");

        await Question("Q4").GetByLabel("Claims and utilization data").CheckAsync();
        await Question("Q4").GetByLabel("Referrals from primary care").CheckAsync();
        await ExpectSavedAsync("Q4");
        await Question("Q5").GetByLabel("Fee for service").CheckAsync();
        await ExpectSavedAsync("Q5");
        await Question("Q6").GetByLabel("4", new() { Exact = true }).CheckAsync();
        await ExpectSavedAsync("Q6");
        await Question("Q7").GetByRole(AriaRole.Textbox).FillAsync("A second provider for Solano County is still contracting.");
        await ExpectSavedAsync("Q7");
        await Question("Q8").GetByTestId("confirm-portal").ClickAsync();
        await ExpectSavedAsync("Q8");
        await AssertAccessibleAsync();

        // Resumed later, everything typed is there.
        await OpenAsync($"community/surveys");
        await Expect(wave).ToContainTextAsync("In progress");
        await wave.GetByRole(AriaRole.Link, new() { Name = $"Continue {ThisYear} survey of plans (demo)" }).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Question("Q1").GetByTestId("number-input")).ToHaveValueAsync("2");
        await Expect(Question("Q7").GetByRole(AriaRole.Textbox)).ToHaveValueAsync("A second provider for Solano County is still contracting.");

        await Page.GetByTestId("submit-survey").ClickAsync();
        await Expect(Page.GetByTestId("submitted-note")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"Results: {ThisYear} survey of plans (demo)", Level = 1 })).ToBeVisibleAsync();

        // Two of the four demo plans have submitted: the statewide figures are not shown, the plan's own answers are.
        await Expect(Page.GetByTestId("results-count")).ToContainTextAsync("2 of 4 plans submitted so far.");
        await Expect(Page.GetByTestId("suppressed-note")).ToContainTextAsync("Fewer than 5 organizations have submitted");
        var q1 = Page.Locator("section[data-question='Q1']");
        await Expect(q1.GetByTestId("your-answer")).ToHaveTextAsync("Golden Poppy Health Plan (demo): 2 (corrected from portal data)");
        await Expect(q1.Locator("tr[data-group='Statewide'] td")).ToHaveTextAsync("Fewer than 5 organizations: not shown");
        await Expect(Page.Locator("section[data-question='Q5']").Locator($"tr[data-group='Statewide, {ThisYear - 1}'] td")).ToHaveTextAsync("Fewer than 5 organizations: not shown");
        await Expect(Page.GetByTestId("export-menu")).ToHaveCountAsync(0);
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task A_reviewer_builds_and_opens_a_wave_sees_who_has_not_answered_and_sends_reminders()
    {
        await LogInAsync("reviewer");

        // A question for the bank: a bad one is refused next to its field.
        await OpenAsync("community/surveys/questions");
        await Page.GetByLabel("Question", new() { Exact = true }).FillAsync("Does your program offer bereavement support?");
        await Page.GetByLabel("Choices, one a line").FillAsync("Yes");
        await Page.GetByTestId("add-bank-question").ClickAsync();
        await Expect(Page.Locator("#question-options-error")).ToHaveTextAsync("Give at least two choices, one a line.");
        await Page.GetByLabel("Choices, one a line").FillAsync("Yes\nNo\nPlanned");
        await Page.GetByTestId("add-bank-question").ClickAsync();
        await Expect(Page.GetByTestId("bank")).ToContainTextAsync("Does your program offer bereavement support? — Yes / No / Planned");
        await AssertAccessibleAsync();
        // A number question whose smallest number is not a whole number (pasted) is refused next to that field, never
        // saved with another number in its place.
        await Page.GetByLabel("Kind").SelectOptionAsync(new SelectOptionValue { Label = "Number" });
        await Page.GetByLabel("Question", new() { Exact = true }).FillAsync("How many referrals a month can you take?");
        await Page.GetByLabel("Smallest number allowed").FillAsync("1.5");
        await Page.GetByTestId("add-bank-question").ClickAsync();
        await Expect(Page.Locator("#question-min-error")).ToHaveTextAsync("Enter a whole number, such as 10.");
        await Expect(Page.GetByLabel("Smallest number allowed")).ToHaveValueAsync("1.5");
        await AssertAccessibleAsync();
        await Page.GetByLabel("Smallest number allowed").FillAsync("1");
        await Page.GetByLabel("Largest number allowed").FillAsync("500");
        await Page.GetByTestId("add-bank-question").ClickAsync();
        await Expect(Page.GetByTestId("bank")).ToContainTextAsync("How many referrals a month can you take?");
        Assert.Equal(((int?)1, (int?)500), await App.Data.StoredAsync(db => db.SurveyQuestions.Where(q => q.Text == "How many referrals a month can you take?")
            .Select(q => new ValueTuple<int?, int?>(q.Minimum, q.Maximum)).SingleAsync()));

        // A wave of providers for this year, built from the bank and opened.
        await OpenAsync("community/surveys");
        await Page.GetByLabel("Title").FillAsync($"{ThisYear} survey of providers");
        await Page.GetByLabel("Organizations asked").SelectOptionAsync("Providers");
        await AssertAccessibleAsync();
        await Page.GetByTestId("create-wave").ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"{ThisYear} survey of providers", Level = 1 })).ToBeVisibleAsync();
        await Page.GetByTestId("open-wave").ClickAsync();
        await Expect(Page.GetByTestId("wave-problem")).ToContainTextAsync("Add at least one question before opening the wave.");
        await Page.GetByLabel("Add a question from the bank").SelectOptionAsync(new SelectOptionValue { Label = "Does your program offer bereavement support? (Single choice)" });
        await Page.GetByTestId("add-question").ClickAsync();
        await Expect(Page.GetByTestId("wave-questions").Locator("li")).ToHaveCountAsync(1);
        await Page.GetByTestId("open-wave").ClickAsync();
        await Expect(Page.GetByTestId("wave-status")).ToContainTextAsync("open from");
        await Expect(Page.GetByTestId("reminder-list").Locator("tbody tr")).ToHaveCountAsync(4);
        await AssertAccessibleAsync();

        // This year's plan survey: Sierra Vista submitted, Bayshore part-way, the others not started; reminders go to three.
        await OpenAsync("community/surveys");
        await Page.GetByTestId("waves").Locator($"tr[data-wave='{ThisYear} survey of plans (demo)']").GetByRole(AriaRole.Link, new() { Name = $"Manage {ThisYear} survey of plans (demo)" }).ClickAsync();
        await WaitInteractiveAsync();
        var list = Page.GetByTestId("reminder-list");
        await Expect(list.Locator("tr[data-organization='Sierra Vista Community Health (demo)']")).ToContainTextAsync("Submitted");
        var bayshore = list.Locator("tr[data-organization='Bayshore Family Health Alliance (demo)'] td");
        await Expect(bayshore.Nth(1)).ToHaveTextAsync("In progress");
        await Expect(bayshore.Nth(2)).ToHaveTextAsync("2 of 8");
        await Expect(list.Locator("tr[data-organization='Central Coast Unity Health Plan (demo)']")).ToContainTextAsync("Not started");
        await AssertAccessibleAsync();
        // Three have not submitted (two, once the plan of the other test here has).
        var send = Page.GetByTestId("send-reminders");
        await Expect(send).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Send reminders to the [23] not submitted$"));
        var outstanding = (await send.TextContentAsync())!.Trim().Split(' ')[4];
        await send.ClickAsync();
        await Expect(Page.GetByTestId("reminder-result")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^Reminders sent to {outstanding} organizations \\([0-9]+ people\\)\\.$"));
        await Expect(Page.GetByTestId("reminder-count")).ToContainTextAsync("Reminders last sent");

        // The results as reviewers see them: every figure, last year's wave beside it, and the exports.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Results", Exact = true }).ClickAsync();
        await WaitInteractiveAsync();
        var payment = Page.Locator("section[data-question='Q5']");
        await Expect(payment.Locator("tr[data-group='Statewide'] td").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[12]$"));
        await Expect(payment.Locator($"tr[data-group='Statewide, {ThisYear - 1}'] td").First).ToHaveTextAsync("4");
        await Expect(Page.GetByTestId("export-menu")).ToBeVisibleAsync();
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_answer_form_and_the_results_fit_a_phone()
    {
        await Page.SetViewportSizeAsync(390, 844);
        await LogInAsync("manager2");
        var year = ThisYear;
        var id = await App.Data.StoredAsync(db => db.SurveyInstruments.Where(i => i.Year == year && i.Audience == PalliativeToolkit.Domain.Community.SurveyAudience.Plans).Select(i => i.Id).SingleAsync());

        foreach (var path in new[] { "community/surveys", $"community/surveys/{id}/answer", $"community/surveys/{id}/results" })
        {
            await OpenAsync(path);
            await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToBeVisibleAsync();
            var sizes = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            Assert.True(sizes[0] <= sizes[1], $"{path} is {sizes[0]} px wide on a {sizes[1]} px screen");
        }

        // Sierra Vista submitted: its answers read back, the county grid corrected from the portal's counties.
        await OpenAsync($"community/surveys/{id}/answer");
        await Expect(Page.GetByTestId("survey-status")).ToContainTextAsync("Submitted on");
        await Expect(Question("Q2").GetByTestId("answer-origin")).ToHaveTextAsync("Corrected from portal data");
        await Expect(Question("Q2").Locator(".county-grid-row")).ToHaveCountAsync(4);
        await AssertAccessibleAsync();
    }
}

/// <summary>
/// Two people of one plan answer the survey at once: each one's answers reach the other on reload, and the same question
/// answered differently is shown to the second with both versions, never overwritten.
/// </summary>
public class SurveyCollaborationTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private readonly BrowserFixture _browser = browser;

    private async Task OpenFormAsync(IPage page)
    {
        var year = App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year;
        var id = await App.Data.StoredAsync(db => db.SurveyInstruments.Where(i => i.Year == year && i.Audience == PalliativeToolkit.Domain.Community.SurveyAudience.Plans)
            .Select(i => i.Id).SingleAsync());
        await page.GotoAsync($"community/surveys/{id}/answer");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("section[data-question='Q7']").WaitForAsync();
    }

    private static ILocator Barrier(IPage page) => page.Locator("section[data-question='Q7']");

    [Fact]
    public async Task A_question_two_people_answer_differently_is_not_overwritten_the_second_chooses_which_stands()
    {
        await LogInAsync("manager");
        await OpenFormAsync(Page);
        var context = await _browser.Browser.NewContextAsync(new() { BaseURL = App.BaseUrl });
        context.SetDefaultTimeout(15_000);
        try
        {
            var casey = await context.NewPageAsync();
            await LogInAsync(casey, "contributor");
            await OpenFormAsync(casey);

            // Morgan saves first; Casey, whose page still has the answer as it was, types another.
            await Barrier(Page).GetByRole(AriaRole.Textbox).FillAsync("Referrals arrive too late.");
            await Expect(Barrier(Page).GetByTestId("question-save")).ToHaveTextAsync("Saved");
            await Barrier(casey).GetByRole(AriaRole.Textbox).FillAsync("Too few partners in Solano.");

            var conflict = Barrier(casey).GetByTestId("question-conflict");
            await Expect(conflict).ToContainTextAsync("Morgan Manager saved a different answer while you were editing: Referrals arrive too late.");
            await Expect(Barrier(casey).GetByTestId("question-save")).ToHaveTextAsync("Choose a version");
            await Expect(Barrier(casey).GetByRole(AriaRole.Textbox)).ToHaveValueAsync("Too few partners in Solano.");
            await AssertAccessibleAsync(casey);
            var stored = await App.Data.StoredAsync(db => db.SurveyAnswers.Where(a => a.Value != null && a.Value.Contains("Referrals arrive")).CountAsync());
            Assert.Equal(1, stored);

            // Casey keeps theirs: saved at the version they saw, and Morgan reads it after reloading.
            await conflict.GetByRole(AriaRole.Button, new() { Name = "Keep mine for Q7" }).ClickAsync();
            await Expect(Barrier(casey).GetByTestId("question-save")).ToHaveTextAsync("Saved");
            await OpenFormAsync(Page);
            await Expect(Barrier(Page).GetByRole(AriaRole.Textbox)).ToHaveValueAsync("Too few partners in Solano.");
        }
        finally
        {
            await context.DisposeAsync();
        }
    }
}
