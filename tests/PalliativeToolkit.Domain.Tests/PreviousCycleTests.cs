using PalliativeToolkit.Domain.Assessments;

namespace PalliativeToolkit.Domain.Tests;

public class PreviousCycleTests
{
    private static readonly DateTime Day = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static CycleCandidate Candidate(string cycle, AssessmentStatus status, int day = 0) =>
        new(Guid.NewGuid(), cycle, status, status == AssessmentStatus.Draft ? null : Day.AddDays(day));

    [Fact]
    public void The_latest_accepted_or_submitted_earlier_cycle_is_chosen_never_a_newer_draft()
    {
        // 2028 copies the accepted 2026, not the empty 2027 draft started since.
        var accepted2026 = Candidate("2026", AssessmentStatus.Accepted);
        var emptyDraft = Candidate("2027", AssessmentStatus.Draft);

        var chosen = PreviousCycle.Choose("2028", [Candidate("2025", AssessmentStatus.Accepted), accepted2026, emptyDraft]);

        Assert.Same(accepted2026, chosen);
    }

    [Fact]
    public void Drafts_and_returned_assessments_are_never_chosen()
    {
        Assert.Null(PreviousCycle.Choose("2028", [Candidate("2027", AssessmentStatus.Draft), Candidate("2026", AssessmentStatus.Returned)]));
    }

    [Fact]
    public void Only_earlier_cycles_count_by_time_not_by_text()
    {
        var fiscal = Candidate("FY 2025-26", AssessmentStatus.Submitted);

        Assert.Same(fiscal, PreviousCycle.Choose("2026", [fiscal, Candidate("2026", AssessmentStatus.Accepted), Candidate("FY 2026-27", AssessmentStatus.Accepted)]));
        Assert.Null(PreviousCycle.Choose("2025", [fiscal]));
    }

    [Fact]
    public void Within_one_cycle_accepted_wins_then_the_latest_submitted()
    {
        var accepted = Candidate("2026", AssessmentStatus.Accepted, day: 1);
        var laterSubmitted = Candidate("2026", AssessmentStatus.Submitted, day: 9);
        var earlierSubmitted = Candidate("2025", AssessmentStatus.Submitted, day: 1);
        var latestSubmitted = Candidate("2025", AssessmentStatus.Submitted, day: 5);

        Assert.Same(accepted, PreviousCycle.Choose("2027", [laterSubmitted, accepted]));
        Assert.Same(latestSubmitted, PreviousCycle.Choose("2026", [earlierSubmitted, latestSubmitted]));
    }

    [Fact]
    public void Labels_written_before_cycles_were_checked_are_never_chosen()
    {
        Assert.Null(PreviousCycle.Choose("2027", [Candidate("2026-Q3", AssessmentStatus.Accepted)]));
        Assert.Null(PreviousCycle.Choose("not a cycle", [Candidate("2026", AssessmentStatus.Accepted)]));
    }
}
