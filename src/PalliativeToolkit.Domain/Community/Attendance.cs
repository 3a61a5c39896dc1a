using System.Net.Mail;
using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Community;

/// <summary>How an attendance came to be recorded.</summary>
public enum AttendanceSource
{
    /// <summary>A statewide reviewer recorded it on the event's page.</summary>
    Staff,

    /// <summary>It came from a webinar platform's attendee report (<see cref="Attendance.ImportId"/> names the import).</summary>
    Import,
}

public static class AttendeeEmail
{
    /// <summary>
    /// The address as the portal compares it (trimmed, lower case), or null when it is not one address
    /// ("name@domain.tld", no display name, no spaces).
    /// </summary>
    public static string? Normalize(string? email)
    {
        var trimmed = (email ?? string.Empty).Trim();
        if (trimmed.Length is 0 or > Limits.Email || trimmed.Any(char.IsWhiteSpace) || trimmed.Count(c => c == '@') != 1)
        {
            return null;
        }

        if (!MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>The domain of a normalized address ("example.org").</summary>
    public static string DomainOf(string normalizedEmail) => normalizedEmail[(normalizedEmail.LastIndexOf('@') + 1)..];
}

/// <summary>
/// One person at one event, for one organization: the portal user when the person was matched to one, and always the
/// name and e-mail address as given (by a reviewer, or by the platform's report). One per event and e-mail address, so a
/// report imported twice adds nobody twice. It carries its event's plan when the event is a private support call, so that
/// the call's attendance is as private as the call.
/// </summary>
public class Attendance : Entity, IAudited, IOrganizationOwned
{
    private Attendance()
    {
        Name = Email = RecordedBy = string.Empty;
    }

    private Attendance(CommunityEvent communityEvent, Guid organizationId, string? userId, string name, string email, AttendanceSource source, Guid? importId, int? sourceLine,
        int? minutes, DateTime now, string recordedBy)
        : this()
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(recordedBy);
        if (!communityEvent.HasStarted(now))
        {
            throw new DomainException(communityEvent.IsCancelled
                ? "This event was cancelled: nobody attended it."
                : "Attendance is recorded once the event has taken place.");
        }

        if (communityEvent.PlanOrganizationId is { } plan && plan != organizationId)
        {
            throw new DomainException("This support call was private to one plan: only its people attended.");
        }

        var normalized = AttendeeEmail.Normalize(email) ?? throw new DomainException("Enter the person's e-mail address (name@example.org).");
        var trimmedName = (name ?? string.Empty).Trim();
        if (trimmedName.Length == 0)
        {
            throw new DomainException("Enter the person's name.");
        }

        EventId = communityEvent.Id;
        PlanOrganizationId = communityEvent.PlanOrganizationId;
        OrganizationId = organizationId;
        UserId = string.IsNullOrWhiteSpace(userId) ? null : userId;
        Name = trimmedName.Length <= Limits.Name ? trimmedName : trimmedName[..Limits.Name];
        Email = normalized;
        Source = source;
        ImportId = importId;
        SourceLine = sourceLine;
        Minutes = minutes is > 0 ? Math.Min(minutes.Value, EventTime.MaxDurationMinutes * 2) : null;
        RecordedAt = now;
        RecordedBy = recordedBy;
    }

    /// <summary>A reviewer records that the person attended.</summary>
    public static Attendance ByStaff(CommunityEvent communityEvent, Guid organizationId, string? userId, string name, string email, DateTime now, string recordedBy) =>
        new(communityEvent, organizationId, userId, name, email, AttendanceSource.Staff, null, null, null, now, recordedBy);

    /// <summary>A row of an attendee report (its first line in the file, and the minutes the report gives), through an import.</summary>
    public static Attendance Imported(CommunityEvent communityEvent, AttendanceImport import, int sourceLine, Guid organizationId, string? userId, string name, string email, int? minutes,
        DateTime now, string recordedBy)
    {
        ArgumentNullException.ThrowIfNull(import);
        return new(communityEvent, organizationId, userId, name, email, AttendanceSource.Import, import.Id, sourceLine, minutes, now, recordedBy);
    }

    public Guid EventId { get; private set; }

    /// <summary>The plan of its event when that is a private support call.</summary>
    public Guid? PlanOrganizationId { get; private set; }

    /// <summary>Follows its event when the event's plan changes.</summary>
    public void FollowPlan(Guid? planOrganizationId) => PlanOrganizationId = planOrganizationId;

    /// <summary>The organization the person attended for.</summary>
    public Guid OrganizationId { get; private set; }

    /// <summary>The portal user, when the person was matched to one (by their e-mail address, or chosen by a reviewer).</summary>
    public string? UserId { get; private set; }

    /// <summary>The name as given.</summary>
    public string Name { get; private set; }

    /// <summary>The e-mail address as given, trimmed and in lower case: one attendance per event and address.</summary>
    public string Email { get; private set; }

    public AttendanceSource Source { get; private set; }

    /// <summary>The import it came from (<see cref="AttendanceImport"/>), for an imported row.</summary>
    public Guid? ImportId { get; private set; }

    /// <summary>The row's (first) line in the imported file: with the import's file hash, the row's identity.</summary>
    public int? SourceLine { get; private set; }

    /// <summary>Minutes attended, as the report gives them (null when it does not, or when a reviewer recorded it).</summary>
    public int? Minutes { get; private set; }

    public DateTime RecordedAt { get; private set; }
    public string RecordedBy { get; private set; }
}

/// <summary>
/// A webinar platform's attendee report, imported for one event: the file's name and SHA-256 hash (the same file can be
/// recognised when it comes again), who imported it and what it did (rows read, added, already present, skipped).
/// </summary>
public class AttendanceImport : Entity, IAudited
{
    private AttendanceImport()
    {
        FileName = FileHash = ImportedBy = string.Empty;
    }

    public AttendanceImport(CommunityEvent communityEvent, string fileName, string fileHash, DateTime now, string importedBy)
        : this()
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(importedBy);
        EventId = communityEvent.Id;
        PlanOrganizationId = communityEvent.PlanOrganizationId;
        var name = (fileName ?? string.Empty).Trim();
        FileName = name.Length == 0 ? "attendees.csv" : name.Length <= MaxFileName ? name : name[..MaxFileName];
        FileHash = fileHash;
        ImportedAt = now;
        ImportedBy = importedBy;
    }

    public const int MaxFileName = 200;

    public Guid EventId { get; private set; }

    /// <summary>The plan of its event when that is a private support call.</summary>
    public Guid? PlanOrganizationId { get; private set; }

    /// <summary>Follows its event when the event's plan changes.</summary>
    public void FollowPlan(Guid? planOrganizationId) => PlanOrganizationId = planOrganizationId;
    public string FileName { get; private set; }

    /// <summary>The SHA-256 of the file's bytes, in lower-case hex.</summary>
    public string FileHash { get; private set; }
    public DateTime ImportedAt { get; private set; }
    public string ImportedBy { get; private set; }

    /// <summary>The attendees the file named (rows of the same address counted once).</summary>
    public int Rows { get; private set; }
    public int Added { get; private set; }
    public int AlreadyPresent { get; private set; }
    public int Skipped { get; private set; }

    public void Record(int rows, int added, int alreadyPresent, int skipped)
    {
        Rows = rows;
        Added = added;
        AlreadyPresent = alreadyPresent;
        Skipped = skipped;
    }
}
