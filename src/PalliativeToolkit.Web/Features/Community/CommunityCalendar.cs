using System.Security.Claims;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Infrastructure.Operations;
using CultureInfo = System.Globalization.CultureInfo;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>
/// Events as iCalendar (RFC 5545): one event's file to download, and the events a person is registered for, which the
/// private per-person feed (the action plan's subscription address, <see cref="ActionPlans.ActionPlanCalendar"/>) adds to
/// its due dates. Times are written in UTC, so every calendar app places them right whatever its zone; a cancelled event
/// keeps its entry with STATUS:CANCELLED, so a calendar that imported it learns it is off.
/// </summary>
public sealed class CommunityCalendar(OperationRunner operations, TimeProvider time)
{
    /// <summary>One event's file, for whoever may see the event.</summary>
    public Task<Outcome<string>> EventFileAsync(ClaimsPrincipal principal, Guid eventId, Uri? portal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<string>(principal, async op =>
        {
            var found = op.Viewer.IsAuthenticated ? await op.Db.CommunityEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId, op.Cancellation) : null;
            if (found is null)
            {
                return Failure.Missing("That event does not exist, or you do not have access to it.");
            }

            var calendar = New("Learning community event");
            calendar.Events.Add(Entry(found, portal, Stamp()));
            return Serialize(calendar);
        }, cancellationToken);

    /// <summary>Adds the events <paramref name="op"/>'s person is registered for (what the access rule still lets them see) to a calendar.</summary>
    public async Task AddRegisteredAsync(Operation op, Calendar calendar, Uri? portal)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(calendar);
        if (!op.Viewer.IsAuthenticated)
        {
            return;
        }

        var userId = op.Viewer.UserId;
        var mine = op.Viewer.OrganizationIds;
        var events = await (from r in op.Db.EventRegistrations.AsNoTracking()
                            join e in op.Db.CommunityEvents.AsNoTracking() on r.EventId equals e.Id
                            where r.UserId == userId && mine.Contains(r.OrganizationId)
                            select e).ToListAsync(op.Cancellation);
        var stamp = Stamp();
        foreach (var registered in events.DistinctBy(e => e.Id).OrderBy(e => e.StartsAt))
        {
            calendar.Events.Add(Entry(registered, portal, stamp));
        }
    }

    public static Calendar New(string name)
    {
        var calendar = new Calendar { ProductId = "-//PalliativeToolkit//Learning community//EN" };
        calendar.AddProperty("X-WR-CALNAME", name);
        return calendar;
    }

    public static string Serialize(Calendar calendar) => new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;

    private CalDateTime Stamp() => new(time.GetUtcNow().UtcDateTime, "UTC");

    private static CalendarEvent Entry(CommunityEvent found, Uri? portal, CalDateTime stamp)
    {
        var page = portal is null ? null : new Uri(portal, $"community/events/{found.Id}");
        var description = new StringBuilder();
        description.Append(CultureInfo.InvariantCulture, $"{found.Kind.Describe()} of the learning community. {EventClock.Pacific(found.StartsAt)}, {EventClock.Duration(found.DurationMinutes)}.");
        if (found.IsCancelled)
        {
            description.Append(CultureInfo.InvariantCulture, $"\nCancelled: {found.CancelReason}");
        }

        if (found.Topic.Length > 0)
        {
            description.Append(CultureInfo.InvariantCulture, $"\n\n{found.Topic}");
        }

        if (found.Presenters.Length > 0)
        {
            description.Append(CultureInfo.InvariantCulture, $"\n\nPresenters: {found.Presenters}");
        }

        if (found.ElementCodes.Count > 0)
        {
            description.Append(CultureInfo.InvariantCulture, $"\nElements of the guide: {string.Join(", ", found.ElementCodes)}");
        }

        if (page is not null)
        {
            description.Append(CultureInfo.InvariantCulture, $"\n\nMaterials and registration: {page.AbsoluteUri}");
        }

        var entry = new CalendarEvent
        {
            Uid = $"{found.Id}@palliativetoolkit-community",
            Summary = found.IsCancelled ? $"Cancelled: {found.Title}" : found.Title,
            Description = description.ToString(),
            DtStart = new CalDateTime(DateTime.SpecifyKind(found.StartsAt, DateTimeKind.Utc), "UTC"),
            DtEnd = new CalDateTime(DateTime.SpecifyKind(found.EndsAt, DateTimeKind.Utc), "UTC"),
            DtStamp = stamp,
            Status = found.IsCancelled ? "CANCELLED" : "CONFIRMED",
            Categories = [found.Kind.Describe()],
        };
        if (page is not null)
        {
            entry.Url = page;
        }

        return entry;
    }
}
