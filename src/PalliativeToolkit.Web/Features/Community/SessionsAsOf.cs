using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>An event as attendance and progress counts it: when it took place, what it covered, whom it was for.</summary>
public sealed record CountedSession(Guid Id, DateTime StartsAt, IReadOnlyList<string> ElementCodes, Guid? PlanOrganizationId, EventStatus Status);

/// <summary>
/// The learning community's events as they stood at a moment: each event as it is now, with every change saved since
/// then taken back. The audit trail keeps, for each change, the values it replaced; going from the newest change to the
/// oldest one after the moment leaves each field as it was at the moment. Figures published as of a cycle's end then stay
/// as they were when a reviewer later corrects a past event's elements, time or audience (ADR 26). An event added after
/// the moment counts as it is: attendance recorded after the moment is not counted anyway.
/// </summary>
public static class SessionsAsOf
{
    public static async Task<List<CountedSession>> ReadAsync(ToolkitDbContext db, DateTime? asOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sessions = await db.CommunityEvents.AsNoTracking()
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
        using var document = JsonDocument.Parse(oldValues);
        var old = document.RootElement;
        if (old.TryGetProperty(nameof(CommunityEvent.StartsAt), out var startsAt) && startsAt.GetString() is { } text)
        {
            session = session with { StartsAt = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) };
        }

        if (old.TryGetProperty(nameof(CommunityEvent.ElementCodes), out var codes) && codes.ValueKind == JsonValueKind.Array)
        {
            session = session with { ElementCodes = [.. codes.EnumerateArray().Select(c => c.GetString()).OfType<string>()] };
        }

        if (old.TryGetProperty(nameof(CommunityEvent.PlanOrganizationId), out var plan))
        {
            session = session with { PlanOrganizationId = plan.ValueKind == JsonValueKind.Null ? null : plan.GetGuid() };
        }

        if (old.TryGetProperty(nameof(CommunityEvent.Status), out var status) && Enum.TryParse<EventStatus>(status.GetString(), out var was))
        {
            session = session with { Status = was };
        }

        return session;
    }
}
