using System.Security.Claims;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Statewide;

/// <summary>The plans of one plan model that submitted in the cycle, and their sections' standing; none when suppressed.</summary>
public sealed record ModelStanding(PlanModel Model, int Plans, bool Suppressed, IReadOnlyList<SectionStanding> Sections);

/// <summary>
/// "Progress in California" made live for everyone signed in: of the plans that submitted for a cycle, per section the
/// share with every element at minimum and at enhancement, statewide and per plan model. Beyond reviewers a group of
/// fewer than <see cref="CaliforniaProgressService.SmallestGroup"/> plans is suppressed (<see cref="Suppressed"/>, no
/// figures), and more groups with it until the hidden ones together stand for at least that many plans in more than one
/// group, so that no figure of fewer plans can be worked out by subtracting the shown groups from the statewide one.
/// Beyond reviewers a cycle's figures are also published only once it has ended, frozen as of its end (docs/decisions
/// ADR 0025): a figure that moved as each plan submitted would give that plan's levels away to whoever compared.
/// </summary>
public sealed record CaliforniaProgress(
    string? Cycle, IReadOnlyList<string> Cycles, int Plans, int Submitted, bool Suppressed, bool SeesEveryGroup,
    IReadOnlyList<SectionStanding> Sections, IReadOnlyList<ModelStanding> ByModel)
{
    /// <summary>The cycle's last day (null for a label that is not a cycle).</summary>
    public DateOnly? Ends { get; init; }

    /// <summary>Whether the cycle has ended in California (its last day is past).</summary>
    public bool Ended { get; init; }

    /// <summary>
    /// Whether the figures are shown: to reviewers always (live, <see cref="SeesEveryGroup"/>), beyond them once the cycle
    /// has ended (as of its end). Unpublished, the figures and counts are empty.
    /// </summary>
    public bool Published => SeesEveryGroup || Ended;
}

/// <summary>
/// Reads every plan's submitted rounds as the portal itself (members of a plan cannot read other plans' rounds), and
/// answers only aggregates, suppressed for small groups unless the viewer is a statewide reviewer.
/// </summary>
public sealed class CaliforniaProgressService(OperationRunner operations, TimeProvider time)
{
    /// <summary>The fewest organizations a figure shown beyond reviewers may stand for.</summary>
    public const int SmallestGroup = 5;

    /// <summary>
    /// The figures of <paramref name="cycle"/> as the viewer may see them: reviewers live (the latest cycle with a
    /// submission when null); anyone else only once the cycle has ended, as of the end of its last day in California (each
    /// plan's latest round submitted by then; the latest ended cycle when null). With <paramref name="forEveryone"/> as
    /// for anyone beyond reviewers whoever asks (a printable report leaves the reviewer's hands).
    /// </summary>
    public Task<Outcome<CaliforniaProgress>> ForCycleAsync(ClaimsPrincipal principal, string? cycle = null, bool forEveryone = false, CancellationToken cancellationToken = default) =>
        operations.RunAsync<CaliforniaProgress>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                throw new AccessRefusedException("Sign in to see the progress in California.");
            }

            var everyGroup = !forEveryone && op.Viewer.May(Permission.ViewStatewide);
            await using var portal = operations.OpenAsSystem(op.Cancellation);
            var plans = await StatewideService.CountPlansAsync(portal);
            var cycles = await StatewideService.CyclesAsync(portal);
            var publication = CyclePublication.Choose(cycles, cycle, everyGroup, CaliforniaTime.Today(time));
            if (publication.Cycle is not { } chosen)
            {
                return new CaliforniaProgress(null, cycles, plans, 0, false, everyGroup, [], []);
            }

            if (!publication.Published)
            {
                // Not published yet beyond reviewers: not even how many have submitted.
                return new CaliforniaProgress(chosen, cycles, plans, 0, false, everyGroup, [], []) { Ends = publication.Ends, Ended = false };
            }

            // Beyond reviewers, frozen as of the cycle's end: a round submitted later changes nothing they see.
            var reading = await StatewideService.ReadCycleAsync(portal, chosen, withPrevious: false, submittedBefore: publication.AsOf);
            if (reading.Chosen is null)
            {
                return new CaliforniaProgress(null, reading.Cycles, plans, 0, false, everyGroup, [], []);
            }

            var (statewide, tallies) = await TallyAsync(reading, op.Cancellation);
            var suppressed = !everyGroup && statewide.Rounds < SmallestGroup;
            IReadOnlySet<PlanModel> hidden = everyGroup ? new HashSet<PlanModel>() : Suppress(tallies.Select(t => (t.Key, t.Value.Rounds)).ToList());
            IReadOnlyList<ModelStanding> byModel = suppressed ? [] : tallies
                .Select(t => hidden.Contains(t.Key) ? new ModelStanding(t.Key, 0, true, []) : new ModelStanding(t.Key, t.Value.Rounds, false, t.Value.Sections))
                .ToList();
            return new CaliforniaProgress(reading.Chosen, reading.Cycles, plans, statewide.Rounds, suppressed, everyGroup,
                suppressed ? [] : statewide.Sections, byModel)
            { Ends = publication.Ends, Ended = publication.Ended };
        }, cancellationToken);

    /// <summary>
    /// The reading's rounds tallied as they stream: statewide, and per plan model (in the models' order); the page's
    /// figures, and the reviewers' export of its table by plan model.
    /// </summary>
    internal static async Task<(StandingTally Statewide, SortedDictionary<PlanModel, StandingTally> ByModel)> TallyAsync(CycleReading reading, CancellationToken cancellationToken)
    {
        var statewide = new StandingTally(reading);
        var tallies = new SortedDictionary<PlanModel, StandingTally>();
        await foreach (var row in reading.RowsAsync(cancellationToken))
        {
            statewide.Add(row);
            if (!tallies.TryGetValue(row.Model, out var tally))
            {
                tallies[row.Model] = tally = new StandingTally(reading);
            }

            tally.Add(row);
        }

        return (statewide, tallies);
    }

    /// <summary>
    /// The groups to suppress: each smaller than <see cref="SmallestGroup"/>; then, while some are hidden and some shown,
    /// the smallest shown one too as long as the hidden ones are a single group or fewer than <see cref="SmallestGroup"/>
    /// plans together (the statewide figure minus the shown groups would give their total away).
    /// </summary>
    internal static IReadOnlySet<PlanModel> Suppress(IReadOnlyList<(PlanModel Model, int Count)> groups) => SuppressGroups(groups);

    /// <summary>
    /// The rule of <see cref="Suppress"/> for groups of any kind (plan models, regions, a survey's groups): the keys of the
    /// groups to show no figures for, beyond reviewers.
    /// </summary>
    public static IReadOnlySet<TKey> SuppressGroups<TKey>(IReadOnlyList<(TKey Key, int Count)> groups)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(groups);
        var hidden = groups.Where(g => g.Count < SmallestGroup).Select(g => g.Key).ToHashSet();
        while (hidden.Count > 0 && hidden.Count < groups.Count
               && (hidden.Count == 1 || groups.Where(g => hidden.Contains(g.Key)).Sum(g => g.Count) < SmallestGroup))
        {
            hidden.Add(groups.Where(g => !hidden.Contains(g.Key)).OrderBy(g => g.Count).ThenBy(g => g.Key).First().Key);
        }

        return hidden;
    }
}
