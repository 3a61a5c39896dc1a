using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>How one group of organizations' level of an element moved from one cycle to the next; no figures when suppressed.</summary>
public sealed record ChangeTally(int Organizations, int Improved, int Unchanged, int Slipped, bool Suppressed)
{
    public static ChangeTally Hidden { get; } = new(0, 0, 0, 0, true);

    public double ImprovedShare => Organizations == 0 ? 0 : (double)Improved / Organizations;
}

/// <summary>
/// One element of the guide: the sessions that covered it in the period compared, and the level change of the organizations that attended one
/// of them between their two rounds beside that of those that did not. <see cref="Attendees"/> names them for reviewers only.
/// </summary>
public sealed record ElementAttendance(
    OrganizationKind Kind, string SectionCode, string Code, string Title, int Sessions, ChangeTally Attended, ChangeTally NotAttended, IReadOnlyList<string> Attendees);

/// <summary>
/// Attendance linked to progress for a cycle (<see cref="Cycle"/>, compared with the cycle before it of each kind of
/// organization, <see cref="PreviousByKind"/>; <see cref="Previous"/> is the plans' when they have one): per element, the
/// organizations with a round in both cycles, split by whether they attended a session covering the element between the
/// two rounds. An association, not an effect.
/// Beyond reviewers a cycle is shown only once it has ended in California, each organization's rounds as they stood at its
/// end (<see cref="Published"/>; ADR 25 for "Progress in California"): figures that moved as each one submitted could give
/// its levels away.
public sealed record AttendanceProgress(string? Cycle, string? Previous, IReadOnlyList<string> Cycles, bool SeesEveryGroup, IReadOnlyList<ElementAttendance> Elements)
{
    /// <summary>The chosen cycle's last day.</summary>
    public DateOnly? Ends { get; init; }

    /// <summary>Whether the figures are shown: to reviewers always (live), beyond them once the cycle has ended (as of its end).</summary>
    public bool Published { get; init; } = true;

    /// <summary>The cycle each kind of organization is compared with (plans and providers each have their own cycles).</summary>
    public IReadOnlyDictionary<OrganizationKind, string> PreviousByKind { get; init; } = new Dictionary<OrganizationKind, string>();
}

/// <summary>
/// Links the learning community's attendance to the organizations' progress: for each element, which organizations
/// attended a session (an event that took place and covered the element) after submitting their round of the previous
/// cycle and before their round of the chosen one, and how their level of the element changed, beside the organizations
/// that did not. Plans' rounds give sections A, C, D and E, providers' readiness section B. Read as the portal itself
/// (every organization's rounds and attendance), answered as aggregates; beyond reviewers a group of fewer than
/// <see cref="CaliforniaProgressService.SmallestGroup"/> organizations is suppressed with its counterpart, no
/// organization is named, and private support calls are left out.
/// </summary>
public sealed class AttendanceProgressService(OperationRunner operations, TimeProvider time)
{
    private static readonly OrganizationKind[] Kinds = [OrganizationKind.ManagedCarePlan, OrganizationKind.PalliativeCareProvider];

    public Task<Outcome<AttendanceProgress>> ForCycleAsync(ClaimsPrincipal principal, string? cycle = null, CancellationToken cancellationToken = default) =>
        operations.RunAsync<AttendanceProgress>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                throw new AccessRefusedException("Sign in to see how attendance and progress go together.");
            }

            var everyGroup = op.Viewer.May(Permission.ViewStatewide);
            await using var portal = operations.OpenAsSystem(op.Cancellation);
            var cyclesOf = new Dictionary<OrganizationKind, List<string>>();
            foreach (var kind in Kinds)
            {
                cyclesOf[kind] = await StatewideService.CyclesAsync(portal, kind);
            }

            // The cycles that have a cycle before them, for either kind; the chosen one, or the latest.
            var cycles = cyclesOf.Values.SelectMany(c => c.Where(label => ReportingCycle.Of(label) is not null).SkipLast(1))
                .Distinct().OrderByDescending(ReportingCycle.Of).ToList();
            var publication = CyclePublication.Choose(cycles, cycle, everyGroup, CaliforniaTime.Today(time));
            if (publication.Cycle is not { } chosen)
            {
                return new AttendanceProgress(null, null, cycles, everyGroup, []);
            }

            if (!publication.Published)
            {
                return new AttendanceProgress(chosen, null, cycles, everyGroup, []) { Ends = publication.Ends, Published = false };
            }

            // Beyond reviewers, as things stood at the cycle's end: a round submitted later changes nothing they see.
            var asOf = publication.AsOf;

            // The sessions, as of the cycle's end too: a past event's elements, time or audience changed later count as they were.
            var sessions = (await CommunityAsOf.SessionsAsync(portal.Db, asOf, op.Cancellation))
                .Where(e => e.Status == EventStatus.Scheduled && e.StartsAt <= op.Now && (everyGroup || e.PlanOrganizationId == null) && e.ElementCodes.Count > 0)
                .ToList();
            var sessionIds = sessions.Select(e => e.Id).ToList();
            // And attendance as of the cycle's end: recorded later (a report imported after the end) is not counted, removed
            // later (a wrong entry taken out) still is.
            var attended = (await CommunityAsOf.AttendanceAsync(portal.Db, sessionIds, asOf, op.Cancellation))
                .ToLookup(a => a.OrganizationId, a => a.EventId);
            var sessionsByCode = sessions.SelectMany(e => e.ElementCodes.Select(code => (Code: code, e.Id, e.StartsAt)))
                .ToLookup(s => s.Code, s => (s.Id, s.StartsAt), StringComparer.Ordinal);

            var elements = new List<ElementAttendance>();
            var previous = new Dictionary<OrganizationKind, string>();
            foreach (var kind in Kinds.Where(k => cyclesOf[k].Contains(chosen)))
            {
                var reading = await StatewideService.ReadCycleAsync(portal, chosen, withPrevious: true, submittedBefore: asOf, kind: kind);
                if (reading.Previous is null)
                {
                    continue;
                }

                previous[kind] = reading.Previous;
                var pairs = await PairsAsync(reading, op.Cancellation);
                var (from, to) = pairs.Count == 0 ? (DateTime.MaxValue, DateTime.MinValue) : (pairs.Min(p => p.BeforeAt), pairs.Max(p => p.NowAt));
                foreach (var column in reading.Columns)
                {
                    // The sessions of the period: after the earliest round of the previous cycle, up to the latest of this one.
                    var covering = sessionsByCode[column.Code].Where(s => s.StartsAt > from && s.StartsAt <= to).ToList();
                    var withAttendance = new List<(string Name, LevelChange Change)>();
                    var without = new List<LevelChange>();
                    foreach (var pair in pairs)
                    {
                        if (!pair.Before.Levels.TryGetValue(column.Code, out var before) || !pair.Now.Levels.TryGetValue(column.Code, out var now))
                        {
                            continue;
                        }

                        var change = CycleChange.Of(before, now, nowAssessed: true);
                        var theirs = attended[pair.Now.OrganizationId];
                        if (covering.Any(s => s.StartsAt > pair.BeforeAt && s.StartsAt <= pair.NowAt && theirs.Contains(s.Id)))
                        {
                            withAttendance.Add((pair.Now.Plan, change));
                        }
                        else
                        {
                            without.Add(change);
                        }
                    }

                    // An empty group stands for nobody: it hides nothing, and need not hide the other.
                    var hidden = everyGroup
                        ? new HashSet<bool>()
                        : CaliforniaProgressService.SuppressGroups(new[] { (Key: true, Count: withAttendance.Count), (Key: false, Count: without.Count) }.Where(g => g.Count > 0).ToList());
                    elements.Add(new ElementAttendance(kind, column.SectionCode, column.Code, column.Title, covering.Count,
                        hidden.Contains(true) ? ChangeTally.Hidden : Tally(withAttendance.Select(w => w.Change)),
                        hidden.Contains(false) ? ChangeTally.Hidden : Tally(without),
                        everyGroup ? withAttendance.Select(w => w.Name).Order(StringComparer.CurrentCulture).ToList() : []));
                }
            }

            return new AttendanceProgress(chosen, previous.Values.FirstOrDefault(), cycles, everyGroup,
                elements.OrderBy(e => e.SectionCode, StringComparer.Ordinal).ToList())
            { Ends = publication.Ends, PreviousByKind = previous };
        }, cancellationToken);

    private static ChangeTally Tally(IEnumerable<LevelChange> changes)
    {
        var list = changes.ToList();
        return new ChangeTally(list.Count, list.Count(c => c == LevelChange.Improved), list.Count(c => c == LevelChange.Unchanged), list.Count(c => c == LevelChange.Slipped), false);
    }

    /// <summary>
    /// Each organization's round of the previous cycle and of the chosen one, with when each was submitted, for those with
    /// both (an organization's rounds come together, in either order).
    /// </summary>
    private static async Task<List<RoundPair>> PairsAsync(CycleReading reading, CancellationToken cancellationToken)
    {
        var pairs = new List<RoundPair>();
        (HeatmapRow Row, DateTime At)? before = null, now = null;
        await foreach (var (row, cycle, at) in reading.RoundsAsync(cancellationToken))
        {
            if ((before ?? now)?.Row.OrganizationId is { } organization && organization != row.OrganizationId)
            {
                Pair();
                (before, now) = (null, null);
            }

            if (cycle == reading.Chosen)
            {
                now = (row, at);
            }
            else
            {
                before = (row, at);
            }
        }

        Pair();
        return pairs;

        void Pair()
        {
            if (before is { } b && now is { } n)
            {
                pairs.Add(new RoundPair(b.Row, b.At, n.Row, n.At));
            }
        }
    }

    private sealed record RoundPair(HeatmapRow Before, DateTime BeforeAt, HeatmapRow Now, DateTime NowAt);
}
