using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>An event as attendance and progress counts it: when it took place, what it covered, whom it was for.</summary>
public sealed record CountedSession(Guid Id, DateTime StartsAt, IReadOnlyList<string> ElementCodes, Guid? PlanOrganizationId, EventStatus Status);

/// <summary>
/// The learning community's events and attendance as they stood at a moment, so that figures published as of a cycle's
/// end stay as they were when a reviewer later corrects the record (ADR 26). The audit trail keeps, for each change, the
/// values it replaced, and for each removal the row removed.
/// </summary>
public static class CommunityAsOf
{
    /// <summary>
    /// Each event as it is now, with every change saved since the moment taken back: going from the newest change to the
    /// oldest one after it leaves each field (elements, time, audience, status) as it was. An event entered after the
    /// moment is left out.
    /// </summary>
    public static async Task<List<CountedSession>> SessionsAsync(ToolkitDbContext db, DateTime? asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // As of a moment, an event entered after it did not exist yet (its attendance, recorded later, is not counted either).
        var sessions = await db.CommunityEvents.AsNoTracking()
            .Where(e => asOf == null || e.CreatedAt < asOf)
            .Select(e => new CountedSession(e.Id, e.StartsAt, e.ElementCodes, e.PlanOrganizationId, e.Status))
            .ToListAsync(cancellationToken);
        if (asOf is not { } moment)
        {
            return sessions;
        }

        var changes = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == nameof(CommunityEvent) && a.Action == nameof(EntityState.Modified) && a.Timestamp >= moment && a.OldValues != null)
            .OrderByDescending(a => a.Id)
            .Select(a => new { a.EntityId, a.OldValues })
            .ToListAsync(cancellationToken);
        if (changes.Count == 0)
        {
            return sessions;
        }

        var byId = sessions.ToDictionary(s => s.Id.ToString());
        foreach (var change in changes)
        {
            if (byId.TryGetValue(change.EntityId, out var session))
            {
                byId[change.EntityId] = Before(session, change.OldValues!);
            }
        }

        return [.. byId.Values];
    }

    /// <summary>The session with the values one change replaced.</summary>
    private static CountedSession Before(CountedSession session, string oldValues)
    {
        using var document = Parse(oldValues);
        if (document is null)
        {
            return session;
        }

        var old = document.RootElement;
        // A value of an unexpected shape is left as it is now, never a failure of the page.
        if (DateOf(old, nameof(CommunityEvent.StartsAt)) is { } started)
        {
            session = session with { StartsAt = started };
        }

        if (old.TryGetProperty(nameof(CommunityEvent.ElementCodes), out var codes) && codes.ValueKind == JsonValueKind.Array)
        {
            session = session with { ElementCodes = [.. codes.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!)] };
        }

        if (old.TryGetProperty(nameof(CommunityEvent.PlanOrganizationId), out var plan))
        {
            if (plan.ValueKind == JsonValueKind.Null)
            {
                session = session with { PlanOrganizationId = null };
            }
            else if (GuidOf(old, nameof(CommunityEvent.PlanOrganizationId)) is { } planId)
            {
                session = session with { PlanOrganizationId = planId };
            }
        }

        if (old.TryGetProperty(nameof(CommunityEvent.Status), out var status) && status.ValueKind == JsonValueKind.String
            && Enum.TryParse<EventStatus>(status.GetString(), out var was))
        {
            session = session with { Status = was };
        }

        return session;
    }

    /// <summary>
    /// Who attended which of <paramref name="sessionIds"/> as of the moment: attendance recorded before it, whether it is
    /// still there or was removed after it (a wrong entry a reviewer took out later still counted then). Attendance
    /// recorded after the moment (a report imported later) is left out. Without a moment, attendance as it is now.
    /// </summary>
    public static async Task<List<(Guid EventId, Guid OrganizationId)>> AttendanceAsync(ToolkitDbContext db, IReadOnlyCollection<Guid> sessionIds, DateTime? asOf,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var attended = (await db.Attendances.AsNoTracking().Where(a => sessionIds.Contains(a.EventId) && (asOf == null || a.RecordedAt < asOf))
                .Select(a => new { a.EventId, a.OrganizationId }).Distinct().ToListAsync(cancellationToken))
            .Select(a => (a.EventId, a.OrganizationId)).ToList();
        if (asOf is not { } moment)
        {
            return attended;
        }

        var removals = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == nameof(Attendance) && a.Action == nameof(EntityState.Deleted) && a.Timestamp >= moment && a.OldValues != null)
            .Select(a => a.OldValues!)
            .ToListAsync(cancellationToken);
        foreach (var removed in removals)
        {
            if (Removed(removed) is { } row && row.RecordedAt < moment && sessionIds.Contains(row.EventId))
            {
                attended.Add((row.EventId, row.OrganizationId));
            }
        }

        return [.. attended.Distinct()];
    }

    /// <summary>A removed attendance's event, organization and when it was recorded; null when the values are not of that shape.</summary>
    private static (Guid EventId, Guid OrganizationId, DateTime RecordedAt)? Removed(string oldValues)
    {
        using var document = Parse(oldValues);
        if (document is null)
        {
            return null;
        }

        var old = document.RootElement;
        return GuidOf(old, nameof(Attendance.EventId)) is { } @event && GuidOf(old, nameof(Attendance.OrganizationId)) is { } organization
            && DateOf(old, nameof(Attendance.RecordedAt)) is { } recorded
                ? (@event, organization, recorded)
                : null;
    }

    /// <summary>An audit value that is a Guid, or null.</summary>
    private static Guid? GuidOf(JsonElement values, string name) =>
        values.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetGuid(out var id) ? id : null;

    /// <summary>An audit value that is a moment (stored in UTC, written without its zone), or null.</summary>
    private static DateTime? DateOf(JsonElement values, string name) =>
        values.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var moment)
            ? moment
            : null;

    /// <summary>An audit row's values, or null when they are not JSON (never a failure of the page).</summary>
    private static JsonDocument? Parse(string values)
    {
        try
        {
            return JsonDocument.Parse(values);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
