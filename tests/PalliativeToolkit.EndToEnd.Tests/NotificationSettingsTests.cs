using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>The notification choices on My account, and the administrators' email outbox.</summary>
public class NotificationSettingsTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    [Fact]
    public async Task A_manager_turns_off_one_kind_and_chooses_the_daily_digest_on_my_account()
    {
        await LogInAsync("manager2");
        await Page.GotoAsync("Account/Manage");
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Account settings" }).GetByRole(AriaRole.Link, new() { Name = "Notifications" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Notifications" })).ToBeVisibleAsync();
        var accepted = Page.GetByLabel("Your organization's assessment is accepted (managers)");
        await Expect(accepted).ToBeCheckedAsync();
        await AssertAccessibleAsync();

        await accepted.UncheckAsync();
        await Page.GetByLabel("One daily digest email instead").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save notification choices" }).ClickAsync();

        await Expect(Page.GetByText("Your notification choices were saved.")).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("Your organization's assessment is accepted (managers)")).Not.ToBeCheckedAsync();
        await Expect(Page.GetByLabel("Your organization's assessment is returned with feedback (managers)")).ToBeCheckedAsync();
        await Expect(Page.GetByLabel("One daily digest email instead")).ToBeCheckedAsync();
        var stored = await App.Data.StoredAsync(db => db.NotificationSettings.SingleAsync(s => db.Users.Any(u => u.Id == s.UserId && u.Email == $"manager2@{Domain}")));
        Assert.False(stored.Wants(NotificationKind.AssessmentAccepted));
        Assert.True(stored.Wants(NotificationKind.AssessmentReturned));
        // Every kind is on the page, so saving turns off only what was unticked.
        Assert.True(stored.Wants(NotificationKind.FeedbackFromReviewer));
        Assert.True(stored.Wants(NotificationKind.ActionItemAssigned));
        Assert.True(stored.Wants(NotificationKind.ActionItemDueSoon));
        Assert.All(NotificationKinds.All.Where(k => k != NotificationKind.AssessmentAccepted), k => Assert.True(stored.Wants(k), $"{k} was turned off by a save that left it alone"));
        foreach (var kind in NotificationKinds.All.Where(k => k != NotificationKind.AssessmentAccepted))
        {
            await Expect(Page.GetByLabel(kind.Describe(), new() { Exact = true })).ToBeCheckedAsync();
        }

        Assert.True(stored.DailyDigest);
    }

    [Fact]
    public async Task An_administrator_sees_the_outbox_with_what_was_sent()
    {
        // A plan submits: every reviewer is emailed.
        var plan = await App.Data.PlanAsync();
        var manager = await App.Data.UserAsync(plan);
        var assessment = await App.Data.AssessmentAsync(plan, answerAll: Answer.Met);
        using (var scope = App.Services.CreateScope())
        {
            var submitted = await scope.ServiceProvider.GetRequiredService<AssessmentService>().SubmitAsync(manager.Principal, assessment.Id, new Uri(App.BaseUrl));
            Assert.True(submitted.Succeeded, submitted.Message);
        }

        await Mailbox.WaitForAsync(App.MailFolder, $"reviewer@{Domain}", $"PalliativeToolkit: {plan.Name} 2026 was submitted for review");

        await LogInAsync("admin");
        await OpenAsync("admin");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Email outbox" }).ClickAsync();
        var row = Page.GetByTestId("outbox-row").Filter(new() { HasText = $"reviewer@{Domain}" }).Filter(new() { HasText = plan.Name });
        await Expect(row).ToContainTextAsync("Sent");
        await Expect(row).ToContainTextAsync($"{plan.Name} 2026 was submitted for review");
        await AssertAccessibleAsync();
    }
}
