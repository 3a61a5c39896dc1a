using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Tests;

/// <summary>A mail delivery a test can make fail, as an SMTP server that is down would.</summary>
public sealed class SwitchableDelivery(IMailDelivery inner) : IMailDelivery
{
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken = default) =>
        _down ? throw new IOException("The mail server did not answer.") : inner.DeliverAsync(message, cancellationToken);
}

/// <summary>The portal on a clock the test moves, with a mail server the test can take down.</summary>
public sealed class NotificationPortalFactory : PortalFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 18, 0, 0, TimeSpan.Zero));

    public SwitchableDelivery Delivery => Services.GetRequiredService<SwitchableDelivery>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            var pickup = services.Last(d => d.ServiceType == typeof(IMailDelivery));
            services.Remove(pickup);
            services.AddSingleton(sp => new SwitchableDelivery((IMailDelivery)(pickup.ImplementationFactory?.Invoke(sp) ?? pickup.ImplementationInstance!)));
            services.AddSingleton<IMailDelivery>(sp => sp.GetRequiredService<SwitchableDelivery>());
        });
    }
}

/// <summary>
/// Notifications: managers hear when their assessment is returned (with the feedback) or accepted, reviewers when one is
/// submitted; in the app and by email, each kind can be turned off, a daily digest replaces one mail per event, and a
/// failed send is retried and shown to administrators without ever failing the action.
/// </summary>
public class NotificationTests(NotificationPortalFactory factory) : IClassFixture<NotificationPortalFactory>
{
    private AssessmentService Assessments => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AssessmentService>();

    private NotificationService Notifications => factory.Services.CreateScope().ServiceProvider.GetRequiredService<NotificationService>();

    private EmailOutbox Outbox => factory.Services.GetRequiredService<EmailOutbox>();

    private TestData Data => factory.Data;

    private sealed record Plan(Organization Organization, TestUser Manager, TestUser OtherManager, TestUser Contributor, TestUser Reviewer, Assessment Assessment);

    private async Task<Plan> SubmittedPlanAsync()
    {
        var organization = await Data.PlanAsync();
        var plan = new Plan(
            organization,
            await Data.UserAsync(organization, OrganizationRole.Manager),
            await Data.UserAsync(organization, OrganizationRole.Manager),
            await Data.UserAsync(organization, OrganizationRole.Contributor),
            await Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer),
            await Data.AssessmentAsync(organization, answerAll: Answer.Met));
        Assert.True((await Assessments.SubmitAsync(plan.Manager.Principal, plan.Assessment.Id, new Uri("http://portal.test/"))).Succeeded);
        return plan;
    }

    private Task<List<Notification>> NotificationsOfAsync(TestUser user) =>
        Data.StoredAsync(db => db.Notifications.Where(n => n.RecipientId == user.Id).OrderBy(n => n.CreatedAt).ToListAsync());

    private Task<List<OutgoingEmail>> EmailsToAsync(TestUser user) =>
        Data.StoredAsync(db => db.OutgoingEmails.Where(e => e.ToAddress == user.Email).ToListAsync());

    /// <summary>
    /// The one email to <paramref name="user"/>, once sent. The outbox's worker runs when woken (a retry) and when the
    /// clock moves, alongside the test's own round: whichever claims the email sends it, so the test's round can return
    /// having found it taken while the worker is still sending it.
    /// </summary>
    private async Task<OutgoingEmail> SentToAsync(TestUser user) =>
        Assert.Single(await Poll.UntilAsync(() => EmailsToAsync(user), emails => emails is [{ SentAt: not null }], TimeSpan.FromSeconds(30),
            emails => $"Not sent: {string.Join(", ", emails.Select(e => $"{e.Attempts} attempts, gave up {e.GaveUp}"))}", TestContext.Current.CancellationToken));

    [Fact]
    public async Task A_return_tells_every_manager_in_the_app_and_by_email_with_the_feedback_and_nobody_else()
    {
        var plan = await SubmittedPlanAsync();

        var returned = await Assessments.ReturnAsync(plan.Reviewer.Principal, new ReturnAssessmentCommand
        {
            AssessmentId = plan.Assessment.Id,
            GeneralFeedback = "Describe how referrals are tracked.\nAttach the referral form.",
        }, new Uri("http://portal.test/"));

        Assert.True(returned.Succeeded, returned.Message);
        var title = $"{plan.Organization.Name} 2026 was returned with feedback";
        foreach (var manager in new[] { plan.Manager, plan.OtherManager })
        {
            var notification = Assert.Single(await NotificationsOfAsync(manager), n => n.Kind == NotificationKind.AssessmentReturned);
            Assert.Equal(title, notification.Title);
            Assert.Contains("Describe how referrals are tracked.\nAttach the referral form.", notification.Body, StringComparison.Ordinal);
            Assert.Equal($"assessments/{plan.Assessment.Id}", notification.Link);

            var mail = await Mailbox.WaitForAsync(factory.MailFolder, manager.Email, $"PalliativeToolkit: {title}");
            Assert.Contains("Attach the referral form.", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains($"http://portal.test/assessments/{plan.Assessment.Id}", mail.TextBody, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(await NotificationsOfAsync(plan.Contributor), n => n.Kind == NotificationKind.AssessmentReturned);
        Assert.DoesNotContain(await NotificationsOfAsync(plan.Reviewer), n => n.Kind == NotificationKind.AssessmentReturned);

        // The list and the unread count are the manager's own.
        var list = await Notifications.ListAsync(plan.Manager.Principal);
        Assert.Contains(list.Value.Items, i => i.Title == title && !i.IsRead);
        Assert.DoesNotContain(list.Value.Items, i => i.Kind == NotificationKind.AssessmentSubmitted);
        Assert.Equal(list.Value.Unread, await Notifications.UnreadAsync(plan.Manager.Principal));
        var other = (await Notifications.ListAsync(plan.Contributor.Principal)).Value;
        Assert.DoesNotContain(other.Items, i => i.Title == title);
    }

    [Fact]
    public async Task A_submission_tells_the_reviewers_but_not_the_manager_who_submitted_and_reading_clears_the_count()
    {
        var plan = await SubmittedPlanAsync();

        var told = Assert.Single(await NotificationsOfAsync(plan.Reviewer), n => n.AssessmentId == plan.Assessment.Id);
        Assert.Equal(NotificationKind.AssessmentSubmitted, told.Kind);
        Assert.Equal($"{plan.Organization.Name} 2026 was submitted for review", told.Title);
        Assert.Empty(await NotificationsOfAsync(plan.Manager));

        Assert.Equal(1, await Notifications.UnreadAsync(plan.Reviewer.Principal));
        Assert.True((await Notifications.MarkReadAsync(plan.Reviewer.Principal, told.Id)).Succeeded);
        Assert.Equal(0, await Notifications.UnreadAsync(plan.Reviewer.Principal));

        // Nobody marks someone else's notification read.
        var stranger = await Notifications.MarkReadAsync(plan.Manager.Principal, told.Id);
        Assert.False(stranger.Succeeded);
    }

    [Fact]
    public async Task A_kind_turned_off_is_neither_listed_nor_emailed_and_a_digest_replaces_one_mail_per_event()
    {
        var plan = await SubmittedPlanAsync();
        Assert.True((await Notifications.SaveChoicesAsync(plan.Manager.Principal, new NotificationChoices
        {
            Wanted = [NotificationKind.AssessmentSubmitted, NotificationKind.AssessmentAccepted],
        })).Succeeded);
        Assert.True((await Notifications.SaveChoicesAsync(plan.OtherManager.Principal, new NotificationChoices { DailyDigest = true })).Succeeded);
        var choices = (await Notifications.ChoicesAsync(plan.Manager.Principal)).Value;
        Assert.DoesNotContain(NotificationKind.AssessmentReturned, choices.Wanted);

        Assert.True((await Assessments.ReturnAsync(plan.Reviewer.Principal, new ReturnAssessmentCommand { AssessmentId = plan.Assessment.Id, GeneralFeedback = "More, please." })).Succeeded);

        Assert.Empty(await NotificationsOfAsync(plan.Manager));
        Assert.Empty(await EmailsToAsync(plan.Manager));
        var waiting = Assert.Single(await NotificationsOfAsync(plan.OtherManager));
        Assert.Equal(NotificationEmail.AwaitingDigest, waiting.Email);
        Assert.Empty(await EmailsToAsync(plan.OtherManager));

        // The next morning's digest carries it, once.
        factory.Clock.Advance(TimeSpan.FromDays(1));
        await Outbox.QueueDigestsAsync(new Uri("http://portal.test/"), TestContext.Current.CancellationToken);
        await Outbox.QueueDigestsAsync(new Uri("http://portal.test/"), TestContext.Current.CancellationToken);
        var digest = Assert.Single(await EmailsToAsync(plan.OtherManager));
        Assert.Equal($"PalliativeToolkit daily digest: {plan.Organization.Name} 2026 was returned with feedback", digest.Subject);
        Assert.Contains("More, please.", digest.TextBody, StringComparison.Ordinal);
        Assert.Equal(NotificationEmail.Digested, Assert.Single(await NotificationsOfAsync(plan.OtherManager)).Email);
    }

    [Fact]
    public async Task A_failed_send_never_fails_the_action_is_retried_and_shows_in_the_administrators_outbox()
    {
        var plan = await SubmittedPlanAsync();
        var admin = await Data.UserAsync(globalRole: GlobalRoles.Administrator);
        factory.Delivery.Down = true;
        try
        {
            var accepted = await Assessments.AcceptAsync(plan.Reviewer.Principal, plan.Assessment.Id);
            Assert.True(accepted.Succeeded, accepted.Message);
            Assert.Equal(AssessmentStatus.Accepted, await Data.StoredAsync(db => db.Assessments.Where(a => a.Id == plan.Assessment.Id).Select(a => a.Status).SingleAsync()));

            await Outbox.SendDueAsync(TestContext.Current.CancellationToken);
            var failed = await Poll.UntilAsync(
                async () => (await EmailsToAsync(plan.Manager)).SingleOrDefault(),
                e => e is { Attempts: > 0, SentAt: null }, TimeSpan.FromSeconds(15), e => $"The email was not tried: {e?.Attempts}");
            Assert.Equal("IOException", failed!.LastError);
            Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime + OutgoingEmail.RetryPauses[0], failed.NextAttemptAt);

            var outbox = await Notifications.OutboxAsync(admin.Principal);
            Assert.Contains(outbox.Value, e => e.Id == failed.Id && e.State == "Failed — will retry" && e.LastError == "IOException");
            Assert.False((await Notifications.OutboxAsync(plan.Manager.Principal)).Succeeded);
        }
        finally
        {
            factory.Delivery.Down = false;
        }

        // The server is back: a minute later the retry goes out.
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await Outbox.SendDueAsync(TestContext.Current.CancellationToken);
        await SentToAsync(plan.Manager);
        await Mailbox.WaitForAsync(factory.MailFolder, plan.Manager.Email, $"PalliativeToolkit: {plan.Organization.Name} 2026 was accepted");
    }

    [Fact]
    public async Task An_email_that_gave_up_waits_for_an_administrator_who_sends_it_again()
    {
        var plan = await SubmittedPlanAsync();
        var admin = await Data.UserAsync(globalRole: GlobalRoles.Administrator);
        factory.Delivery.Down = true;
        OutgoingEmail? email;
        try
        {
            Assert.True((await Assessments.AcceptAsync(plan.Reviewer.Principal, plan.Assessment.Id)).Succeeded);
            for (var attempt = 0; attempt <= OutgoingEmail.RetryPauses.Count; attempt++)
            {
                await Outbox.SendDueAsync(TestContext.Current.CancellationToken);
                factory.Clock.Advance(TimeSpan.FromHours(7));
            }

            email = Assert.Single(await EmailsToAsync(plan.Manager));
            Assert.True(email.GaveUp);
            Assert.Equal(OutgoingEmail.RetryPauses.Count + 1, email.Attempts);
            Assert.Contains((await Notifications.OutboxAsync(admin.Principal)).Value, e => e.Id == email.Id && e.State == "Failed — gave up");
        }
        finally
        {
            factory.Delivery.Down = false;
        }

        Assert.False((await Notifications.RetryAsync(plan.Manager.Principal, email.Id)).Succeeded);
        Assert.True((await Notifications.RetryAsync(admin.Principal, email.Id)).Succeeded);
        await Outbox.SendDueAsync(TestContext.Current.CancellationToken);

        await SentToAsync(plan.Manager);
        var again = await Notifications.RetryAsync(admin.Principal, email.Id);
        Assert.Contains("already sent", again.Message, StringComparison.Ordinal);
    }
}
