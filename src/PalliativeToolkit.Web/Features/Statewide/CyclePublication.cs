using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Statewide;

/// <summary>
/// How a cycle's figures reach a viewer (ADR 25): statewide reviewers see any cycle live; anyone else a cycle only once it
/// has ended in California (<see cref="Published"/>), as it stood at the end of its last day (<see cref="AsOf"/>, the
/// instant rounds and attendance must come before).
/// </summary>
public sealed record CyclePublication(string? Cycle, DateOnly? Ends, bool Ended, bool Published, DateTime? AsOf)
{
    /// <summary>
    /// <paramref name="asked"/> when it is one of <paramref name="cycles"/> (the latest first); otherwise the latest, or
    /// beyond reviewers (<paramref name="live"/> false) the latest that has ended; and how it is published to the viewer.
    /// </summary>
    public static CyclePublication Choose(IReadOnlyList<string> cycles, string? asked, bool live, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(cycles);
        bool HasEnded(string label) => ReportingCycle.Of(label) is { } known && known.Ends < today;
        var chosen = asked is not null && cycles.Contains(asked)
            ? asked
            : live || !cycles.Any(HasEnded) ? (cycles.Count > 0 ? cycles[0] : null) : cycles.First(HasEnded);
        if (chosen is null)
        {
            return new(null, null, false, false, null);
        }

        var ends = ReportingCycle.Of(chosen)?.Ends;
        var ended = HasEnded(chosen);
        return new(chosen, ends, ended, live || ended, live || !ended ? null : CaliforniaTime.EndOf(ends!.Value));
    }
}
