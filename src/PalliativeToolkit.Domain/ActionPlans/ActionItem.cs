using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.ActionPlans;

/// <summary>Where an action item stands. Completing one does not change a level: the next cycle's assessment does.</summary>
public enum ActionStatus
{
    Planned,
    InProgress,
    Done,
    Dropped,
}

/// <summary>What an action item was drafted from.</summary>
public enum ActionSource
{
    /// <summary>An element below minimum: reach it.</summary>
    Gap,

    /// <summary>An enhancement the organization chose to adopt.</summary>
    Enhancement,
}

public static class ActionText
{
    public static string Describe(this ActionStatus status) => status switch
    {
        ActionStatus.Planned => "Planned",
        ActionStatus.InProgress => "In progress",
        ActionStatus.Done => "Done",
        ActionStatus.Dropped => "Dropped",
        _ => status.ToString(),
    };

    public static bool IsOpen(this ActionStatus status) => status is ActionStatus.Planned or ActionStatus.InProgress;

    /// <summary>Open, and due before <paramref name="today"/> (California's date).</summary>
    public static bool IsOverdue(ActionStatus status, DateOnly? due, DateOnly today) => status.IsOpen() && due < today;
}

/// <summary>
/// One step of an organization's action plan, drafted from a gap (or a chosen enhancement) of one of its assessments:
/// the element and the criteria it is about, an owner from the organization, a due date, a status and notes, with the
/// guide's own help (the element's enhancement text or the enhancement's wording, and the library's resources for the
/// element) copied in when it was drafted. Each gap or enhancement of an assessment becomes at most one item.
/// </summary>
public class ActionItem : Entity, IAudited, IOrganizationOwned
{
    public const int MaxResources = 20;

    private ActionItem()
    {
        Cycle = ElementCode = SectionCode = SourceKey = Title = Notes = Guidance = CreatedBy = string.Empty;
    }

    private ActionItem(Guid organizationId, Guid assessmentId, string cycle, Guid elementId, string sectionCode, string elementCode, ActionSource source,
        string sourceKey, IReadOnlyList<string> criteriaCodes, string title, string guidance, IReadOnlyList<Guid> resourceIds, Level levelWhenPlanned,
        DateTime createdAt, string createdBy)
    {
        OrganizationId = organizationId;
        AssessmentId = assessmentId;
        Cycle = cycle;
        ElementId = elementId;
        SectionCode = sectionCode;
        ElementCode = elementCode;
        Source = source;
        SourceKey = sourceKey;
        CriteriaCodes = criteriaCodes;
        Title = Trim(title, Limits.Title);
        Notes = string.Empty;
        Guidance = Trim(guidance, Limits.LongText);
        ResourceIds = resourceIds.Distinct().Take(MaxResources).ToList();
        LevelWhenPlanned = levelWhenPlanned;
        Status = ActionStatus.Planned;
        CreatedAt = StatusChangedAt = createdAt;
        CreatedBy = createdBy;
    }

    public Guid OrganizationId { get; private set; }

    /// <summary>The assessment whose gap it was drafted from.</summary>
    public Guid AssessmentId { get; private set; }

    /// <summary>That assessment's cycle (the next cycle's assessment tells whether the element improved).</summary>
    public string Cycle { get; private set; }
    public Guid ElementId { get; private set; }
    public string SectionCode { get; private set; }
    public string ElementCode { get; private set; }
    public ActionSource Source { get; private set; }

    /// <summary>What it was drafted from within its assessment: the element's code for a gap, the criterion's for an enhancement.</summary>
    public string SourceKey { get; private set; }

    /// <summary>The criteria it is about: the minimum criteria not met (a gap), or the one enhancement.</summary>
    public IReadOnlyList<string> CriteriaCodes { get; private set; } = [];
    public string Title { get; private set; }

    /// <summary>The member who owns it (null until someone is assigned).</summary>
    public string? OwnerId { get; private set; }
    public DateOnly? DueDate { get; private set; }
    public ActionStatus Status { get; private set; }
    public string Notes { get; private set; }

    /// <summary>The guide's help copied in when it was drafted: the element's enhancement text, or the enhancement's wording.</summary>
    public string Guidance { get; private set; }

    /// <summary>Resources of the library for the element, copied in when it was drafted (a retired one stays listed, marked retired).</summary>
    public IReadOnlyList<Guid> ResourceIds { get; private set; } = [];

    /// <summary>The element's level in the assessment it was drafted from.</summary>
    public Level LevelWhenPlanned { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; }
    public DateTime StatusChangedAt { get; private set; }

    /// <summary>The due date its owner was last reminded of (so a reminder goes once per due date and owner).</summary>
    public DateOnly? ReminderSentFor { get; private set; }

    public bool IsOpen => Status.IsOpen();

    public bool IsOverdue(DateOnly today) => ActionText.IsOverdue(Status, DueDate, today);

    /// <summary>Drafts the item for an element below minimum: the minimum criteria not met, with the element's enhancement text and resources.</summary>
    public static ActionItem ForGap(Guid organizationId, Guid assessmentId, string cycle, Guid elementId, string sectionCode, string elementCode, string elementTitle,
        IReadOnlyList<string> unmetMinimumCodes, string enhancementText, IReadOnlyList<Guid> resourceIds, Level level, DateTime now, string userId)
    {
        ArgumentNullException.ThrowIfNull(unmetMinimumCodes);
        if (level is not Level.BelowMinimum)
        {
            throw new DomainException($"{elementCode} is not below minimum: only a gap becomes an item of this kind.");
        }

        return new ActionItem(organizationId, assessmentId, cycle, elementId, sectionCode, elementCode, ActionSource.Gap, elementCode, unmetMinimumCodes,
            $"Reach the minimum of {elementCode} {elementTitle}", enhancementText, resourceIds, level, now, userId);
    }

    /// <summary>Drafts the item for an enhancement the organization chose to adopt (one not met yet).</summary>
    public static ActionItem ForEnhancement(Guid organizationId, Guid assessmentId, string cycle, Guid elementId, string sectionCode, string elementCode,
        string criterionCode, string criterionText, IReadOnlyList<Guid> resourceIds, Level level, DateTime now, string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(criterionCode);
        return new ActionItem(organizationId, assessmentId, cycle, elementId, sectionCode, elementCode, ActionSource.Enhancement, criterionCode, [criterionCode],
            $"Adopt enhancement {criterionCode}: {criterionText}", criterionText, resourceIds, level, now, userId);
    }

    /// <summary>
    /// Changes what the organization decided about the item. A due date that changes may not be in the past
    /// (<paramref name="today"/> is California's date); an unchanged one stays even once it has passed.
    /// </summary>
    public void Update(string title, string? ownerId, DateOnly? dueDate, ActionStatus status, string notes, IReadOnlyList<Guid> resourceIds, DateOnly today, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(resourceIds);
        if (!Enum.IsDefined(status))
        {
            throw new DomainException("Choose the item's status from the list.");
        }

        if (dueDate != DueDate && dueDate < today)
        {
            throw new DomainException("The due date can't be in the past.");
        }

        if (resourceIds.Any(id => !ResourceIds.Contains(id)))
        {
            throw new DomainException("Only the resources copied in when the item was drafted can be kept.");
        }

        if (dueDate != DueDate || ownerId != OwnerId)
        {
            ReminderSentFor = null;
        }

        Title = Trim(title, Limits.Title);
        OwnerId = string.IsNullOrWhiteSpace(ownerId) ? null : ownerId;
        DueDate = dueDate;
        if (status != Status)
        {
            Status = status;
            StatusChangedAt = now;
        }

        Notes = (notes ?? string.Empty).Trim();
        ResourceIds = resourceIds.Distinct().ToList();
        Touch();
    }

    /// <summary>Whether the owner is due a reminder: open, with an owner, due within <paramref name="days"/> days (or overdue), not reminded of this date yet.</summary>
    public bool NeedsReminder(DateOnly today, int days) =>
        IsOpen && OwnerId is not null && DueDate is { } due && due <= today.AddDays(days) && ReminderSentFor != due;

    private static string Trim(string text, int length)
    {
        var trimmed = (text ?? string.Empty).Trim();
        return trimmed.Length <= length ? trimmed : trimmed[..(length - 1)] + "…";
    }
}

/// <summary>
/// A person's private calendar subscription: calendar apps poll the feed's address, whose token is stored hashed only,
/// shown once when made, and revoked by making a new one or turning it off.
/// </summary>
public class CalendarSubscription : Entity
{
    private CalendarSubscription() { UserId = TokenHash = string.Empty; }

    public CalendarSubscription(string userId, string tokenHash, DateTime createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenHash);
        UserId = userId;
        TokenHash = tokenHash;
        CreatedAt = createdAt;
    }

    public string UserId { get; private set; }
    public string TokenHash { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? LastPolledAt { get; private set; }

    public void Polled(DateTime at) => LastPolledAt = at;
}
