using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Domain.Tests;

public class ScoringTests
{
    private static (CriterionKind, Answer) Min(Answer a) => (CriterionKind.Minimum, a);
    private static (CriterionKind, Answer) Enh(Answer a) => (CriterionKind.Enhancement, a);

    [Fact]
    public void An_element_with_no_answer_is_not_started()
    {
        Assert.Equal(Level.NotStarted, Scoring.LevelOf([Min(Answer.Open), Min(Answer.Open), Enh(Answer.Open)]));
    }

    [Fact]
    public void A_single_unmet_minimum_keeps_the_element_below_minimum_even_with_enhancements()
    {
        Assert.Equal(Level.BelowMinimum, Scoring.LevelOf([Min(Answer.Met), Min(Answer.NotMet), Enh(Answer.Met)]));
    }

    [Fact]
    public void An_open_minimum_keeps_the_element_below_minimum()
    {
        Assert.Equal(Level.BelowMinimum, Scoring.LevelOf([Min(Answer.Met), Min(Answer.Open)]));
    }

    [Fact]
    public void All_minimums_met_and_no_enhancement_meets_minimum()
    {
        Assert.Equal(Level.MeetsMinimum, Scoring.LevelOf([Min(Answer.Met), Min(Answer.Met), Enh(Answer.NotMet), Enh(Answer.Open)]));
    }

    [Fact]
    public void Enhancements_are_a_menu_so_one_adopted_enhancement_meets_enhancement()
    {
        Assert.Equal(Level.MeetsEnhancement, Scoring.LevelOf([Min(Answer.Met), Enh(Answer.NotMet), Enh(Answer.Met), Enh(Answer.NotMet)]));
    }

    [Fact]
    public void An_element_is_assessed_once_every_minimum_is_answered_met_or_not()
    {
        Assert.True(Scoring.IsAssessed([Min(Answer.NotMet), Min(Answer.Met), Enh(Answer.Open)]));
        Assert.False(Scoring.IsAssessed([Min(Answer.NotMet), Min(Answer.Open), Enh(Answer.Met)]));
    }

    [Fact]
    public void A_plan_that_meets_nothing_can_still_finish_its_assessment()
    {
        var answers = new[] { Min(Answer.NotMet), Min(Answer.NotMet), Enh(Answer.Open) };
        Assert.True(Scoring.IsAssessed(answers));
        Assert.Equal(Level.BelowMinimum, Scoring.LevelOf(answers));
    }

    [Fact]
    public void Progress_counts_assessed_elements_and_shares_at_minimum_and_enhancement()
    {
        var progress = Scoring.Summarize(
            [Level.NotStarted, Level.BelowMinimum, Level.MeetsMinimum, Level.MeetsEnhancement],
            [false, true, true, true]);

        Assert.Equal(new Progress(4, 3, 2, 1), progress);
        Assert.Equal(0.5, progress.MinimumShare);
        Assert.Equal(0.25, progress.EnhancementShare);
        Assert.False(progress.IsComplete);
    }

    [Fact]
    public void Progress_rolls_up_by_addition()
    {
        var total = new Progress(2, 1, 1, 0) + new Progress(3, 3, 2, 1);
        Assert.Equal(new Progress(5, 4, 3, 1), total);
    }
}
