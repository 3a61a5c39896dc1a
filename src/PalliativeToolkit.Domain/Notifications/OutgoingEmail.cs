using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Notifications;

/// <summary>
/// An email the portal has to send (the outbox): written with the event it reports, sent by a background worker, and
/// retried with growing pauses when the mail server fails. Administrators see what is waiting or failed and can retry.
/// </summary>
public class OutgoingEmail : Entity
{
    /// <summary>Pauses before each retry; after the last, the email waits for an administrator.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetryPauses =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)];

    private OutgoingEmail()
    {
        ToAddress = ToName = Subject = TextBody = HtmlBody = Purpose = string.Empty;
    }

    public OutgoingEmail(string toAddress, string toName, string subject, string textBody, string htmlBody, string purpose, DateTime createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toAddress);
        ToAddress = toAddress;
        ToName = toName ?? string.Empty;
        Subject = subject;
        TextBody = textBody;
        HtmlBody = htmlBody;
        Purpose = purpose;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt;
    }

    public string ToAddress { get; private set; }
    public string ToName { get; private set; }
    public string Subject { get; private set; }
    public string TextBody { get; private set; }
    public string HtmlBody { get; private set; }

    /// <summary>What it is for (notification, digest), for logs and the administrators' list.</summary>
    public string Purpose { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public int Attempts { get; private set; }

    /// <summary>When the worker tries it next; null once sent or given up.</summary>
    public DateTime? NextAttemptAt { get; private set; }
    public DateTime? SentAt { get; private set; }

    /// <summary>A worker is sending it until then (a lease): no other worker takes it, and it cannot be retried meanwhile.</summary>
    public DateTime? ClaimedUntil { get; private set; }

    /// <summary>Why the last attempt failed (the kind of failure only: a server's reply can quote the address).</summary>
    public string? LastError { get; private set; }

    public bool GaveUp => SentAt is null && NextAttemptAt is null;

    /// <summary>A worker takes it to send: the others leave it alone until <paramref name="until"/>.</summary>
    public void Claim(DateTime until)
    {
        ClaimedUntil = until;
        Touch();
    }

    public bool IsBeingSent(DateTime now) => ClaimedUntil > now;

    public void Sent(DateTime at)
    {
        Attempts++;
        SentAt = at;
        NextAttemptAt = null;
        ClaimedUntil = null;
        LastError = null;
    }

    public void Failed(DateTime at, string error)
    {
        Attempts++;
        ClaimedUntil = null;
        LastError = error.Length <= Limits.ShortText ? error : error[..Limits.ShortText];
        NextAttemptAt = Attempts <= RetryPauses.Count ? at + RetryPauses[Attempts - 1] : null;
    }

    /// <summary>An administrator asks for another try now.</summary>
    public void RetryNow(DateTime at)
    {
        if (SentAt is not null)
        {
            throw new DomainException("That email was already sent.");
        }

        if (IsBeingSent(at))
        {
            throw new DomainException("That email is being sent right now; look again in a minute.");
        }

        NextAttemptAt = at;
    }
}
