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
/// as they were when a reviewer later corrects a past event's elements, time or audience (ADR 26). An event entered after
/// the moment is left out, as is attendance recorded after it.
/// </summary>
public static class SessionsAsOf
{
    public static async Task<List<CountedSession>> ReadAsync(ToolkitDbContext db, DateTime? asOf, CancellationToken cancellationToken)
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
        using var document = JsonDocument.Parse(oldValues);
        var old = document.RootElement;
        // A value of an unexpected shape is left as it is now, never a failure of the page.
        if (old.TryGetProperty(nameof(CommunityEvent.StartsAt), out var startsAt) && startsAt.ValueKind == JsonValueKind.String
            && DateTime.TryParse(startsAt.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var started))
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
            else if (plan.ValueKind == JsonValueKind.String && plan.TryGetGuid(out var planId))
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
}
