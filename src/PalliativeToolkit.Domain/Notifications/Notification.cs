using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Notifications;

/// <summary>The events a person can be told about. Each can be turned off on My account.</summary>
public enum NotificationKind
{
    /// <summary>To statewide reviewers: a plan submitted an assessment for review.</summary>
    AssessmentSubmitted = 1,

    /// <summary>To the organization's managers: a reviewer returned their assessment with feedback.</summary>
    AssessmentReturned = 2,

    /// <summary>To the organization's managers: a reviewer accepted their assessment.</summary>
    AssessmentAccepted = 3,

    /// <summary>To a member: an action item was assigned to them.</summary>
    ActionItemAssigned = 4,

    /// <summary>To an action item's owner: it is due soon (or overdue).</summary>
    ActionItemDueSoon = 5,

    /// <summary>To the organization's managers and contributors: a reviewer opened, answered, resolved or reopened a feedback thread on their assessment.</summary>
    FeedbackFromReviewer = 6,

    /// <summary>To the reviewers in a feedback thread: the organization answered, resolved or reopened it.</summary>
    FeedbackFromOrganization = 7,

    /// <summary>To a person registered for a learning-community event: it starts soon.</summary>
    EventReminder = 8,

    /// <summary>To a person registered for a learning-community event: it was cancelled or moved to another time.</summary>
    EventChanged = 9,
    /// <summary>To an organization's managers and contributors: a statewide reviewer reminds them to answer the open survey.</summary>
    SurveyReminder = 12,
}

/// <summary>How a notification reaches its recipient by email.</summary>
public enum NotificationEmail
{
    /// <summary>Queued as its own email when it was made.</summary>
    Queued = 1,

    /// <summary>Waits for the recipient's daily digest.</summary>
    AwaitingDigest = 2,

    /// <summary>Included in a digest that was queued.</summary>
    Digested = 3,
}

public static class NotificationKinds
{
    public static IReadOnlyList<NotificationKind> All { get; } = Enum.GetValues<NotificationKind>();

    /// <summary>The kind as My account names it.</summary>
    public static string Describe(this NotificationKind kind) => kind switch
    {
        NotificationKind.AssessmentSubmitted => "An assessment is submitted for review (statewide reviewers)",
        NotificationKind.AssessmentReturned => "Your organization's assessment is returned with feedback (managers)",
        NotificationKind.AssessmentAccepted => "Your organization's assessment is accepted (managers)",
        NotificationKind.ActionItemAssigned => "An action item is assigned to you",
        NotificationKind.ActionItemDueSoon => "An action item you own is due soon",
        NotificationKind.FeedbackFromReviewer => "A statewide reviewer writes in a feedback thread on your organization's assessment (managers and contributors)",
        NotificationKind.FeedbackFromOrganization => "An organization answers a feedback thread you wrote in (statewide reviewers)",
        NotificationKind.EventReminder => "A learning-community event you are registered for starts soon",
        NotificationKind.EventChanged => "A learning-community event you are registered for is cancelled or moved",
        NotificationKind.SurveyReminder => "A reminder to answer your organization's annual survey (managers and contributors)",
        _ => kind.ToString(),
    };
}

/// <summary>Something a person is told in the portal's list (with an unread count in the app bar), and by email unless they turned it off.</summary>
public class Notification : Entity
{
    private Notification()
    {
        RecipientId = Title = Body = Link = string.Empty;
    }

    public Notification(string recipientId, NotificationKind kind, Guid? assessmentId, string title, string body, string link, DateTime createdAt, NotificationEmail email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        RecipientId = recipientId;
        Kind = kind;
        AssessmentId = assessmentId;
        Title = Truncate(title, Limits.Title);
        Body = Truncate(body ?? string.Empty, Limits.NotificationBody);
        Link = link ?? string.Empty;
        CreatedAt = createdAt;
        Email = email;
    }

    public string RecipientId { get; private set; }
    public NotificationKind Kind { get; private set; }
    public Guid? AssessmentId { get; private set; }
    public string Title { get; private set; }

    /// <summary>The message in plain text, line breaks kept (a returned assessment's feedback, for one).</summary>
    public string Body { get; private set; }

    /// <summary>Where it leads in the portal, relative to its base address ("assessments/…").</summary>
    public string Link { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? ReadAt { get; private set; }
    public NotificationEmail Email { get; private set; }

    public bool IsRead => ReadAt is not null;

    public void MarkRead(DateTime at) => ReadAt ??= at;

    public void Digested() => Email = NotificationEmail.Digested;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}

/// <summary>A person's choices: which kinds they do not want at all, and one daily email instead of one per event.</summary>
public class NotificationSettings
{
    private NotificationSettings()
    {
        UserId = string.Empty;
    }

    public NotificationSettings(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        UserId = userId;
    }

    public string UserId { get; private set; }

    /// <summary>The kinds turned off, as bits (1 &lt;&lt; kind).</summary>
    public int MutedKinds { get; private set; }

    public bool DailyDigest { get; private set; }

    public bool Wants(NotificationKind kind) => (MutedKinds & (1 << (int)kind)) == 0;

    public void Choose(IEnumerable<NotificationKind> wanted, bool dailyDigest)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var on = wanted.ToHashSet();
        MutedKinds = NotificationKinds.All.Where(k => !on.Contains(k)).Aggregate(0, (bits, k) => bits | (1 << (int)k));
        DailyDigest = dailyDigest;
    }
}
