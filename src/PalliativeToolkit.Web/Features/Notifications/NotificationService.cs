using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Notifications;

/// <summary>A person's notifications and choices, and the outbox for administrators. The database shows each person only their own.</summary>
public sealed class NotificationService(OperationRunner operations, EmailOutbox outbox, IPersonalSignals signals)
{
    private const int ListSize = 100;

    public Task<Outcome<NotificationList>> ListAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<NotificationList>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to see your notifications.");
            }

            var items = await op.Db.Notifications.AsNoTracking()
                .OrderByDescending(n => n.CreatedAt).Take(ListSize)
                .Select(n => new NotificationItem(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt != null))
                .ToListAsync(op.Cancellation);
            var unread = await op.Db.Notifications.CountAsync(n => n.ReadAt == null, op.Cancellation);
            return new NotificationList(items, unread);
        }, cancellationToken);

    /// <summary>The number in the app bar. Zero for anyone not signed in.</summary>
    public async Task<int> UnreadAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var outcome = await operations.RunAsync<int>(principal, async op =>
            op.Viewer.IsAuthenticated ? await op.Db.Notifications.CountAsync(n => n.ReadAt == null, op.Cancellation) : 0, cancellationToken);
        return outcome.Succeeded ? outcome.Value : 0;
    }

    /// <summary>Marks one notification (or, with null, all of them) read.</summary>
    public Task<Outcome<Done>> MarkReadAsync(ClaimsPrincipal principal, Guid? id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            var unread = await op.Db.Notifications.Where(n => n.ReadAt == null && (id == null || n.Id == id)).ToListAsync(op.Cancellation);
            if (id is not null && unread.Count == 0 && !await op.Db.Notifications.AnyAsync(n => n.Id == id, op.Cancellation))
            {
                return Failure.Missing("That notification does not exist.");
            }

            foreach (var notification in unread)
            {
                notification.MarkRead(op.Now);
            }

            await op.SaveAsync();
            signals.Tell(op.Viewer.UserId);
            return Done.Value;
        }, cancellationToken);

    public Task<Outcome<NotificationChoices>> ChoicesAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<NotificationChoices>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to choose your notifications.");
            }

            var settings = await op.Db.NotificationSettings.AsNoTracking().SingleOrDefaultAsync(op.Cancellation);
            return settings is null
                ? new NotificationChoices()
                : new NotificationChoices { Wanted = [.. NotificationKinds.All.Where(settings.Wants)], DailyDigest = settings.DailyDigest };
        }, cancellationToken);

    public Task<Outcome<Done>> SaveChoicesAsync(ClaimsPrincipal principal, NotificationChoices choices, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            ArgumentNullException.ThrowIfNull(choices);
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to choose your notifications.");
            }

            var settings = await op.Db.NotificationSettings.SingleOrDefaultAsync(op.Cancellation);
            if (settings is null)
            {
                settings = new NotificationSettings(op.Viewer.UserId);
                op.Db.NotificationSettings.Add(settings);
            }

            settings.Choose(choices.Wanted.Where(Enum.IsDefined), choices.DailyDigest);
            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);

    /// <summary>The outbox for administrators: what waits, failed or was sent lately, newest first.</summary>
    public Task<Outcome<IReadOnlyList<OutboxItem>>> OutboxAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<OutboxItem>>(principal, async op =>
        {
            op.Demand(Permission.Administer, "Only an administrator can see the email outbox.");
            var now = op.Now;
            return await op.Db.OutgoingEmails.AsNoTracking()
                .OrderBy(e => e.SentAt != null).ThenByDescending(e => e.CreatedAt).Take(200)
                .Select(e => new OutboxItem(e.Id, e.ToAddress, e.Subject, e.Purpose, e.CreatedAt, e.Attempts, e.NextAttemptAt, e.SentAt, e.LastError, e.ClaimedUntil != null && e.ClaimedUntil > now))
                .ToListAsync(op.Cancellation);
        }, cancellationToken);

    /// <summary>An administrator sends a failed email again now.</summary>
    public Task<Outcome<Done>> RetryAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.Administer, "Only an administrator can retry an email.");
            var email = await op.Db.OutgoingEmails.SingleOrDefaultAsync(e => e.Id == id, op.Cancellation);
            if (email is null)
            {
                return Failure.Missing("That email is not in the outbox.");
            }

            email.RetryNow(op.Now);
            await op.SaveAsync();
            outbox.Wake();
            return Done.Value;
        }, cancellationToken);
}
