using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// Attendance linked to progress: a reviewer sees, per element, the plans that attended a session covering it and how
/// their level changed beside the others, named; a plan's manager sees the same figures without names, a small group
/// hidden with its counterpart, and the page says it shows an association, not an effect.
/// </summary>
public class AttendanceProgressTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    [Fact]
    public async Task A_reviewer_sees_who_attended_and_how_their_level_changed_and_a_plan_sees_the_same_figures_unnamed_with_small_groups_hidden()
    {
        // Eleven plans assessed in two cycles some years back, both rounds submitted within the later one (so that it stands
        // as it did at its end for everyone): six rose from below minimum to enhancement, five stayed at enhancement. The
        // six attended a webinar on D1 between their two rounds; two of them a convening on A1 too.
        var today = DateOnly.FromDateTime(App.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var year = today.Year - 4;
        var (previous, cycle) = ($"{year - 1}", $"{year}");
        int DaysAgo(int month) => today.DayNumber - new DateOnly(year, month, 1).DayNumber;
        var plans = new List<Organization>();
        for (var i = 0; i < 11; i++)
        {
            var plan = await App.Data.PlanAsync($"Attending Plan {i:00} (test)");
            plans.Add(plan);
            await App.Data.TwoRoundsAsync(plan, previous, i < 6 ? Answer.NotMet : Answer.Met, DaysAgo(2), cycle, DaysAgo(9));
        }

        var webinar = await App.Data.PastEventAsync(DaysAgo(5), ["D1"]);
        await App.Data.AttendedAsync(webinar.Id, plans.Take(6));
        var convening = await App.Data.PastEventAsync(DaysAgo(6), ["A1"], EventKind.Convening);
        await App.Data.AttendedAsync(convening.Id, plans.Take(2));

        await LogInAsync("reviewer");
        await OpenAsync("community");
        await Page.GetByTestId("attendance-progress-link").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Attendance and progress", Level = 1 })).ToBeVisibleAsync();
        await WaitInteractiveAsync();
        await ChooseCycleAsync(cycle);
        await Expect(Page.GetByTestId("attendance-progress-period")).ToContainTextAsync($"Change in level from {previous} to {cycle}");
        await Expect(Page.GetByTestId("association-note")).ToContainTextAsync("an association, not an effect");
        await Expect(Page.GetByTestId("improved-D1-minimum")).ToHaveTextAsync("6 of 6 (100%)");
        await Expect(Page.GetByTestId("improved-D1-enhancement")).ToHaveTextAsync("0 of 5 (0%)");
        var d1 = Page.GetByTestId("attendance-progress-table").Locator("tbody tr[data-element=D1]");
        await Expect(d1.Locator("td")).ToHaveTextAsync(["1", "6", "6", "0", "0", "5", "0", "5", "0", string.Join(", ", plans.Take(6).Select(p => p.Name))]);
        var a1 = Page.GetByTestId("attendance-progress-table").Locator("tbody tr[data-element=A1]");
        await Expect(a1.Locator("td").Last).ToHaveTextAsync($"{plans[0].Name}, {plans[1].Name}");
        await AssertAccessibleAsync();
        await LogOutAsync();

        // A plan's manager: the same D1 figures, nobody named; A1's two attending plans are too few, and so hide the others too.
        await LogInAsync("manager");
        await OpenAsync("community/attendance-progress");
        await WaitInteractiveAsync();
        await ChooseCycleAsync(cycle);
        await Expect(Page.GetByTestId("attendance-progress-period")).ToContainTextAsync($"Figures as of the end of {cycle}, December 31, {year}");
        await Expect(Page.GetByTestId("improved-D1-minimum")).ToHaveTextAsync("6 of 6 (100%)");
        await Expect(Page.GetByTestId("improved-A1-minimum")).ToHaveTextAsync("Not shown: too few organizations");
        await Expect(Page.GetByTestId("improved-A1-enhancement")).ToHaveTextAsync("Not shown: too few organizations");
        await Expect(Page.GetByTestId("attendance-progress-suppression")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Columnheader, new() { Name = "Organizations that attended" })).ToHaveCountAsync(0);
        await Expect(Page.GetByText("Attending Plan", new() { Exact = false })).ToHaveCountAsync(0);
        await AssertAccessibleAsync();

        // This year's cycle has not ended: beyond reviewers it waits for its end.
        await ChooseCycleAsync($"{today.Year}");
        await Expect(Page.GetByTestId("attendance-progress-unpublished")).ToContainTextAsync($"published once the cycle ends on December 31, {today.Year}");
        await Expect(Page.GetByTestId("attendance-progress-table")).ToHaveCountAsync(0);
        await ChooseCycleAsync(cycle);

        await Page.SetViewportSizeAsync(390, 844);
        await Expect(Page.GetByTestId("attendance-progress-table")).ToBeAttachedAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
    }

    private async Task ChooseCycleAsync(string cycle)
    {
        await Page.GetByTestId("attendance-progress-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = cycle, Exact = true }).ClickAsync();
    }
}
