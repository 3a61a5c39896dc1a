using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Community;

/// <summary>The three kinds of event the learning community runs.</summary>
public enum EventKind
{
    /// <summary>The bi-monthly webinars for plans and their providers.</summary>
    Webinar,

    /// <summary>A regularly scheduled call with plans: open to all, or with one plan (private to it and the reviewers).</summary>
    SupportCall,

    /// <summary>The annual virtual convening.</summary>
    Convening,
}

/// <summary>Whether an event is still on.</summary>
public enum EventStatus
{
    Scheduled,
    Cancelled,
}

public static class EventText
{
    public static string Describe(this EventKind kind) => kind switch
    {
        EventKind.Webinar => "Webinar",
        EventKind.SupportCall => "Support call",
        EventKind.Convening => "Convening",
        _ => kind.ToString(),
    };

    public static string Plural(this EventKind kind) => kind switch
    {
        EventKind.Webinar => "Webinars",
        EventKind.SupportCall => "Support calls",
        EventKind.Convening => "Convenings",
        _ => kind.ToString(),
    };
}

/// <summary>
/// When an event happens: an instant (stored in UTC) in the time zone it was scheduled in (an IANA id such as
/// America/Los_Angeles), for a number of minutes. A time that does not exist in that zone (skipped when the clocks go
/// forward) is refused; a time that happens twice (when the clocks go back) is the first of the two.
/// </summary>
public sealed record EventTime(DateTime StartsAtUtc, string TimeZoneId, int DurationMinutes)
{
    public const string Pacific = "America/Los_Angeles";
    public const int MaxDurationMinutes = 12 * 60;

    public DateTime EndsAtUtc => StartsAtUtc.AddMinutes(DurationMinutes);

    /// <summary>The zone of <paramref name="timeZoneId"/>, or null when it is not a known IANA id.</summary>
    public static TimeZoneInfo? Zone(string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId) || timeZoneId.Length > 64)
        {
            return null;
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId.Trim());
            return zone.HasIanaId || zone.Id == "UTC" ? zone : null;
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>Why a wall-clock time in a zone cannot start an event, or null when it can.</summary>
    public static string? Problem(DateTime local, string? timeZoneId)
    {
        if (Zone(timeZoneId) is not { } zone)
        {
            return "Choose a time zone from the list.";
        }

        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return zone.IsInvalidTime(wall)
            ? $"{wall:h:mm tt} does not exist on {wall:MMMM d, yyyy} in {zone.Id}: the clocks go forward that night. Choose another time."
            : null;
    }

    /// <summary>The instant of a wall-clock time in a zone (the earlier one when the clocks go back and it happens twice).</summary>
    public static EventTime At(DateTime local, string timeZoneId, int durationMinutes)
    {
        if (Problem(local, timeZoneId) is { } problem)
        {
            throw new DomainException(problem);
        }

        if (durationMinutes is < 1 or > MaxDurationMinutes)
        {
            throw new DomainException($"An event lasts between 1 minute and {MaxDurationMinutes / 60} hours.");
        }

        var zone = Zone(timeZoneId)!;
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max() : zone.GetUtcOffset(wall);
        var utc = DateTime.SpecifyKind(wall - offset, DateTimeKind.Utc);
        return new EventTime(utc, zone.Id, durationMinutes);
    }

    /// <summary>The wall-clock time of <paramref name="utc"/> in the zone <paramref name="timeZoneId"/> (UTC when unknown).</summary>
    public static DateTime LocalIn(DateTime utc, string? timeZoneId) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone(timeZoneId) ?? TimeZoneInfo.Utc);

    /// <summary>The zone's offset from UTC at <paramref name="utc"/>.</summary>
    public static TimeSpan OffsetIn(DateTime utc, string? timeZoneId) =>
        (Zone(timeZoneId) ?? TimeZoneInfo.Utc).GetUtcOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}

/// <summary>
/// One event of the learning community: a webinar, a support call or a convening. Reviewers schedule, change and cancel
/// it; people of the organizations register for it (<see cref="EventRegistration"/>), and its materials are kept beside it
/// (<see cref="EventMaterial"/>). A support call may be with one plan (<see cref="PlanOrganizationId"/>): then only that
/// plan's members and the statewide reviewers see it, its materials and its registrations. Attendance, later, refers to it
/// by its id, with the organization and the person.
/// </summary>
public class CommunityEvent : Entity, IAudited
{
    public const int MaxElements = 40;

    private CommunityEvent()
    {
        Title = Topic = Presenters = TimeZoneId = RecordingUrl = CancelReason = CreatedBy = string.Empty;
    }

    public CommunityEvent(EventKind kind, string title, EventTime time, string topic, string presenters, IEnumerable<string> elementCodes, Guid? planOrganizationId,
        DateTime createdAt, string createdBy)
        : this()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(createdBy);
        Kind = kind;
        Status = EventStatus.Scheduled;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
        Describe(kind, title, time, topic, presenters, elementCodes, planOrganizationId);
    }

    public EventKind Kind { get; private set; }
    public string Title { get; private set; }

    /// <summary>The start, in UTC.</summary>
    public DateTime StartsAt { get; private set; }

    /// <summary>The IANA id of the zone it was scheduled in (America/Los_Angeles unless the reviewer chose another).</summary>
    public string TimeZoneId { get; private set; }
    public int DurationMinutes { get; private set; }
    public string Topic { get; private set; }

    /// <summary>Who presents, as the reviewer wrote it ("Judy Thomas, CCCC; a plan's medical director").</summary>
    public string Presenters { get; private set; }

    /// <summary>The codes of the guide's elements it covers (codes stay the same across framework versions).</summary>
    public IReadOnlyList<string> ElementCodes { get; private set; } = [];

    /// <summary>The one plan a private support call is with; null for an event open to every organization.</summary>
    public Guid? PlanOrganizationId { get; private set; }

    /// <summary>The recording's address, once the event has taken place (empty until then).</summary>
    public string RecordingUrl { get; private set; }
    public EventStatus Status { get; private set; }
    public string CancelReason { get; private set; }
    public DateTime? CancelledAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; }

    public DateTime EndsAt => StartsAt.AddMinutes(DurationMinutes);

    public EventTime Time => new(StartsAt, TimeZoneId, DurationMinutes);

    public bool IsCancelled => Status == EventStatus.Cancelled;

    /// <summary>Not cancelled and over (its end, start plus duration, has passed): it took place.</summary>
    public bool TookPlace(DateTime now) => !IsCancelled && EndsAt <= now;

    /// <summary>Not cancelled and started: under way or over (attendance can be recorded from then on).</summary>
    public bool HasStarted(DateTime now) => !IsCancelled && StartsAt <= now;

    /// <summary>Not cancelled, started and not over yet.</summary>
    public bool IsUnderWay(DateTime now) => HasStarted(now) && !TookPlace(now);

    /// <summary>Whether people may still register or unregister: scheduled and not started yet.</summary>
    public bool OpenForRegistration(DateTime now) => !IsCancelled && StartsAt > now;

    /// <summary>Changes what the event is and when. Answers whether its time changed (registrants are then told).</summary>
    public bool Reschedule(string title, EventTime time, string topic, string presenters, IEnumerable<string> elementCodes, Guid? planOrganizationId, string recordingUrl, DateTime now)
    {
        if (IsCancelled)
        {
            throw new DomainException("A cancelled event can't be changed.");
        }

        ArgumentNullException.ThrowIfNull(time);
        var moved = time.StartsAtUtc != StartsAt || time.DurationMinutes != DurationMinutes;
        Describe(Kind, title, time, topic, presenters, elementCodes, planOrganizationId);
        SetRecording(recordingUrl, now);
        Touch();
        return moved;
    }

    /// <summary>Keeps the recording's address; only once the event has started (there is nothing to record before).</summary>
    public void SetRecording(string? url, DateTime now)
    {
        var trimmed = (url ?? string.Empty).Trim();
        if (trimmed.Length > 0 && StartsAt > now)
        {
            throw new DomainException("Add the recording link once the event has taken place.");
        }

        if (trimmed.Length > Limits.Url)
        {
            throw new DomainException($"A link can be at most {Limits.Url} characters.");
        }

        RecordingUrl = trimmed;
    }

    /// <summary>Cancels the event, with the reason registrants are told. An event that already started can't be cancelled.</summary>
    public void Cancel(string reason, DateTime now)
    {
        if (IsCancelled)
        {
            throw new DomainException("This event is already cancelled.");
        }

        if (StartsAt <= now)
        {
            throw new DomainException("This event has already started, so it can't be cancelled.");
        }

        var trimmed = (reason ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            throw new DomainException("Say why the event is cancelled: registrants are told.");
        }

        Status = EventStatus.Cancelled;
        CancelReason = trimmed.Length <= Limits.ShortText ? trimmed : trimmed[..Limits.ShortText];
        CancelledAt = now;
        Touch();
    }

    private void Describe(EventKind kind, string title, EventTime time, string topic, string presenters, IEnumerable<string> elementCodes, Guid? planOrganizationId)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(elementCodes);
        if (!Enum.IsDefined(kind))
        {
            throw new DomainException("Choose the kind of event.");
        }

        var trimmedTitle = (title ?? string.Empty).Trim();
        if (trimmedTitle.Length == 0)
        {
            throw new DomainException("Enter the event's title.");
        }

        if (planOrganizationId is not null && kind != EventKind.SupportCall)
        {
            throw new DomainException("Only a support call can be with one plan; webinars and convenings are open to every organization.");
        }

        if (time.DurationMinutes is < 1 or > EventTime.MaxDurationMinutes || EventTime.Zone(time.TimeZoneId) is null)
        {
            throw new DomainException("The event's time is not valid.");
        }

        var codes = elementCodes.Select(c => (c ?? string.Empty).Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count > MaxElements)
        {
            throw new DomainException($"An event covers at most {MaxElements} elements.");
        }

        Title = trimmedTitle.Length <= Limits.Title ? trimmedTitle : trimmedTitle[..Limits.Title];
        StartsAt = DateTime.SpecifyKind(time.StartsAtUtc, DateTimeKind.Utc);
        TimeZoneId = time.TimeZoneId;
        DurationMinutes = time.DurationMinutes;
        Topic = (topic ?? string.Empty).Trim();
        Presenters = (presenters ?? string.Empty).Trim();
        ElementCodes = codes;
        PlanOrganizationId = planOrganizationId;
    }
}

/// <summary>
/// Something to read or watch for an event: a link, or a file kept by the portal's file store (typed by its bytes, like
/// the resource library's uploads). It carries its event's plan, so that a private support call's materials are as
/// private as the call.
/// </summary>
public class EventMaterial : Entity, IAudited
{
    private EventMaterial()
    {
        Title = Url = AddedBy = string.Empty;
    }

    private EventMaterial(CommunityEvent communityEvent, string title, string url, string? fileKey, string? fileName, string? fileContentType, long? fileLength, DateTime addedAt, string addedBy)
        : this()
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        var trimmed = (title ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            throw new DomainException("Give the material a title.");
        }

        EventId = communityEvent.Id;
        PlanOrganizationId = communityEvent.PlanOrganizationId;
        Title = trimmed.Length <= Limits.Title ? trimmed : trimmed[..Limits.Title];
        Url = (url ?? string.Empty).Trim();
        FileKey = fileKey;
        FileName = fileName;
        FileContentType = fileContentType;
        FileLength = fileLength;
        AddedAt = addedAt;
        AddedBy = addedBy;
    }

    public static EventMaterial Link(CommunityEvent communityEvent, string title, string url, DateTime addedAt, string addedBy)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new DomainException("Enter the material's web address, or upload a file.");
        }

        return new EventMaterial(communityEvent, title, url, null, null, null, null, addedAt, addedBy);
    }

    public static EventMaterial File(CommunityEvent communityEvent, string title, string fileKey, string fileName, string contentType, long length, DateTime addedAt, string addedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileKey);
        return new EventMaterial(communityEvent, title, string.Empty, fileKey, fileName, contentType, length, addedAt, addedBy);
    }

    public Guid EventId { get; private set; }

    /// <summary>The plan of its event when that is a private support call (kept in step with the event).</summary>
    public Guid? PlanOrganizationId { get; private set; }
    public string Title { get; private set; }
    public string Url { get; private set; }
    public string? FileKey { get; private set; }
    public string? FileName { get; private set; }
    public string? FileContentType { get; private set; }
    public long? FileLength { get; private set; }
    public DateTime AddedAt { get; private set; }
    public string AddedBy { get; private set; }

    public bool IsFile => FileKey is not null;

    /// <summary>Follows its event when the event's plan changes.</summary>
    public void FollowPlan(Guid? planOrganizationId) => PlanOrganizationId = planOrganizationId;
}

/// <summary>
/// A person of an organization registered for an event, by themselves or by their organization's manager. One per person
/// and event. The reminder before the event goes once per start time (<see cref="ReminderSentFor"/>), so an event moved
/// to another time is reminded of again.
/// </summary>
public class EventRegistration : Entity, IAudited, IOrganizationOwned
{
    private EventRegistration()
    {
        UserId = RegisteredBy = string.Empty;
    }

    public EventRegistration(CommunityEvent communityEvent, Guid organizationId, string userId, DateTime now, string registeredBy)
        : this()
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(registeredBy);
        if (!communityEvent.OpenForRegistration(now))
        {
            throw new DomainException(communityEvent.IsCancelled ? "This event is cancelled." : "This event has already started: registration is closed.");
        }

        if (communityEvent.PlanOrganizationId is { } plan && plan != organizationId)
        {
            throw new DomainException("This support call is private to one plan: only its people can register.");
        }

        EventId = communityEvent.Id;
        PlanOrganizationId = communityEvent.PlanOrganizationId;
        OrganizationId = organizationId;
        UserId = userId;
        RegisteredAt = now;
        RegisteredBy = registeredBy;
    }

    public Guid EventId { get; private set; }

    /// <summary>The plan of its event when that is a private support call.</summary>
    public Guid? PlanOrganizationId { get; private set; }

    /// <summary>The organization the person registered for.</summary>
    public Guid OrganizationId { get; private set; }
    public string UserId { get; private set; }
    public DateTime RegisteredAt { get; private set; }
    public string RegisteredBy { get; private set; }

    /// <summary>The start time (UTC) the person was last reminded of.</summary>
    public DateTime? ReminderSentFor { get; private set; }

    /// <summary>Follows its event when the event's plan changes.</summary>
    public void FollowPlan(Guid? planOrganizationId) => PlanOrganizationId = planOrganizationId;
}
