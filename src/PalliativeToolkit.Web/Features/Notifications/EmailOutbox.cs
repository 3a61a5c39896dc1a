using MailKit.Net.Smtp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Notifications;

/// <summary>The <c>Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The hour (UTC) daily digests go out; 15 is 7 or 8 in the morning in California.</summary>
    public int DigestHourUtc { get; set; } = 15;

    /// <summary>How often the worker looks for due emails when nothing woke it.</summary>
    public int PollSeconds { get; set; } = 30;
}

/// <summary>
/// Sends what the outbox holds and queues the daily digests. Each email is claimed before it is sent (its concurrency
/// token guards the claim), so two instances never send one twice; a failure is recorded and retried after
/// <see cref="OutgoingEmail.RetryPauses"/>, then left for an administrator.
/// </summary>
public sealed class EmailOutbox(
    OperationRunner operations, IMailDelivery delivery, IOptions<EmailOptions> email, IOptions<NotificationOptions> options, IServer server, ILogger<EmailOutbox> logger)
    : IDisposable
{
    /// <summary>How long a claimed email is left alone by the other workers while this one sends it.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Dispose() => _wake.Dispose();

    /// <summary>Something was queued: the worker looks now rather than at its next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already woken, or the portal is stopping.
        }
    }

    /// <summary>Waits until woken or until the poll interval passes.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _wake.WaitAsync(TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds)), cancellationToken);

    /// <summary>Sends every email that is due; returns how many went out.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        while (await ClaimNextAsync(cancellationToken) is { } claimed)
        {
            string? failure = null;
            try
            {
                await delivery.DeliverAsync(email.Value.Compose(claimed.ToName, claimed.ToAddress, claimed.Subject, claimed.TextBody, claimed.HtmlBody), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Only the kind of failure: a server's reply can quote the address.
                failure = ex is SmtpCommandException command ? $"{ex.GetType().Name} (SMTP {(int)command.StatusCode})" : ex.GetType().Name;
            }

            // The result is recorded on the row as this worker claimed it: if the claim was lost meanwhile (the lease ran
            // out and another worker took it), the save fails on its concurrency token and the other's record stands.
            await using var op = operations.OpenAsSystem(cancellationToken);
            op.Db.OutgoingEmails.Attach(claimed);
            var row = claimed;
            if (failure is null)
            {
                row.Sent(op.Now);
                sent++;
                logger.LogInformation("Email ({Purpose}) {EmailId} sent by {Delivery}", row.Purpose, row.Id, email.Value.Delivery);
            }
            else
            {
                row.Failed(op.Now, failure);
                logger.LogError("Email ({Purpose}) {EmailId} not sent by {Delivery}: {Failure}; attempt {Attempts}, next {NextAttemptAt}", row.Purpose, row.Id, email.Value.Delivery, failure, row.Attempts, row.NextAttemptAt);
            }

            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateConcurrencyException)
            {
                // The lease ran out while this send was slow and another worker (or an administrator) took the email
                // again: its record stands.
                logger.LogWarning("Email {EmailId} was taken by another worker while this one sent it", row.Id);
            }
        }

        return sent;
    }

    private async Task<OutgoingEmail?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var op = operations.OpenAsSystem(cancellationToken);
            var now = op.Now;
            var next = await op.Db.OutgoingEmails
                .Where(e => e.SentAt == null && e.NextAttemptAt != null && e.NextAttemptAt <= now && (e.ClaimedUntil == null || e.ClaimedUntil <= now))
                .OrderBy(e => e.NextAttemptAt).FirstOrDefaultAsync(cancellationToken);
            if (next is null)
            {
                return null;
            }

            next.Claim(now + Lease);
            try
            {
                await op.SaveAsync();
                return next;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another worker took it: look again.
            }
        }

        return null;
    }

    /// <summary>
    /// Where the portal listens, for a digest's links when <see cref="EmailOptions.PortalUrl"/> is not set (only allowed in
    /// Development): no acting user's page gives an address here.
    /// </summary>
    private Uri? ListeningAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return null;
        }

        foreach (var any in new[] { "://+:", "://*:", "://0.0.0.0:", "://[::]:" })
        {
            address = address.Replace(any, "://localhost:", StringComparison.Ordinal);
        }

        return Uri.TryCreate(address.TrimEnd('/') + "/", UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary>
    /// Queues one digest email per person for the notifications that waited for it, once the day's digest hour has
    /// passed; what arrives later waits for the next day's. Returns how many digests were queued.
    /// </summary>
    public async Task<int> QueueDigestsAsync(Uri? portal = null, CancellationToken cancellationToken = default)
    {
        portal ??= ListeningAddress();
        await using var op = operations.OpenAsSystem(cancellationToken);
        var today = op.Now.Date.AddHours(Math.Clamp(options.Value.DigestHourUtc, 0, 23));
        var cutoff = op.Now >= today ? today : today.AddDays(-1);
        var waiting = await op.Db.Notifications
            .Where(n => n.Email == NotificationEmail.AwaitingDigest && n.CreatedAt < cutoff)
            .OrderBy(n => n.CreatedAt).ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return 0;
        }

        var recipients = waiting.Select(n => n.RecipientId).Distinct().ToList();
        var people = await op.Db.Users.AsNoTracking().Where(u => recipients.Contains(u.Id))
            .Select(u => new { u.Id, u.Email, u.DisplayName }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var queued = 0;
        foreach (var group in waiting.GroupBy(n => n.RecipientId))
        {
            foreach (var notification in group)
            {
                notification.Digested();
            }

            if (people.GetValueOrDefault(group.Key) is { Email: { Length: > 0 } address } person)
            {
                var items = group.Select(n => (n.Title, n.Body, NotificationEmails.Absolute(email.Value, portal, n.Link), n.CreatedAt)).ToList();
                op.Db.OutgoingEmails.Add(NotificationEmails.Digest(address, person.DisplayName, items, op.Now));
                queued++;
            }
        }

        try
        {
            await op.SaveAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another worker (this instance's or another's) marked these notifications digested first, in the same
            // transaction as its digests: they are queued once, by it.
            logger.LogInformation("Daily digests were queued by another worker");
            return 0;
        }

        logger.LogInformation("{Count} daily digests queued", queued);
        return queued;
    }
}

/// <summary>Runs the outbox: sends what is due and queues digests, when woken and at each poll. It never stops the portal.</summary>
public sealed class EmailOutboxWorker(EmailOutbox outbox, ILogger<EmailOutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await outbox.QueueDigestsAsync(cancellationToken: stoppingToken);
                await outbox.SendDueAsync(stoppingToken);
                await outbox.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The email outbox failed a round; it tries again shortly");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
