using PalliativeToolkit.Domain.Notifications;

namespace PalliativeToolkit.Web.Features.Notifications;

public sealed record NotificationItem(Guid Id, NotificationKind Kind, string Title, string Body, string Link, DateTime CreatedAt, bool IsRead);

public sealed record NotificationList(IReadOnlyList<NotificationItem> Items, int Unread);

/// <summary>My account's notification choices: the kinds wanted (the others are off) and one daily email instead of one per event.</summary>
public sealed class NotificationChoices
{
    public HashSet<NotificationKind> Wanted { get; init; } = [.. NotificationKinds.All];
    public bool DailyDigest { get; set; }
}

/// <summary>An email in the outbox as administrators see it (no body: it may hold a plan's feedback).</summary>
public sealed record OutboxItem(Guid Id, string To, string Subject, string Purpose, DateTime CreatedAt, int Attempts, DateTime? NextAttemptAt, DateTime? SentAt, string? LastError, bool Sending)
{
    public string State => SentAt is not null ? "Sent" : Sending ? "Sending" : NextAttemptAt is null ? "Failed — gave up" : Attempts > 0 ? "Failed — will retry" : "Waiting";

    /// <summary>An administrator may send it again now: not sent, and no worker is sending it.</summary>
    public bool CanRetry => SentAt is null && !Sending;
}
