using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Testing;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// A plan's manager reads "Progress in California": a cycle only once it has ended, hidden while fewer than five plans
/// submitted for it by its end, shown once five had, with each small plan model still hidden; and the printable report
/// gains the section charts and the state's line.
/// </summary>
public class CaliforniaProgressTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    [Fact]
    public async Task A_plan_sees_the_state_only_in_groups_of_five_or_more_and_its_report_charts_each_section()
    {
        var thisYear = App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var lastYear = (App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The four demo plans submitted last cycle: too few to show beyond reviewers.
        await LogInAsync("manager");
        await WaitInteractiveAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Progress in California" }).ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Progress in California", Level = 1 })).ToBeVisibleAsync();
        await ChooseCycleAsync(lastYear);
        await Expect(Page.GetByTestId("progress-submitted")).ToHaveTextAsync($"4 of 4 plans submitted a self-assessment for {lastYear}.");
        await Expect(Page.GetByTestId("progress-suppressed")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("progress-A-minimum")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("export-menu")).ToHaveCountAsync(0);
        await AssertAccessibleAsync();

        // This year's cycle has not ended: beyond reviewers its figures wait for its end.
        await ChooseCycleAsync(thisYear);
        await Expect(Page.GetByTestId("progress-unpublished")).ToContainTextAsync($"Figures for {thisYear} are published once the cycle ends on December 31, {thisYear}.");
        await Expect(Page.GetByTestId("progress-submitted")).ToHaveCountAsync(0);
        await AssertAccessibleAsync();

        // A fifth plan had submitted for last cycle before it ended: the statewide figures show, as of the cycle's end;
        // each plan model (fewer than five) stays hidden.
        var fifth = await App.Data.PlanAsync("Fifth Street Health (test)");
        var fifthManager = await App.Data.UserAsync(fifth, withPassword: true);
        var submitted = await App.Data.AssessmentAsync(fifth, lastYear, Answer.Met, submit: true,
            at: new DateTime(int.Parse(lastYear, System.Globalization.CultureInfo.InvariantCulture), 12, 1, 18, 0, 0, DateTimeKind.Utc));
        await OpenAsync("progress");
        await ChooseCycleAsync(lastYear);
        await Expect(Page.GetByTestId("progress-submitted")).ToHaveTextAsync($"5 of 5 plans submitted a self-assessment for {lastYear}.");
        await Expect(Page.GetByTestId("progress-suppressed")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("progress-as-of")).ToContainTextAsync($"Figures as of the end of the cycle, December 31, {lastYear}");
        await Expect(Page.GetByTestId("progress-A-minimum")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-5] of 5 \\([0-9]+%\\)$"));
        await Expect(Page.GetByTestId("progress-models").Locator("tbody tr")).ToHaveCountAsync(4);
        await Expect(Page.GetByTestId("progress-model-suppressed")).ToHaveCountAsync(4);
        await AssertAccessibleAsync();

        // The fifth plan's printable report: a chart per section with its counts written out, and the state beside the guide's note.
        await LogOutAsync();
        await LogInAsync(Page, fifthManager.Email, TestUser.Password);
        await OpenAsync($"assessments/{submitted.Id}/report");
        var charts = Page.GetByTestId("report-section-charts");
        await Expect(charts.Locator(".section-chart")).ToHaveCountAsync(4);
        await Expect(charts.GetByTestId("report-chart-A")).ToContainTextAsync("Meets enhancement:");
        await Expect(charts.GetByTestId("report-chart-A")).ToContainTextAsync("Not started: 0");
        await Expect(charts.GetByRole(AriaRole.Img).First).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex("^Section A: .+ Meets enhancement: [0-9]+"));
        await Expect(Page.GetByTestId("report-california-A")).ToContainTextAsync(new System.Text.RegularExpressions.Regex($"In California, {lastYear}: [1-5] of the 5 plans that submitted have every element of this section at minimum or above"));
        await AssertAccessibleAsync();
    }

    private async Task ChooseCycleAsync(string cycle)
    {
        await Page.GetByTestId("progress-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = cycle, Exact = true }).ClickAsync();
    }
}
