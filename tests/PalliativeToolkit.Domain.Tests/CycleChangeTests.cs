using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Domain.Tests;

public class CycleChangeTests
{
    private static PreviousAnswers Before(params (string Code, CriterionKind Kind, Answer Answer)[] answers) =>
        new(answers.ToDictionary(a => a.Code, a => (a.Kind, a.Answer)));

    [Theory]
    [InlineData(Level.MeetsMinimum, Level.MeetsEnhancement, true, LevelChange.Improved)]
    [InlineData(Level.MeetsEnhancement, Level.BelowMinimum, true, LevelChange.Slipped)]
    [InlineData(Level.MeetsMinimum, Level.MeetsMinimum, true, LevelChange.Unchanged)]
    [InlineData(Level.MeetsMinimum, Level.NotStarted, false, LevelChange.NotYetAnswered)]
    [InlineData(null, Level.MeetsMinimum, true, LevelChange.New)]
    public void An_element_improved_slipped_or_stayed(Level? before, Level now, bool assessed, LevelChange change) =>
        Assert.Equal(change, CycleChange.Of(before, now, assessed));

    [Fact]
    public void Criteria_gained_and_lost_are_named_by_code()
    {
        var before = Before(("A1-M1", CriterionKind.Minimum, Answer.Met), ("A1-M2", CriterionKind.Minimum, Answer.NotMet), ("A1-E1", CriterionKind.Enhancement, Answer.Met));
        (string, Answer)[] now = [("A1-M1", Answer.Open), ("A1-M2", Answer.Met), ("A1-E1", Answer.Met), ("A1-E2", Answer.Met)];

        Assert.Equal(["A1-M2", "A1-E2"], CycleChange.Gained(before, now));
        Assert.Equal(["A1-M1"], CycleChange.Lost(before, now));
        Assert.Equal(Level.BelowMinimum, before.Level);
    }

    [Fact]
    public void A_sections_change_counts_elements_at_each_level_and_their_moves()
    {
        var change = ProgressChange.Between([
            (Level.MeetsMinimum, Level.MeetsEnhancement, true),
            (Level.MeetsEnhancement, Level.BelowMinimum, true),
            (Level.BelowMinimum, Level.MeetsMinimum, true),
            (Level.MeetsMinimum, Level.MeetsMinimum, true),
            (null, Level.MeetsMinimum, true),
            (Level.MeetsMinimum, Level.NotStarted, false),
        ]);

        // At minimum: 4 now (E, M, M, M) against 4 then (M, E, M, M); at enhancement: 1 now against 1 then.
        Assert.Equal(new ProgressChange(AtMinimum: 0, AtEnhancement: 0, Improved: 2, Slipped: 1, Unchanged: 1, NotYetAnswered: 1, New: 1), change);
    }
}
