using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Community;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>
/// Who attended the learning community's events. Statewide reviewers record attendance on an event's page (an
/// organization, and a person of it or a name and address), remove a wrong entry, and import a webinar platform's
/// attendee report: the report is read and matched first (<see cref="PreviewImportAsync"/>), nothing saved, and saved
/// only with the reviewer's decisions for the rows that matched nothing (<see cref="ImportAsync"/>), re-read and
/// re-matched from the same bytes. Members see their own organizations' attendance and participation; a private support
/// call's attendance stays with its plan (the access filters).
/// </summary>
public sealed class AttendanceService(OperationRunner operations, IOptions<CommunityOptions> options)
{
    public const string FileField = "File";
    private const string OnlyReviewers = "Only statewide reviewers record the learning community's attendance.";
    private const string NotFound = "That event does not exist, or you do not have access to it.";
    private readonly RecordAttendanceValidator _validator = new();

    /// <summary>The field of a review row's decision (its line in the file), for the message shown beside the row.</summary>
    public static string RowField(int line) => $"Line{line.ToString(CultureInfo.InvariantCulture)}";

    public Task<Outcome<EventAttendanceView>> ForEventAsync(ClaimsPrincipal principal, Guid eventId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<EventAttendanceView>(principal, async op =>
        {
            var found = op.Viewer.IsAuthenticated ? await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, op.Cancellation) : null;
            if (found is null)
            {
                return Failure.Missing(NotFound);
            }

            var reviewer = op.Viewer.May(Permission.RunCommunity);
            var imports = reviewer
                ? await op.Db.AttendanceImports.AsNoTracking().Where(i => i.EventId == eventId).OrderBy(i => i.ImportedAt)
                    .Select(i => new { i.Id, Line = new ImportLine(i.ImportedAt, i.FileName, i.Rows, i.Added, i.AlreadyPresent, i.Skipped) }).ToListAsync(op.Cancellation)
                : [];
            var files = imports.ToDictionary(i => i.Id, i => i.Line.FileName);
            var rows = await (from a in op.Db.Attendances.AsNoTracking()
                              join o in op.Db.Organizations.AsNoTracking() on a.OrganizationId equals o.Id
                              where a.EventId == eventId
                              orderby o.Name, a.Name
                              select new { a.Id, a.Name, a.Email, a.OrganizationId, Organization = o.Name, a.UserId, a.Source, a.ImportId, a.Minutes }).ToListAsync(op.Cancellation);
            var lines = rows.Select(r => new AttendanceLine(r.Id, r.Name, r.Email, r.OrganizationId, r.Organization, r.UserId is not null,
                r.Source == AttendanceSource.Staff ? "recorded by staff"
                    : r.ImportId is { } import && files.TryGetValue(import, out var file) ? $"imported from {file}" : "imported from an attendee report",
                r.Minutes)).ToList();
            var planName = found.PlanOrganizationId is { } plan
                ? await op.Db.Organizations.AsNoTracking().Where(o => o.Id == plan).Select(o => o.Name).SingleOrDefaultAsync(op.Cancellation)
                : null;
            var organizations = reviewer ? await AttendanceImporter.OrganizationsForAsync(op.Db, found, op.Cancellation) : [];
            return new EventAttendanceView(found.Id, found.Title, found.HasStarted(op.Now), found.IsCancelled, planName, reviewer, lines, organizations,
                imports.Select(i => i.Line).ToList());
        }, cancellationToken);

    /// <summary>The people of an organization, for the reviewer's person picker.</summary>
    public Task<Outcome<IReadOnlyList<AttendeePerson>>> PeopleAsync(ClaimsPrincipal principal, Guid organizationId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<AttendeePerson>>(principal, async op =>
        {
            op.Demand(Permission.RunCommunity, OnlyReviewers);
            return await AttendanceImporter.PeopleOfAsync(op.Db, [organizationId], op.Cancellation);
        }, cancellationToken);

    /// <summary>Records that someone attended an event that took place (reviewers). The same address twice is refused beside the field.</summary>
    public Task<Outcome<Guid>> RecordAsync(ClaimsPrincipal principal, RecordAttendanceCommand command, CancellationToken cancellationToken = default) =>
        operations.RunAsync<RecordAttendanceCommand, Guid>(principal, command, _validator, async op =>
        {
            op.Demand(Permission.RunCommunity, OnlyReviewers);
            var found = await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == command.EventId, op.Cancellation);
            if (found is null)
            {
                return Failure.Missing(NotFound);
            }

            if (!found.HasStarted(op.Now))
            {
                return Failure.Refuse(found.IsCancelled ? "This event was cancelled: nobody attended it." : "Attendance is recorded once the event has taken place.");
            }

            var organizations = await AttendanceImporter.OrganizationsForAsync(op.Db, found, op.Cancellation);
            if (organizations.All(o => o.Id != command.OrganizationId))
            {
                return Failure.FieldError(nameof(RecordAttendanceCommand.OrganizationId), found.PlanOrganizationId is null
                    ? "Choose a plan or provider from the list."
                    : "This support call was private to one plan: choose that plan.");
            }

            var organizationId = command.OrganizationId!.Value;
            string name = command.Name.Trim(), email = command.Email.Trim();
            string? userId = null;
            if (!string.IsNullOrWhiteSpace(command.UserId))
            {
                var person = (await AttendanceImporter.PeopleOfAsync(op.Db, [organizationId], op.Cancellation)).FirstOrDefault(p => p.UserId == command.UserId);
                if (person is null)
                {
                    return Failure.FieldError(nameof(RecordAttendanceCommand.UserId), "Choose a person of the chosen organization, or type a name and address.");
                }

                (userId, name, email) = (person.UserId, person.Name, person.Email);
            }

            var normalized = AttendeeEmail.Normalize(email);
            if (normalized is null)
            {
                return Failure.FieldError(nameof(RecordAttendanceCommand.Email), "Enter one e-mail address, such as name@example.org.");
            }

            if (await op.Db.Attendances.AnyAsync(a => a.EventId == found.Id && a.Email == normalized, op.Cancellation))
            {
                return Failure.FieldError(userId is null ? nameof(RecordAttendanceCommand.Email) : nameof(RecordAttendanceCommand.UserId),
                    $"{name} ({normalized}) is already recorded as attending this event.");
            }

            var attendance = Attendance.ByStaff(found, organizationId, userId, name, normalized, op.Now, op.Viewer.UserId);
            op.Db.Attendances.Add(attendance);
            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
            {
                return Failure.FieldError(nameof(RecordAttendanceCommand.Email), $"{name} ({normalized}) is already recorded as attending this event.");
            }

            return attendance.Id;
        }, cancellationToken);

    /// <summary>Removes a wrong entry (reviewers).</summary>
    public Task<Outcome<Done>> RemoveAsync(ClaimsPrincipal principal, Guid attendanceId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.RunCommunity, OnlyReviewers);
            var found = await op.Db.Attendances.SingleOrDefaultAsync(a => a.Id == attendanceId, op.Cancellation);
            if (found is null)
            {
                return Failure.Missing("That attendance does not exist: it may have been removed already.");
            }

            op.Db.Attendances.Remove(found);
            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);

    /// <summary>
    /// Reads an attendee report for an event and matches it, saving nothing: the review step. A file the portal can't read
    /// is refused beside the file field, with its line.
    /// </summary>
    public Task<Outcome<ImportPreview>> PreviewImportAsync(ClaimsPrincipal principal, Guid eventId, byte[] content, string fileName, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ImportPreview>(principal, async op =>
        {
            var (plan, failure) = await PlanAsync(op, eventId, content);
            if (failure is not null)
            {
                return failure;
            }

            var names = plan!.Organizations.ToDictionary(o => o.Id, o => o.Name);
            var rows = plan.Rows.Select(r => new ReviewRow(r.Row.Line, r.Row.Name, r.Row.Email, r.Row.Minutes, r.Row.Rows, r.Match, r.OrganizationId,
                r.OrganizationId is { } o ? names.GetValueOrDefault(o) : null, r.UserId, r.Reason, r.Candidates)).ToList();
            return new ImportPreview(plan.Event.Id, plan.Event.Title, fileName, plan.Report.Hash, rows,
                plan.Report.Skipped.Select(s => new SkippedRow(s.Line, s.Text, s.Reason)).ToList(), plan.Organizations, plan.People, plan.EarlierImports);
        }, cancellationToken);

    /// <summary>
    /// Saves an attendee report with the reviewer's decisions (by address: an organization and optionally a person, or
    /// skip). The file is read and matched again: what is saved is what the file and the portal say now. A decision that
    /// can't be carried out is refused beside its row, and nothing is saved.
    /// </summary>
    public Task<Outcome<ImportResult>> ImportAsync(ClaimsPrincipal principal, Guid eventId, byte[] content, string fileName, IReadOnlyDictionary<string, RowDecision> decisions,
        CancellationToken cancellationToken = default) =>
        operations.RunAsync<ImportResult>(principal, async op =>
        {
            ArgumentNullException.ThrowIfNull(decisions);
            var (plan, failure) = await PlanAsync(op, eventId, content);
            if (failure is not null)
            {
                return failure;
            }

            var normalized = decisions.Where(d => AttendeeEmail.Normalize(d.Key) is not null)
                .ToDictionary(d => AttendeeEmail.Normalize(d.Key)!, d => d.Value, StringComparer.Ordinal);
            var problems = AttendanceImporter.Check(plan!, normalized);
            if (problems.Count > 0)
            {
                return new Failure.Invalid(problems.GroupBy(p => RowField(p.Line)).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
            }

            var result = AttendanceImporter.Apply(op.Db, plan!, fileName, normalized, op.Now, op.Viewer.UserId);
            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
            {
                return Failure.Refuse("Someone recorded attendance for this event while you were reviewing the file: nothing was saved. Read the file again to see what it adds now.");
            }

            return result;
        }, cancellationToken);

    private static async Task<(ImportPlan? Plan, Failure? Failure)> PlanAsync(Operation op, Guid eventId, byte[] content)
    {
        op.Demand(Permission.RunCommunity, OnlyReviewers);
        var found = await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, op.Cancellation);
        if (found is null)
        {
            return (null, Failure.Missing(NotFound));
        }

        if (!found.HasStarted(op.Now))
        {
            return (null, Failure.Refuse(found.IsCancelled ? "This event was cancelled: nobody attended it." : "Attendance is imported once the event has taken place."));
        }

        AttendeeReport report;
        try
        {
            report = AttendeeReport.Parse(content);
        }
        catch (AttendeeReportException ex)
        {
            return (null, Failure.FieldError(FileField, ex.Message));
        }

        if (report.Rows.Count == 0)
        {
            return (null, Failure.FieldError(FileField, report.Skipped.Count == 0
                ? "The report lists nobody: it has a header row but no attendee under it."
                : $"The report lists nobody the portal can record: {report.Skipped.Count} row(s) without a usable e-mail address (line {report.Skipped[0].Line}: {report.Skipped[0].Reason})."));
        }

        return (await AttendanceImporter.PlanAsync(op.Db, found, report, op.Cancellation), null);
    }

    /// <summary>
    /// Participation per organization over the grant period (the programme's, when configured; otherwise every event):
    /// events that took place, attended by kind. Reviewers see every plan and provider; members their own organizations.
    /// The last two open events that took place: organizations that attended neither are flagged.
    /// </summary>
    public Task<Outcome<ParticipationView>> ParticipationAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ParticipationView>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to see the learning community's participation.");
            }

            var everyone = op.Viewer.May(Permission.ViewStatewide);
            var mine = op.Viewer.OrganizationIds;
            var organizations = await op.Db.Organizations.AsNoTracking()
                .Where(o => o.Kind != OrganizationKind.StatewideSupport && (everyone || mine.Contains(o.Id)))
                .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name, o.Kind }).ToListAsync(op.Cancellation);
            var settings = options.Value;
            var now = op.Now;
            var events = (await op.Db.CommunityEvents.AsNoTracking().Where(e => e.Status == EventStatus.Scheduled && e.StartsAt <= now)
                    .Select(e => new { e.Id, e.Kind, e.Title, e.StartsAt, e.TimeZoneId, e.DurationMinutes, e.Topic, e.Status, e.PlanOrganizationId }).ToListAsync(op.Cancellation))
                .Where(e => e.StartsAt.AddMinutes(e.DurationMinutes) <= now) // took place: over, not only started
                .Where(e => DateOnly.FromDateTime(EventTime.LocalIn(e.StartsAt, EventTime.Pacific)) is var day
                    && (settings.ProgrammeStart is null || day >= settings.ProgrammeStart) && (settings.ProgrammeEnd is null || day <= settings.ProgrammeEnd))
                .ToList();
            var eventIds = events.Select(e => e.Id).ToList();
            var attended = await op.Db.Attendances.AsNoTracking().Where(a => eventIds.Contains(a.EventId))
                .Select(a => new { a.EventId, a.OrganizationId }).ToListAsync(op.Cancellation);
            var byId = events.ToDictionary(e => e.Id);
            var lastTwo = events.Where(e => e.PlanOrganizationId == null).OrderByDescending(e => e.StartsAt).Take(2).ToList();
            var lines = organizations.Select(o =>
            {
                var theirs = attended.Where(a => a.OrganizationId == o.Id).ToList();
                var theirEvents = theirs.Select(a => a.EventId).Distinct().Select(id => byId[id]).ToList();
                return new ParticipationLine(o.Id, o.Name, o.Kind,
                    theirEvents.Count(e => e.Kind == EventKind.Webinar), theirEvents.Count(e => e.Kind == EventKind.SupportCall), theirEvents.Count(e => e.Kind == EventKind.Convening),
                    theirs.Count, theirEvents.Count > 0 ? theirEvents.Max(e => e.StartsAt) : null,
                    lastTwo.Count == 2 && lastTwo.All(e => theirEvents.All(t => t.Id != e.Id)));
            }).ToList();
            var days = events.Select(e => DateOnly.FromDateTime(EventTime.LocalIn(e.StartsAt, EventTime.Pacific))).ToList();
            var held = Enum.GetValues<EventKind>().ToDictionary(k => k, k => events.Count(e => e.Kind == k));
            return new ParticipationView(settings.ProgrammeStart ?? (days.Count > 0 ? days.Min() : null), settings.ProgrammeEnd ?? (days.Count > 0 ? days.Max() : null),
                held, lines,
                lastTwo.Select(e => new EventSummary(e.Id, e.Kind, e.Title, e.StartsAt, e.TimeZoneId, e.DurationMinutes, e.Topic, e.Status, null, 0, true, false)).ToList(),
                everyone);
        }, cancellationToken);
}
