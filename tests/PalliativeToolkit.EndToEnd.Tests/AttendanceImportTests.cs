using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Operations;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// Attendance in the browser: a reviewer imports a webinar's attendee report; a malformed file is refused with its line;
/// the review step shows what matched as text (changed only on request) and lets the reviewer choose the organization of
/// the row that matched nothing;
/// the result says what was added; the event page lists the attendance and the participation page shows it. Axe on
/// every step and page.
/// </summary>
public class AttendanceImportTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    [Fact]
    public async Task A_reviewer_imports_an_attendee_report_resolving_the_row_that_matched_nothing_and_sees_the_result()
    {
        // A plan with its own mail domain, one of its people, and a webinar that took place yesterday.
        var domain = $"{Guid.NewGuid().ToString("N")[..8]}.example.org";
        var plan = await App.Data.PlanAsync($"Lakeside Health Plan {domain[..4]} (test)");
        await App.Data.UserAsync(plan, OrganizationRole.Contributor, email: $"ana@{domain}", name: "Ana Ramos");
        var title = $"Webinar with attendance {Guid.NewGuid().ToString("N")[..6]}";
        Guid eventId;
        await using (var op = App.Services.GetRequiredService<OperationRunner>().OpenAsSystem())
        {
            var time = EventTime.At(EventTime.LocalIn(op.Now, EventTime.Pacific).Date.AddDays(-1).AddHours(10), EventTime.Pacific, 60);
            var webinar = new CommunityEvent(EventKind.Webinar, title, time, "Demo topic", "Statewide support team", ["D1"], null, op.Now.AddDays(-20), "system");
            op.Db.CommunityEvents.Add(webinar);
            await op.SaveAsync();
            eventId = webinar.Id;
        }

        await LogInAsync("reviewer");
        await OpenAsync($"community/events/{eventId}");
        await Expect(Page.GetByTestId("attendance")).ToContainTextAsync("0 people attended");
        await AssertAccessibleAsync();
        await Page.GetByTestId("attendance-import").ClickAsync();
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Import attendance", Level = 1 })).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        // A malformed file: refused beside the file field, with its line.
        await Page.GetByTestId("import-input").SetInputFilesAsync(new FilePayload
        {
            Name = "broken.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("Name,Email\nAna,ana@x.example.org\n\"Unclosed,lee@x.example.org\n"),
        });
        await Page.GetByTestId("import-read").ClickAsync();
        await Expect(Page.GetByTestId("import-file-error")).ToContainTextAsync("Line 3:");
        await AssertAccessibleAsync();

        // The real report: one row matched to a person, one by domain, one that matches nothing.
        var report = $"""
            Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
            Ana's iPhone,ANA@{domain},10:00 AM,11:00 AM,60,No
            Sam Lee,sam.lee@{domain},10:05 AM,10:50 AM,45,No
            "Chen, Amy",amy.chen.{domain[..6]}@gmail.com,10:10 AM,10:40 AM,30,Yes
            """;
        await Page.GetByTestId("import-input").SetInputFilesAsync(new FilePayload { Name = "zoom_participants.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(report) });
        await Page.GetByTestId("import-read").ClickAsync();
        await Expect(Page.GetByTestId("import-review")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("review-summary")).ToContainTextAsync("3 attendees in the file: 2 matched, 1 not matched");
        await Expect(Page.Locator($"[data-testid=review-row][data-email='ana@{domain}']")).ToContainTextAsync("Matched to a portal user");
        await Expect(Page.Locator($"[data-testid=review-row][data-email='sam.lee@{domain}']")).ToContainTextAsync("Matched by e-mail domain");
        var unmatched = Page.Locator("[data-testid=review-row][data-match=Unmatched]");
        await Expect(unmatched).ToContainTextAsync("public mail service");
        await Expect(Page.GetByTestId("review-pending")).ToContainTextAsync("1 row(s) have no organization yet");
        await AssertAccessibleAsync();

        // Only the row that matched nothing offers the choice of organization; a matched row shows its match as text,
        // and opens the choice only when the reviewer asks to change it.
        var ana = Page.Locator($"[data-testid=review-row][data-email='ana@{domain}']");
        var sam = Page.Locator($"[data-testid=review-row][data-email='sam.lee@{domain}']");
        await Expect(Page.GetByTestId("review-organization")).ToHaveCountAsync(1);
        await Expect(unmatched.GetByTestId("review-organization")).ToHaveCountAsync(1);
        await Expect(ana.GetByTestId("review-matched-organization")).ToHaveTextAsync(plan.Name);
        await Expect(ana.GetByTestId("review-matched-person")).ToHaveTextAsync("Ana Ramos");
        await Expect(sam.GetByTestId("review-matched-organization")).ToHaveTextAsync(plan.Name);
        await Expect(sam.GetByTestId("review-matched-person")).ToHaveTextAsync("Not a portal user");
        await sam.GetByTestId("review-change").ClickAsync();
        await Expect(sam.GetByTestId("review-organization")).ToHaveValueAsync(plan.Id.ToString());
        await Expect(ana.GetByTestId("review-organization")).ToHaveCountAsync(0);
        await AssertAccessibleAsync();

        await unmatched.GetByTestId("review-organization").SelectOptionAsync(new SelectOptionValue { Label = plan.Name });
        await Expect(Page.GetByTestId("review-pending")).ToContainTextAsync("Every row has an organization or is skipped.");
        await AssertAccessibleAsync();
        await Page.GetByTestId("import-save").ClickAsync();

        await Expect(Page.GetByTestId("import-result")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("result-added")).ToContainTextAsync("3 added (2 matched by the portal, 1 chosen by you)");
        await Expect(Page.GetByTestId("result-present")).ToContainTextAsync("0 already recorded");
        await AssertAccessibleAsync();

        await Page.GetByTestId("result-back").ClickAsync();
        await Expect(Page.GetByTestId("attendance-row")).ToHaveCountAsync(3);
        await Expect(Page.Locator($"[data-testid=attendance-row][data-email='amy.chen.{domain[..6]}@gmail.com']")).ToContainTextAsync(plan.Name);
        // A row matched to a portal user is that user, by their portal name, whatever the meeting called them.
        await Expect(Page.Locator($"[data-testid=attendance-row][data-email='ana@{domain}']")).ToContainTextAsync("Ana Ramos");
        await Expect(Page.Locator($"[data-testid=attendance-row][data-email='ana@{domain}']")).Not.ToContainTextAsync("iPhone");
        await Expect(Page.GetByTestId("attendance-imports")).ToContainTextAsync("zoom_participants.csv");
        await AssertAccessibleAsync();

        await OpenAsync("community/participation");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Participation", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("participation-row").Filter(new() { HasText = plan.Name })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("missing-list")).ToBeVisibleAsync();
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task A_large_report_is_reviewed_a_page_of_rows_at_a_time_and_a_choice_on_a_later_page_counts()
    {
        var plan = await App.Data.PlanAsync($"Harbor Health Plan {Guid.NewGuid().ToString("N")[..4]} (test)");
        var webinar = await App.Data.PastEventAsync(2, ["D1"]);
        var report = new StringBuilder("Name,Email,Duration\n");
        for (var i = 1; i <= 150; i++)
        {
            report.Append(System.Globalization.CultureInfo.InvariantCulture, $"Attendee {i},attendee.{i}.{webinar.Id.ToString("N")[..6]}@gmail.com,40\n");
        }

        await LogInAsync("reviewer");
        await OpenAsync($"community/events/{webinar.Id}/attendance/import");
        await Page.GetByTestId("import-input").SetInputFilesAsync(new FilePayload { Name = "large.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(report.ToString()) });
        await Page.GetByTestId("import-read").ClickAsync();

        // The first hundred rows, and the way to the rest; every row counts in what is left to choose.
        await Expect(Page.GetByTestId("review-summary")).ToContainTextAsync("150 attendees in the file: 0 matched, 150 not matched");
        await Expect(Page.GetByTestId("review-row")).ToHaveCountAsync(100);
        await Expect(Page.GetByTestId("review-range")).ToHaveTextAsync("Rows 1–100 of 150");
        await Expect(Page.GetByTestId("review-previous")).ToBeDisabledAsync();
        await Expect(Page.GetByTestId("review-pending")).ToContainTextAsync("150 row(s) have no organization yet");
        await AssertAccessibleAsync();
        await Page.GetByTestId("review-next").ClickAsync();
        await Expect(Page.GetByTestId("review-range")).ToHaveTextAsync("Rows 101–150 of 150");
        // The focus goes to what the page now shows, not lost with the button that is now disabled.
        await Expect(Page.GetByTestId("review-range")).ToBeFocusedAsync();
        await Expect(Page.GetByTestId("review-row")).ToHaveCountAsync(50);
        await Expect(Page.GetByTestId("review-next")).ToBeDisabledAsync();

        // A choice on the second page is kept when the reviewer goes back and forth, and is saved.
        var last = Page.Locator("[data-testid=review-row]").Filter(new() { HasText = "Attendee 150" });
        await last.GetByTestId("review-organization").SelectOptionAsync(new SelectOptionValue { Label = plan.Name });
        await Expect(Page.GetByTestId("review-pending")).ToContainTextAsync("149 row(s) have no organization yet");
        await Page.GetByTestId("review-previous").ClickAsync();
        await Expect(Page.GetByTestId("review-range")).ToHaveTextAsync("Rows 1–100 of 150");
        await Page.GetByTestId("review-next").ClickAsync();
        await Expect(last.GetByTestId("review-organization")).ToHaveValueAsync(plan.Id.ToString());
        await AssertAccessibleAsync();
        await Page.GetByTestId("import-save").ClickAsync();
        await Expect(Page.GetByTestId("result-added")).ToContainTextAsync("1 added (0 matched by the portal, 1 chosen by you)");
        await Expect(Page.GetByTestId("result-skipped")).ToContainTextAsync("149 skipped");
    }
}
