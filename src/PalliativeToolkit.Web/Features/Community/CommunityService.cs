using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Files;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Notifications;
using PalliativeToolkit.Web.Features.Resources;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>The <c>Community</c> configuration section.</summary>
public sealed class CommunityOptions
{
    public const string SectionName = "Community";

    /// <summary>How many hours before an event its registrants are reminded (once per start time).</summary>
    public int ReminderHours { get; set; } = 24;

    /// <summary>How often the worker looks for events to remind of.</summary>
    public int CheckMinutes { get; set; } = 15;

    /// <summary>The first day of the grant period the programme shows; when not set, the month of the first event.</summary>
    public DateOnly? ProgrammeStart { get; set; }

    /// <summary>The last day of the grant period; when not set, the end of the month of the last event.</summary>
    public DateOnly? ProgrammeEnd { get; set; }

    /// <summary>The grant's targets for the period: nine bi-monthly webinars and two annual convenings.</summary>
    public int PlannedWebinars { get; set; } = 9;

    public int PlannedConvenings { get; set; } = 2;
}

/// <summary>
/// The learning community's events: every signed-in person sees the open ones (a private support call only its plan's
/// members and the reviewers, through the access filters), registers people of their organization and downloads the
/// materials; statewide reviewers schedule, change and cancel events and keep their materials. Registrants are told
/// when an event is cancelled or moved, after the change is stored.
/// </summary>
public sealed class CommunityService(OperationRunner operations, IFileStore files, FrameworkCatalog catalog, Notifier notifier, IOptions<CommunityOptions> options)
{
    public const string FileField = "File";
    private const string OnlyReviewers = "Only statewide reviewers schedule and change the learning community's events.";
    private const string NotFound = "That event does not exist, or you do not have access to it.";
    private readonly SaveEventValidator _validator = new();
    private readonly CancelEventValidator _cancelValidator = new();
    private readonly AddMaterialValidator _materialValidator = new();

    public Task<Outcome<CommunityView>> ListAsync(ClaimsPrincipal principal, EventKind? kind = null, CancellationToken cancellationToken = default) =>
        operations.RunAsync<CommunityView>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to see the learning community's events.");
            }

            var events = await SummariesAsync(op, kind);
            return new CommunityView(
                events.Where(e => e.StartsAt.AddMinutes(e.DurationMinutes) > op.Now).OrderBy(e => e.StartsAt).ToList(),
                events.Where(e => e.StartsAt.AddMinutes(e.DurationMinutes) <= op.Now).OrderByDescending(e => e.StartsAt).ToList(),
                op.Viewer.May(Permission.RunCommunity));
        }, cancellationToken);

    private static async Task<List<EventSummary>> SummariesAsync(Operation op, EventKind? kind)
    {
        var query = op.Db.CommunityEvents.AsNoTracking();
        if (kind is { } only)
        {
            query = query.Where(e => e.Kind == only);
        }

        var rows = await query.Select(e => new { e.Id, e.Kind, e.Title, e.StartsAt, e.TimeZoneId, e.DurationMinutes, e.Topic, e.Status, e.PlanOrganizationId })
            .ToListAsync(op.Cancellation);
        var planIds = rows.Where(r => r.PlanOrganizationId != null).Select(r => r.PlanOrganizationId!.Value).Distinct().ToList();
        var plans = await op.Db.Organizations.AsNoTracking().Where(o => planIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, op.Cancellation);
        var mine = op.Viewer.OrganizationIds;
        var registered = await op.Db.EventRegistrations.AsNoTracking().Where(r => mine.Contains(r.OrganizationId))
            .GroupBy(r => r.EventId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, op.Cancellation);
        return rows.Select(r => new EventSummary(r.Id, r.Kind, r.Title, r.StartsAt, r.TimeZoneId, r.DurationMinutes, r.Topic, r.Status,
                r.PlanOrganizationId is { } plan ? plans.GetValueOrDefault(plan, "one plan") : null, registered.GetValueOrDefault(r.Id),
                r.Status != EventStatus.Cancelled && r.StartsAt.AddMinutes(r.DurationMinutes) <= op.Now,
                r.Status != EventStatus.Cancelled && r.StartsAt <= op.Now && r.StartsAt.AddMinutes(r.DurationMinutes) > op.Now))
            .ToList();
    }

    public Task<Outcome<EventView>> GetAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<EventView>(principal, async op =>
        {
            var found = op.Viewer.IsAuthenticated ? await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, op.Cancellation) : null;
            if (found is null)
            {
                return Failure.Missing(NotFound);
            }

            var elements = await ElementsAsync(op);
            var titles = elements.ToDictionary(e => e.Code, e => e.Title, StringComparer.Ordinal);
            var planName = found.PlanOrganizationId is { } planId
                ? await op.Db.Organizations.AsNoTracking().Where(o => o.Id == planId).Select(o => o.Name).SingleOrDefaultAsync(op.Cancellation) ?? "one plan"
                : null;
            var materials = await op.Db.EventMaterials.AsNoTracking().Where(m => m.EventId == id).OrderBy(m => m.AddedAt).ThenBy(m => m.Title)
                .Select(m => new MaterialView(m.Id, m.Title, m.Url, m.FileName, m.FileLength)).ToListAsync(op.Cancellation);
            var registrations = await (from r in op.Db.EventRegistrations.AsNoTracking()
                                       join u in op.Db.Users on r.UserId equals u.Id
                                       join o in op.Db.Organizations on r.OrganizationId equals o.Id
                                       where r.EventId == id
                                       select new RegistrationView(r.Id, r.UserId, u.DisplayName, r.OrganizationId, o.Name)).ToListAsync(op.Cancellation);

            // The viewer's organizations (only the plan, for its private call), with the people they may register.
            var organizationIds = op.Viewer.OrganizationIds.Where(o => found.PlanOrganizationId is null || found.PlanOrganizationId == o).ToList();
            var organizations = await op.Db.Organizations.AsNoTracking().Where(o => organizationIds.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(op.Cancellation);
            var members = await (from m in op.Db.Memberships.AsNoTracking()
                                 join u in op.Db.Users on m.UserId equals u.Id
                                 where organizationIds.Contains(m.OrganizationId)
                                 select new { m.OrganizationId, m.UserId, u.DisplayName }).ToListAsync(op.Cancellation);
            var byUser = registrations.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.First());
            var mine = organizations.OrderBy(o => o.Name).Select(o =>
            {
                var manages = op.Viewer.May(OrganizationPermission.ManagePeople, o.Id);
                var people = members.Where(m => m.OrganizationId == o.Id && (manages || m.UserId == op.Viewer.UserId))
                    .OrderBy(m => m.UserId != op.Viewer.UserId).ThenBy(m => m.DisplayName)
                    .Select(m => new RegistrantChoice(m.UserId, m.DisplayName, byUser.GetValueOrDefault(m.UserId)?.Id)).ToList();
                return new OrganizationRegistrations(o.Id, o.Name, manages, people);
            }).ToList();

            return new EventView(found.Id, found.Version, found.Kind, found.Title, found.StartsAt, found.TimeZoneId, found.DurationMinutes, found.Topic, found.Presenters,
                found.ElementCodes.Select(c => new ElementChoice(c, titles.GetValueOrDefault(c, string.Empty))).ToList(), found.PlanOrganizationId, planName,
                found.RecordingUrl, found.Status, found.CancelReason, found.CancelledAt, materials,
                registrations.OrderBy(r => r.Organization).ThenBy(r => r.Name).ToList(), mine,
                op.Viewer.May(Permission.RunCommunity), found.OpenForRegistration(op.Now), found.TookPlace(op.Now), found.IsUnderWay(op.Now));
        }, cancellationToken);

    /// <summary>The schedule form: a new event's defaults (10:00 Pacific, an hour), or an event's stored values for editing.</summary>
    public Task<Outcome<EventEditor>> EditorAsync(ClaimsPrincipal principal, Guid? id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<EventEditor>(principal, async op =>
        {
            op.Demand(Permission.RunCommunity, OnlyReviewers);
            var plans = await op.Db.Organizations.AsNoTracking().Where(o => o.Kind == OrganizationKind.ManagedCarePlan).OrderBy(o => o.Name)
                .Select(o => new { o.Id, o.Name }).ToListAsync(op.Cancellation);
            var command = new SaveEventCommand { StartTime = TimeSpan.FromHours(10) };
            var tookPlace = false;
            if (id is { } eventId)
            {
                var found = await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, op.Cancellation);
                if (found is null)
                {
                    return Failure.Missing(NotFound);
                }

                if (found.IsCancelled)
                {
                    return Failure.Refuse("A cancelled event can't be changed.");
                }

                var local = EventTime.LocalIn(found.StartsAt, found.TimeZoneId);
                command = new SaveEventCommand
                {
                    Id = found.Id,
                    ExpectedVersion = found.Version,
                    Kind = found.Kind,
                    Title = found.Title,
                    Date = local.Date,
                    StartTime = local.TimeOfDay,
                    TimeZoneId = found.TimeZoneId,
                    DurationMinutes = found.DurationMinutes,
                    Topic = found.Topic,
                    Presenters = found.Presenters,
                    ElementCodes = found.ElementCodes.ToList(),
                    PlanOrganizationId = found.PlanOrganizationId,
                    RecordingUrl = found.RecordingUrl,
                };
                tookPlace = found.TookPlace(op.Now);
            }

            return new EventEditor(command, plans.Select(p => (p.Id, p.Name)).ToList(), await ElementsAsync(op), tookPlace);
        }, cancellationToken);

    private async Task<IReadOnlyList<ElementChoice>> ElementsAsync(Operation op)
    {
        var current = await op.Db.FrameworkVersions.AsNoTracking().Where(f => f.IsCurrent).Select(f => f.Id).SingleAsync(op.Cancellation);
        return (await catalog.GetAsync(op, current)).Sections.SelectMany(s => s.Elements).Select(e => new ElementChoice(e.Code, e.Title)).ToList();
    }

    /// <summary>
    /// Schedules or changes an event (reviewers). A change is refused when someone else changed the event since the form
    /// was opened, and a move to a time still to come when attendance is recorded for it. Registrants are told when the
    /// time of an event still to come changes.
    /// </summary>
    public async Task<Outcome<Guid>> SaveAsync(ClaimsPrincipal principal, SaveEventCommand command, Uri? portal = null, CancellationToken cancellationToken = default)
    {
        DateTime? movedFrom = null;
        var outcome = await operations.RunAsync<SaveEventCommand, Guid>(principal, command, _validator, async op =>
        {
            op.Demand(Permission.RunCommunity, OnlyReviewers);
            var known = (await ElementsAsync(op)).Select(e => e.Code).ToHashSet(StringComparer.Ordinal);
            var unknown = command.ElementCodes.Where(c => !known.Contains(c)).ToList();
            if (unknown.Count > 0)
            {
                return Failure.FieldError(nameof(SaveEventCommand.ElementCodes), $"Choose elements of the guide ({string.Join(", ", unknown)} is not one).");
            }

            if (command.PlanOrganizationId is { } plan
                && !await op.Db.Organizations.AnyAsync(o => o.Id == plan && o.Kind == OrganizationKind.ManagedCarePlan, op.Cancellation))
            {
                return Failure.FieldError(nameof(SaveEventCommand.PlanOrganizationId), "Choose a managed care plan from the list, or make the call open to everyone.");
            }

            var time = EventTime.At(command.LocalStart!.Value, command.TimeZoneId, command.DurationMinutes!.Value);
            if (!string.IsNullOrWhiteSpace(command.RecordingUrl) && time.StartsAtUtc > op.Now)
            {
                return Failure.FieldError(nameof(SaveEventCommand.RecordingUrl), "Add the recording link once the event has taken place.");
            }

            if (command.Id is not { } id)
            {
                var added = new CommunityEvent(command.Kind, command.Title, time, command.Topic, command.Presenters, command.ElementCodes, command.PlanOrganizationId, op.Now, op.Viewer.UserId);
                added.SetRecording(command.RecordingUrl, op.Now);
                op.Db.CommunityEvents.Add(added);
                await op.SaveAsync();
                return added.Id;
            }

            var found = await op.Db.CommunityEvents.SingleOrDefaultAsync(e => e.Id == id, op.Cancellation);
            if (found is null)
            {
                return Failure.Missing(NotFound);
            }

            op.ExpectVersion(found, command.ExpectedVersion);
            if (command.Kind != found.Kind)
            {
                return Failure.FieldError(nameof(SaveEventCommand.Kind), "An event's kind can't change once it is scheduled: cancel it and schedule another.");
            }

            // Attendance is of an event that took place: the event can't then move to a time still to come.
            if (time.StartsAtUtc > op.Now && time.StartsAtUtc != found.StartsAt && await op.Db.Attendances.AnyAsync(a => a.EventId == id, op.Cancellation))
            {
                return Failure.FieldError(nameof(SaveEventCommand.StartTime),
                    "People attended this event, so it can't move to a time still to come. Choose a time in the past, or remove the attendance first.");
            }

            if (command.PlanOrganizationId != found.PlanOrganizationId)
            {
                var registrations = await op.Db.EventRegistrations.Where(r => r.EventId == id).ToListAsync(op.Cancellation);
                var attendances = await op.Db.Attendances.Where(a => a.EventId == id).ToListAsync(op.Cancellation);
                if (command.PlanOrganizationId is { } only && registrations.Any(r => r.OrganizationId != only))
                {
                    return Failure.FieldError(nameof(SaveEventCommand.PlanOrganizationId),
                        "People of other organizations are registered for this call: it can't become private to one plan.");
                }

                if (command.PlanOrganizationId is { } alone && attendances.Any(a => a.OrganizationId != alone))
                {
                    return Failure.FieldError(nameof(SaveEventCommand.PlanOrganizationId),
                        "People of other organizations attended this call: it can't become private to one plan.");
                }

                registrations.ForEach(r => r.FollowPlan(command.PlanOrganizationId));
                attendances.ForEach(a => a.FollowPlan(command.PlanOrganizationId));
                (await op.Db.AttendanceImports.Where(i => i.EventId == id).ToListAsync(op.Cancellation)).ForEach(i => i.FollowPlan(command.PlanOrganizationId));
                (await op.Db.EventMaterials.Where(m => m.EventId == id).ToListAsync(op.Cancellation)).ForEach(m => m.FollowPlan(command.PlanOrganizationId));
            }

            var before = found.StartsAt;
            var moved = found.Reschedule(command.Title, time, command.Topic, command.Presenters, command.ElementCodes, command.PlanOrganizationId, command.RecordingUrl, op.Now);
            await op.SaveAsync();
            movedFrom = moved && found.StartsAt > op.Now ? before : null;
            return found.Id;
        }, cancellationToken);
        if (outcome.Succeeded && movedFrom is { } previous)
        {
            await notifier.EventRescheduledAsync(outcome.Value, previous, principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty, portal);
        }

        return outcome;
    }

    /// <summary>Cancels an event still to come (reviewers), with the reason its registrants are then told.</summary>
    public async Task<Outcome<Done>> CancelAsync(ClaimsPrincipal principal, CancelEventCommand command, Uri? portal = null, CancellationToken cancellationToken = default)
    {
        var outcome = await operations.RunAsync<CancelEventCommand, Done>(principal, command, _cancelValidator, async op =>
        {
            op.Demand(Permission.RunCommunity, OnlyReviewers);
            var found = await op.Db.CommunityEvents.SingleOrDefaultAsync(e => e.Id == command.Id, op.Cancellation);
            if (found is null)
            {
                return Failure.Missing(NotFound);
            }

            op.ExpectVersion(found, command.ExpectedVersion);
            found.Cancel(command.Reason, op.Now);
            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);
        if (outcome.Succeeded)
        {
            await notifier.EventCancelledAsync(command.Id, principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty, portal);
        }

        return outcome;
    }

    /// <summary>
    /// Adds a material to an event (reviewers): a link, or an uploaded file checked by its bytes and kept by the file store,
    /// as the resource library keeps its uploads. A file kept for a save that did not happen is deleted again.
    /// </summary>
    public async Task<Outcome<Guid>> AddMaterialAsync(ClaimsPrincipal principal, AddMaterialCommand command, Stream? file = null, string? fileName = null, CancellationToken cancellationToken = default)
    {
        StoredFile? stored = null;
        Outcome<Guid> outcome;
        try
        {
            outcome = await operations.RunAsync<AddMaterialCommand, Guid>(principal, command, _materialValidator, async op =>
            {
                op.Demand(Permission.RunCommunity, OnlyReviewers);
                var found = await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == command.EventId, op.Cancellation);
                if (found is null)
                {
                    return Failure.Missing(NotFound);
                }

                if (file is null && string.IsNullOrWhiteSpace(command.Url))
                {
                    return Failure.FieldError(nameof(AddMaterialCommand.Url), "Enter a full web address starting with https:// or http://, or choose a file to upload.");
                }

                EventMaterial material;
                if (file is not null)
                {
                    try
                    {
                        stored = await files.SaveAsync(file, op.Cancellation);
                    }
                    catch (FileRefusedException ex)
                    {
                        return Failure.FieldError(FileField, ex.Message);
                    }

                    material = EventMaterial.File(found, command.Title, stored.Key, SafeFileName.For(fileName, stored.Kind), stored.Kind.ContentType(), stored.Length, op.Now, op.Viewer.UserId);
                }
                else
                {
                    material = EventMaterial.Link(found, command.Title, command.Url, op.Now, op.Viewer.UserId);
                }

                op.Db.EventMaterials.Add(material);
                await op.SaveAsync();
                return material.Id;
            }, cancellationToken);
        }
        catch
        {
            if (stored is not null)
            {
                await files.DeleteAsync(stored.Key);
            }

            throw;
        }

        if (!outcome.Succeeded && stored is not null)
        {
            await files.DeleteAsync(stored.Key);
        }

        return outcome;
    }

    /// <summary>Removes a material (reviewers); its file, if it had one, goes too.</summary>
    public async Task<Outcome<Done>> RemoveMaterialAsync(ClaimsPrincipal principal, Guid materialId, CancellationToken cancellationToken = default)
    {
        string? key = null;
        var outcome = await operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.RunCommunity, OnlyReviewers);
            var material = await op.Db.EventMaterials.SingleOrDefaultAsync(m => m.Id == materialId, op.Cancellation);
            if (material is null)
            {
                return Failure.Missing("That material does not exist.");
            }

            key = material.FileKey;
            op.Db.EventMaterials.Remove(material);
            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);
        if (outcome.Succeeded && key is not null)
        {
            await files.DeleteAsync(key);
        }

        return outcome;
    }

    /// <summary>A material's uploaded file, for whoever may see its event; not found for anyone else (a guessed address included).</summary>
    public Task<Outcome<DocumentFile>> OpenMaterialAsync(ClaimsPrincipal principal, Guid materialId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<DocumentFile>(principal, async op =>
        {
            var material = op.Viewer.IsAuthenticated
                ? await op.Db.EventMaterials.AsNoTracking().Where(m => m.Id == materialId && op.Db.CommunityEvents.Any(e => e.Id == m.EventId))
                    .Select(m => new { m.FileKey, m.FileName, m.FileContentType }).SingleOrDefaultAsync(op.Cancellation)
                : null;
            if (material?.FileKey is null || files.OpenRead(material.FileKey) is not { } stream)
            {
                return Failure.Missing("That material has no file, or it does not exist.");
            }

            return new DocumentFile(stream, material.FileName!, material.FileContentType!);
        }, cancellationToken);

    /// <summary>
    /// Registers a person of one of the viewer's organizations for an event still to come: the viewer themselves, or (for
    /// the organization's managers) any of its members. A private support call takes its plan's people only.
    /// </summary>
    public Task<Outcome<Guid>> RegisterAsync(ClaimsPrincipal principal, Guid eventId, Guid organizationId, string userId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Guid>(principal, async op =>
        {
            var found = op.Viewer.IsAuthenticated ? await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, op.Cancellation) : null;
            if (found is null)
            {
                return Failure.Missing(NotFound);
            }

            if (op.Viewer.RoleIn(organizationId) is null)
            {
                return Failure.Refuse("Register people of your own organization.");
            }

            if (userId != op.Viewer.UserId)
            {
                op.Demand(OrganizationPermission.ManagePeople, organizationId, "Only your organization's managers register other people; you can register yourself.");
            }

            var person = await (from m in op.Db.Memberships
                                join u in op.Db.Users on m.UserId equals u.Id
                                where m.OrganizationId == organizationId && m.UserId == userId
                                select u.DisplayName).SingleOrDefaultAsync(op.Cancellation);
            if (person is null)
            {
                return Failure.Refuse("Choose a member of your organization.");
            }

            if (await op.Db.EventRegistrations.AnyAsync(r => r.EventId == eventId && r.UserId == userId, op.Cancellation))
            {
                return Failure.Refuse($"{person} is already registered for this event.");
            }

            var registration = new EventRegistration(found, organizationId, userId, op.Now, op.Viewer.UserId);
            op.Db.EventRegistrations.Add(registration);
            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
            {
                return Failure.Refuse($"{person} is already registered for this event.");
            }

            return registration.Id;
        }, cancellationToken);

    /// <summary>Takes a registration back before the event starts: the person's own, or (for a manager) one of their organization's.</summary>
    public Task<Outcome<Done>> UnregisterAsync(ClaimsPrincipal principal, Guid registrationId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            var registration = op.Viewer.IsAuthenticated ? await op.Db.EventRegistrations.SingleOrDefaultAsync(r => r.Id == registrationId, op.Cancellation) : null;
            if (registration is null)
            {
                return Failure.Missing("That registration does not exist.");
            }

            if (registration.UserId != op.Viewer.UserId)
            {
                op.Demand(OrganizationPermission.ManagePeople, registration.OrganizationId, "Only your organization's managers take other people's registrations back.");
            }

            var found = await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == registration.EventId, op.Cancellation);
            if (found is null || !found.OpenForRegistration(op.Now))
            {
                return Failure.Refuse("This event has started or is cancelled: its registrations stay as they are.");
            }

            op.Db.EventRegistrations.Remove(registration);
            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);

    /// <summary>
    /// The grant period's programme: each kind planned (the grant's targets) against scheduled, took place (over and not
    /// cancelled), still to come (under way or not started) and cancelled, and every event of the period in order.
    /// </summary>
    public Task<Outcome<ProgrammeView>> ProgrammeAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ProgrammeView>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to see the learning community's programme.");
            }

            var all = await SummariesAsync(op, null);
            var settings = options.Value;
            var pacificDates = all.Select(e => DateOnly.FromDateTime(EventTime.LocalIn(e.StartsAt, EventTime.Pacific))).ToList();
            var today = DateOnly.FromDateTime(EventTime.LocalIn(op.Now, EventTime.Pacific));
            var first = pacificDates.Count > 0 ? pacificDates.Min() : today;
            var last = pacificDates.Count > 0 ? pacificDates.Max() : today;
            var from = settings.ProgrammeStart ?? new DateOnly(first.Year, first.Month, 1);
            var to = settings.ProgrammeEnd ?? new DateOnly(last.Year, last.Month, 1).AddMonths(1).AddDays(-1);

            var inPeriod = all.Where(e => DateOnly.FromDateTime(EventTime.LocalIn(e.StartsAt, EventTime.Pacific)) is var day && day >= from && day <= to)
                .OrderBy(e => e.StartsAt).ToList();
            var lines = Enum.GetValues<EventKind>().Select(kind =>
            {
                var ofKind = inPeriod.Where(e => e.Kind == kind).ToList();
                int? target = kind switch { EventKind.Webinar => settings.PlannedWebinars, EventKind.Convening => settings.PlannedConvenings, _ => null };
                return new ProgrammeLine(kind, target, ofKind.Count(e => !e.IsCancelled), ofKind.Count(e => e.TookPlace),
                    ofKind.Count(e => !e.IsCancelled && !e.TookPlace), ofKind.Count(e => e.IsCancelled));
            }).ToList();
            return new ProgrammeView(from, to, lines, inPeriod);
        }, cancellationToken);
}
