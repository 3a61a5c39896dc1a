using FluentValidation;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>An event as the lists and the programme show it: it took place once it is over, and is under way between its start and end.</summary>
public sealed record EventSummary(
    Guid Id, EventKind Kind, string Title, DateTime StartsAt, string TimeZoneId, int DurationMinutes, string Topic, EventStatus Status,
    string? PlanName, int MyRegistrations, bool TookPlace, bool UnderWay)
{
    public bool IsCancelled => Status == EventStatus.Cancelled;

    public bool IsPrivate => PlanName is not null;
}

/// <summary>The community page: upcoming events soonest first, past events latest first.</summary>
public sealed record CommunityView(IReadOnlyList<EventSummary> Upcoming, IReadOnlyList<EventSummary> Past, bool CanSchedule);

public sealed record MaterialView(Guid Id, string Title, string Url, string? FileName, long? FileLength)
{
    /// <summary>Where it opens: its link, or the download of its file.</summary>
    public string Address => FileName is null ? Url : CommunityEndpoints.MaterialAddress(Id);
}

public sealed record RegistrationView(Guid Id, string UserId, string Name, Guid OrganizationId, string Organization);

/// <summary>A member of one of the viewer's organizations, and their registration for the event if any.</summary>
public sealed record RegistrantChoice(string UserId, string Name, Guid? RegistrationId);

/// <summary>One of the viewer's organizations: who of its people may be registered by the viewer (themselves, or everyone for a manager).</summary>
public sealed record OrganizationRegistrations(Guid OrganizationId, string Name, bool ManagesPeople, IReadOnlyList<RegistrantChoice> People);

public sealed record ElementChoice(string Code, string Title);

/// <summary>One event, opened.</summary>
public sealed record EventView(
    Guid Id, Guid Version, EventKind Kind, string Title, DateTime StartsAt, string TimeZoneId, int DurationMinutes, string Topic, string Presenters,
    IReadOnlyList<ElementChoice> Elements, Guid? PlanOrganizationId, string? PlanName, string RecordingUrl, EventStatus Status, string CancelReason, DateTime? CancelledAt,
    IReadOnlyList<MaterialView> Materials, IReadOnlyList<RegistrationView> Registrations, IReadOnlyList<OrganizationRegistrations> MyOrganizations,
    bool CanManage, bool OpenForRegistration, bool TookPlace, bool UnderWay)
{
    public bool IsCancelled => Status == EventStatus.Cancelled;

    public DateTime EndsAt => StartsAt.AddMinutes(DurationMinutes);
}

/// <summary>What the schedule/edit form needs: the command as stored, and the choices.</summary>
public sealed record EventEditor(SaveEventCommand Command, IReadOnlyList<(Guid Id, string Name)> Plans, IReadOnlyList<ElementChoice> Elements, bool TookPlace);

/// <summary>The programme of the grant period: planned against what took place, per kind, and every event on one timeline.</summary>
public sealed record ProgrammeView(DateOnly From, DateOnly To, IReadOnlyList<ProgrammeLine> Lines, IReadOnlyList<EventSummary> Events);

/// <summary>
/// One kind's count in the programme: the grant's target (null when it sets none), what is scheduled (not cancelled),
/// what took place (past and not cancelled), what is still to come, and what was cancelled.
/// </summary>
public sealed record ProgrammeLine(EventKind Kind, int? Target, int Scheduled, int TookPlace, int Upcoming, int Cancelled);

/// <summary>Schedules an event (no <see cref="Id"/>) or changes one (its id and the version the page showed).</summary>
public sealed class SaveEventCommand
{
    public Guid? Id { get; set; }
    public Guid ExpectedVersion { get; set; }
    public EventKind Kind { get; set; } = EventKind.Webinar;
    public string Title { get; set; } = string.Empty;

    /// <summary>The day, in the event's time zone.</summary>
    public DateTime? Date { get; set; }

    /// <summary>The start time of day, in the event's time zone.</summary>
    public TimeSpan? StartTime { get; set; }
    public string TimeZoneId { get; set; } = EventTime.Pacific;
    public int? DurationMinutes { get; set; } = 60;
    public string Topic { get; set; } = string.Empty;
    public string Presenters { get; set; } = string.Empty;
    public IReadOnlyCollection<string> ElementCodes { get; set; } = [];

    /// <summary>The plan a private support call is with; null when open to every organization.</summary>
    public Guid? PlanOrganizationId { get; set; }
    public string RecordingUrl { get; set; } = string.Empty;

    /// <summary>The wall-clock start in the event's zone, once both parts are given.</summary>
    public DateTime? LocalStart => Date is { } date && StartTime is { } start ? date.Date + start : null;
}

public sealed class SaveEventValidator : AbstractValidator<SaveEventCommand>
{
    /// <summary>A duration out of range.</summary>
    public static readonly string DurationMessage =
        $"An event lasts between 5 minutes and {EventTime.MaxDurationMinutes / 60} hours ({EventTime.MaxDurationMinutes} minutes).";

    /// <summary>Text in the duration field that is not a whole number (see WholeNumberField).</summary>
    public const string DurationUnreadableMessage = "Enter the duration as a whole number of minutes, such as 90.";

    public SaveEventValidator()
    {
        RuleFor(c => c.Kind).IsInEnum().WithMessage("Choose the kind of event.");
        RuleFor(c => c.Title).NotEmpty().WithMessage("Enter the event's title.")
            .MaximumLength(Limits.Title).WithMessage($"The title can be at most {Limits.Title} characters.").PlainLine();
        RuleFor(c => c.Date).NotNull().WithMessage("Choose the day of the event.")
            .PlausibleDate();
        RuleFor(c => c.StartTime).NotNull().WithMessage("Enter the start time.")
            .Must(t => t is null || (t.Value >= TimeSpan.Zero && t.Value < TimeSpan.FromDays(1))).WithMessage("Enter a time of day, such as 10:00 AM.");
        RuleFor(c => c.TimeZoneId).Must(z => EventTime.Zone(z) is not null).WithMessage("Choose a time zone from the list.");
        RuleFor(c => c.StartTime).Must((c, _) => EventTime.Problem(c.LocalStart!.Value, c.TimeZoneId) is null)
            .When(c => c.LocalStart is not null && EventTime.Zone(c.TimeZoneId) is not null && DateRules.IsPlausible(c.Date!.Value.Year))
            .WithMessage(c => EventTime.Problem(c.LocalStart!.Value, c.TimeZoneId) ?? string.Empty);
        RuleFor(c => c.DurationMinutes).Cascade(CascadeMode.Stop).NotNull().WithMessage("Enter the event's duration in minutes.").InclusiveBetween(5, EventTime.MaxDurationMinutes)
            .WithMessage(DurationMessage);
        RuleFor(c => c.Topic).MaximumLength(Limits.LongText).WithMessage($"The topic can be at most {Limits.LongText} characters.").PlainText();
        RuleFor(c => c.Presenters).MaximumLength(Limits.ShortText).WithMessage($"The presenters can be at most {Limits.ShortText} characters.").PlainLine();
        RuleFor(c => c.ElementCodes).Must(e => e.Count <= CommunityEvent.MaxElements).WithMessage($"Choose at most {CommunityEvent.MaxElements} elements.");
        RuleFor(c => c.PlanOrganizationId).Null().When(c => c.Kind != EventKind.SupportCall)
            .WithMessage("Only a support call can be with one plan; webinars and convenings are open to every organization.");
        RuleFor(c => c.RecordingUrl).Must(url => SaveElementValidator.LinkProblem(url) is null)
            .When(c => !string.IsNullOrWhiteSpace(c.RecordingUrl))
            .WithMessage(c => SaveElementValidator.LinkProblem(c.RecordingUrl) ?? string.Empty);
    }
}

/// <summary>Cancels an event, with the reason its registrants are told.</summary>
public sealed class CancelEventCommand
{
    public Guid Id { get; set; }
    public Guid ExpectedVersion { get; set; }
    public string Reason { get; set; } = string.Empty;
}

public sealed class CancelEventValidator : AbstractValidator<CancelEventCommand>
{
    public CancelEventValidator()
    {
        RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the event is cancelled: registrants are told.")
            .MaximumLength(Limits.ShortText).WithMessage($"The reason can be at most {Limits.ShortText} characters.").PlainText();
    }
}

/// <summary>Adds a material to an event: a link, or (with a file given to the service) an uploaded file.</summary>
public sealed class AddMaterialCommand
{
    public Guid EventId { get; set; }
    public string Title { get; set; } = string.Empty;
    public string Url { get; set; } = string.Empty;
}

public sealed class AddMaterialValidator : AbstractValidator<AddMaterialCommand>
{
    public AddMaterialValidator()
    {
        RuleFor(c => c.Title).NotEmpty().WithMessage("Give the material a title.")
            .MaximumLength(Limits.Title).WithMessage($"The title can be at most {Limits.Title} characters.").PlainLine();
        RuleFor(c => c.Url).Must(url => SaveElementValidator.LinkProblem(url) is null)
            .When(c => !string.IsNullOrWhiteSpace(c.Url))
            .WithMessage(c => SaveElementValidator.LinkProblem(c.Url) ?? string.Empty);
    }
}

/// <summary>The time zones the schedule form offers (any IANA zone is accepted by the service).</summary>
public static class EventTimeZones
{
    public static IReadOnlyList<(string Id, string Label)> Offered { get; } =
    [
        (EventTime.Pacific, "Pacific time (Los Angeles)"),
        ("America/Denver", "Mountain time (Denver)"),
        ("America/Phoenix", "Arizona (Phoenix)"),
        ("America/Chicago", "Central time (Chicago)"),
        ("America/New_York", "Eastern time (New York)"),
        ("America/Anchorage", "Alaska (Anchorage)"),
        ("Pacific/Honolulu", "Hawaii (Honolulu)"),
        ("UTC", "UTC"),
    ];
}
