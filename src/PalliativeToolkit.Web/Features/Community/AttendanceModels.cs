using FluentValidation;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Community;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>One attendance, as the event page lists it. <see cref="Source"/> says how it was recorded.</summary>
public sealed record AttendanceLine(Guid Id, string Name, string Email, Guid OrganizationId, string Organization, bool IsPortalUser, string Source, int? Minutes);

/// <summary>An import of an attendee report for the event (reviewers).</summary>
public sealed record ImportLine(DateTime ImportedAt, string FileName, int Rows, int Added, int AlreadyPresent, int Skipped);

/// <summary>
/// The attendance part of an event's page: everyone recorded (reviewers) or the viewer's organizations' people (members),
/// and for reviewers the organizations attendance can be recorded for and the imports so far.
/// </summary>
public sealed record EventAttendanceView(
    Guid EventId, string Title, bool HasStarted, bool IsCancelled, string? PlanName, bool CanRecord, IReadOnlyList<AttendanceLine> Lines,
    IReadOnlyList<AttendeeOrganization> Organizations, IReadOnlyList<ImportLine> Imports);

/// <summary>A reviewer records that someone attended: an organization, and a person of it or a name and address.</summary>
public sealed class RecordAttendanceCommand
{
    public Guid EventId { get; set; }
    public Guid? OrganizationId { get; set; }

    /// <summary>A portal user of the organization; when empty, <see cref="Name"/> and <see cref="Email"/> say who.</summary>
    public string? UserId { get; set; }
    public string Name { get; set; } = string.Empty;
    public string Email { get; set; } = string.Empty;
}

public sealed class RecordAttendanceValidator : AbstractValidator<RecordAttendanceCommand>
{
    public RecordAttendanceValidator()
    {
        RuleFor(c => c.OrganizationId).NotNull().WithMessage("Choose the organization the person attended for.");
        RuleFor(c => c.Name).NotEmpty().When(c => string.IsNullOrWhiteSpace(c.UserId)).WithMessage("Choose a person, or enter the name of someone who is not a portal user.")
            .MaximumLength(Limits.Name).WithMessage($"The name can be at most {Limits.Name} characters.").PlainLine();
        RuleFor(c => c.Email).NotEmpty().When(c => string.IsNullOrWhiteSpace(c.UserId)).WithMessage("Enter the person's e-mail address.")
            .Must(e => AttendeeEmail.Normalize(e) is not null).When(c => string.IsNullOrWhiteSpace(c.UserId) && !string.IsNullOrWhiteSpace(c.Email))
            .WithMessage("Enter one e-mail address, such as name@example.org.");
    }
}

/// <summary>A row of an attendee report as the review step shows it, with the organization and person the portal proposes.</summary>
public sealed record ReviewRow(int Line, string Name, string Email, int? Minutes, int Rows, RowMatch Match, Guid? OrganizationId, string? Organization, string? UserId,
    string? Reason, IReadOnlyList<Guid> Candidates);

/// <summary>The review step: every row, the choices for those that matched nothing, and what the file holds that names nobody.</summary>
public sealed record ImportPreview(
    Guid EventId, string EventTitle, string FileName, string FileHash, IReadOnlyList<ReviewRow> Rows, IReadOnlyList<SkippedRow> Unreadable,
    IReadOnlyList<AttendeeOrganization> Organizations, IReadOnlyList<AttendeePerson> People, IReadOnlyList<EarlierImport> EarlierImports)
{
    public int Matched => Rows.Count(r => r.Match is RowMatch.Person or RowMatch.Domain);

    public int Unmatched => Rows.Count(r => r.Match == RowMatch.Unmatched);

    public int AlreadyPresent => Rows.Count(r => r.Match == RowMatch.AlreadyPresent);
}

/// <summary>One organization's part in the learning community over the period: events attended, by kind.</summary>
public sealed record ParticipationLine(Guid OrganizationId, string Organization, OrganizationKind Kind, int Webinars, int SupportCalls, int Convenings, int People,
    DateTime? LastAttended, bool MissedLastTwo)
{
    public int Events => Webinars + SupportCalls + Convenings;
}

/// <summary>
/// Participation per organization (reviewers: every plan and provider; members: their own organizations), over the events
/// that took place in the period, and the last two open events that took place (those who attended neither stand out).
/// </summary>
public sealed record ParticipationView(DateOnly? From, DateOnly? To, IReadOnlyDictionary<EventKind, int> EventsHeld, IReadOnlyList<ParticipationLine> Lines,
    IReadOnlyList<EventSummary> LastTwo, bool SeesEveryone)
{
    public IReadOnlyList<ParticipationLine> Missing => Lines.Where(l => l.MissedLastTwo).ToList();
}

public static class AttendanceText
{
    public static string Describe(this RowMatch match) => match switch
    {
        RowMatch.Person => "Matched to a portal user",
        RowMatch.Domain => "Matched by e-mail domain",
        RowMatch.Unmatched => "Not matched",
        RowMatch.AlreadyPresent => "Already recorded",
        _ => match.ToString(),
    };
}
