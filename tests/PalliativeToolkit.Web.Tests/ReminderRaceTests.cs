using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Community;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Runs a step of its own just before the next claim of an event reminder (the conditional UPDATE of a registration's
/// ReminderSentFor) reaches the database: a reviewer's edit in another context lands exactly between the reminder round's
/// read and its claim, every time.
/// </summary>
public sealed class BeforeReminderClaim : DbCommandInterceptor
{
    private Func<Task>? _step;
    private int _skip;

    /// <summary>Runs <paramref name="step"/> before the next claim, or, with <paramref name="skip"/>, after that many claims went by.</summary>
    public void Arm(Func<Task> step, int skip = 0)
    {
        _skip = skip;
        _step = step;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.CommandText.Contains("ReminderSentFor", StringComparison.Ordinal) && command.CommandText.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            && _step is not null && Interlocked.Decrement(ref _skip) < 0 && Interlocked.Exchange(ref _step, null) is { } step)
        {
            await step();
        }

        return result;
    }
}

public sealed class ReminderRacePortalFactory : InterceptedPortalFactory<BeforeReminderClaim>;

/// <summary>
/// A reminder round and a reviewer's edit of the same event, interleaved deterministically (the edit lands between the
/// round's read and its claim): the reminder never goes for an event cancelled or moved meanwhile, the edit is never
/// overwritten, and the mark of a reminder sent is never lost to an edit (no second reminder for the same start).
/// </summary>
public class ReminderRaceTests(ReminderRacePortalFactory factory) : IClassFixture<ReminderRacePortalFactory>
{
    private T Service<T>() where T : notnull => factory.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    private CommunityService Community => Service<CommunityService>();

    private DateTime Now => Service<TimeProvider>().GetUtcNow().UtcDateTime;

    private async Task<(TestUser Reviewer, TestUser Manager, Guid EventId)> EventStartingSoonAsync(EventKind kind = EventKind.Webinar)
    {
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan);
        var start = EventTime.LocalIn(Now.AddHours(20), EventTime.Pacific);
        var saved = await Community.SaveAsync(reviewer.Principal, new SaveEventCommand
        {
            Kind = kind,
            Title = $"Webinar {Guid.NewGuid():N}",
            Date = start.Date,
            StartTime = new TimeSpan(start.Hour, 0, 0),
            TimeZoneId = EventTime.Pacific,
            DurationMinutes = 60,
            ElementCodes = ["D1"],
        });
        Assert.True(saved.Succeeded, saved.Message);
        Assert.True((await Community.RegisterAsync(manager.Principal, saved.Value, plan.Id, manager.Id)).Succeeded);
        return (reviewer, manager, saved.Value);
    }

    private Task<List<Notification>> NotificationsOfAsync(TestUser user, NotificationKind kind) =>
        factory.Data.StoredAsync(db => db.Notifications.Where(n => n.RecipientId == user.Id && n.Kind == kind).ToListAsync());

    [Fact]
    public async Task An_event_cancelled_between_the_rounds_read_and_its_claim_gets_no_reminder()
    {
        var (reviewer, manager, id) = await EventStartingSoonAsync();
        var version = (await Community.GetAsync(reviewer.Principal, id)).Value.Version;
        factory.Hook.Arm(async () => Assert.True((await Community.CancelAsync(reviewer.Principal, new CancelEventCommand { Id = id, ExpectedVersion = version, Reason = "The presenter is ill." })).Succeeded));

        await Service<Notifier>().EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken);

        Assert.Single(await NotificationsOfAsync(manager, NotificationKind.EventChanged));
        Assert.Empty(await NotificationsOfAsync(manager, NotificationKind.EventReminder));
        Assert.Equal(EventStatus.Cancelled, (await Community.GetAsync(reviewer.Principal, id)).Value.Status);
    }

    [Fact]
    public async Task An_event_moved_between_the_rounds_read_and_its_claim_is_reminded_at_its_new_time_only()
    {
        var (reviewer, manager, id) = await EventStartingSoonAsync();
        var moved = (await Community.EditorAsync(reviewer.Principal, id)).Value.Command;
        EventMoves.OneHourLater(moved);
        moved.Topic = "Moved by the reviewer";
        factory.Hook.Arm(async () => Assert.True((await Community.SaveAsync(reviewer.Principal, moved)).Succeeded));
        var notifier = Service<Notifier>();

        await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken);
        await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken);

        var stored = (await Community.GetAsync(reviewer.Principal, id)).Value;
        Assert.Equal("Moved by the reviewer", stored.Topic);
        var reminder = Assert.Single(await NotificationsOfAsync(manager, NotificationKind.EventReminder));
        Assert.Contains(EventClock.Pacific(stored.StartsAt), reminder.Body, StringComparison.Ordinal);
        Assert.Equal(stored.StartsAt, await factory.Data.StoredAsync(db => db.EventRegistrations.Where(r => r.EventId == id).Select(r => r.ReminderSentFor).SingleAsync()));
    }

    [Fact]
    public async Task An_edit_read_before_the_reminder_and_saved_after_it_keeps_the_reminders_mark()
    {
        var (_, manager, id) = await EventStartingSoonAsync(EventKind.SupportCall);

        // The reviewer's context reads the call and its registrations (as a change of whom the call is for does), the
        // reminder round then claims and sends, and the reviewer's context saves after it.
        await using (var reviewer = Service<OperationRunner>().OpenAsSystem())
        {
            var call = await reviewer.Db.CommunityEvents.SingleAsync(e => e.Id == id, TestContext.Current.CancellationToken);
            var registrations = await reviewer.Db.EventRegistrations.Where(r => r.EventId == id).ToListAsync(TestContext.Current.CancellationToken);
            var plan = registrations.Single().OrganizationId;
            Assert.Null(registrations.Single().ReminderSentFor);
            registrations.ForEach(r => r.FollowPlan(plan));
            call.Reschedule("Renamed while reminding", call.Time, call.Topic, call.Presenters, call.ElementCodes, plan, call.RecordingUrl, reviewer.Now);

            Assert.Equal(1, await Service<Notifier>().EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken));
            await reviewer.SaveAsync();
        }

        var stored = await factory.Data.StoredAsync(db => db.CommunityEvents.SingleAsync(e => e.Id == id));
        Assert.Equal("Renamed while reminding", stored.Title);
        Assert.Equal(stored.StartsAt, await factory.Data.StoredAsync(db => db.EventRegistrations.Where(r => r.EventId == id).Select(r => r.ReminderSentFor).SingleAsync()));
        Assert.Equal(0, await Service<Notifier>().EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken));
        Assert.Single(await NotificationsOfAsync(manager, NotificationKind.EventReminder));
    }

    private async Task<(TestUser Reviewer, TestUser First, TestUser Second, Guid EventId)> EventWithTwoRegistrantsAsync()
    {
        // Reminders of events left by earlier tests go out first, so the round below claims only this event's two.
        await Service<Notifier>().EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken);
        var (reviewer, first, id) = await EventStartingSoonAsync();
        var plan = await factory.Data.PlanAsync();
        var second = await factory.Data.UserAsync(plan);
        Assert.True((await Community.RegisterAsync(second.Principal, id, plan.Id, second.Id)).Succeeded);
        return (reviewer, first, second, id);
    }

    [Fact]
    public async Task An_event_cancelled_after_the_first_registrations_claim_gets_no_reminder_for_anyone()
    {
        var (reviewer, first, second, id) = await EventWithTwoRegistrantsAsync();
        var version = (await Community.GetAsync(reviewer.Principal, id)).Value.Version;
        factory.Hook.Arm(async () => Assert.True((await Community.CancelAsync(reviewer.Principal, new CancelEventCommand { Id = id, ExpectedVersion = version, Reason = "The presenter is ill." })).Succeeded),
            skip: 1);

        Assert.Equal(0, await Service<Notifier>().EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken));

        foreach (var registrant in new[] { first, second })
        {
            Assert.Single(await NotificationsOfAsync(registrant, NotificationKind.EventChanged));
            Assert.Empty(await NotificationsOfAsync(registrant, NotificationKind.EventReminder));
        }

        Assert.Equal(EventStatus.Cancelled, (await Community.GetAsync(reviewer.Principal, id)).Value.Status);
    }

    [Fact]
    public async Task An_event_moved_after_the_first_registrations_claim_is_reminded_at_its_new_time_only()
    {
        var (reviewer, first, second, id) = await EventWithTwoRegistrantsAsync();
        var moved = (await Community.EditorAsync(reviewer.Principal, id)).Value.Command;
        EventMoves.OneHourLater(moved);
        factory.Hook.Arm(async () => Assert.True((await Community.SaveAsync(reviewer.Principal, moved)).Succeeded), skip: 1);
        var notifier = Service<Notifier>();

        Assert.Equal(0, await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken));
        Assert.Equal(2, await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken));

        var stored = (await Community.GetAsync(reviewer.Principal, id)).Value;
        foreach (var registrant in new[] { first, second })
        {
            var reminder = Assert.Single(await NotificationsOfAsync(registrant, NotificationKind.EventReminder));
            Assert.Contains(EventClock.Pacific(stored.StartsAt), reminder.Body, StringComparison.Ordinal);
        }

        Assert.All(await factory.Data.StoredAsync(db => db.EventRegistrations.Where(r => r.EventId == id).Select(r => r.ReminderSentFor).ToListAsync()),
            sent => Assert.Equal(stored.StartsAt, sent));
    }

    [Fact]
    public async Task An_event_left_alone_reminds_each_registrant_once()
    {
        var (_, first, second, _) = await EventWithTwoRegistrantsAsync();
        var notifier = Service<Notifier>();

        Assert.Equal(2, await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken));
        Assert.Equal(0, await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken));

        Assert.Single(await NotificationsOfAsync(first, NotificationKind.EventReminder));
        Assert.Single(await NotificationsOfAsync(second, NotificationKind.EventReminder));
    }
}
