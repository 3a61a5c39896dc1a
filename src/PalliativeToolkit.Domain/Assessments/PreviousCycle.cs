namespace PalliativeToolkit.Domain.Assessments;

/// <summary>An organization's assessment, as much as choosing "the previous cycle" needs of it.</summary>
public sealed record CycleCandidate(Guid Id, string Cycle, AssessmentStatus Status, DateTime? SubmittedAt);

/// <summary>
/// Which earlier assessment a new cycle builds on: copying answers from it, and "since last cycle" comparing with it.
/// It is the organization's latest <em>accepted or submitted</em> assessment of an <em>earlier</em> cycle — never a draft
/// (its answers were never stood behind) and never one of the same or a later cycle. Within one cycle an accepted one
/// wins over one still under review, then the latest submitted.
/// </summary>
public static class PreviousCycle
{
    public static CycleCandidate? Choose(ReportingCycle cycle, IEnumerable<CycleCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates
            .Where(c => c.Status is AssessmentStatus.Accepted or AssessmentStatus.Submitted)
            .Select(c => (Candidate: c, Cycle: ReportingCycle.Of(c.Cycle)))
            .Where(c => c.Cycle is { } earlier && earlier < cycle)
            .OrderByDescending(c => c.Cycle)
            .ThenByDescending(c => c.Candidate.Status == AssessmentStatus.Accepted)
            .ThenByDescending(c => c.Candidate.SubmittedAt)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    /// <summary>The same choice from the stored label of the cycle being started; none when the label is not a cycle.</summary>
    public static CycleCandidate? Choose(string cycleLabel, IEnumerable<CycleCandidate> candidates) =>
        ReportingCycle.Of(cycleLabel) is { } cycle ? Choose(cycle, candidates) : null;
}
