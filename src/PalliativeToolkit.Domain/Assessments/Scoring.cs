using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Domain.Assessments;

/// <summary>
/// The guide's scoring: an element meets minimum only when all its minimum criteria are met; enhancements are a
/// menu, so it meets enhancement when the minimum is met and at least one enhancement is adopted.
/// </summary>
public static class Scoring
{
    public static Level LevelOf(IReadOnlyCollection<(CriterionKind Kind, Answer Answer)> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.All(a => a.Answer == Answer.Open))
        {
            return Level.NotStarted;
        }

        var minimums = answers.Where(a => a.Kind == CriterionKind.Minimum).ToList();
        if (minimums.Count == 0 || minimums.Any(a => a.Answer != Answer.Met))
        {
            return Level.BelowMinimum;
        }

        return answers.Any(a => a.Kind == CriterionKind.Enhancement && a.Answer == Answer.Met)
            ? Level.MeetsEnhancement
            : Level.MeetsMinimum;
    }

    /// <summary>An element is assessed when every one of its minimum criteria has been answered.</summary>
    public static bool IsAssessed(IReadOnlyCollection<(CriterionKind Kind, Answer Answer)> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var minimums = answers.Where(a => a.Kind == CriterionKind.Minimum).ToList();
        return minimums.Count > 0 && minimums.All(a => a.Answer != Answer.Open);
    }

    /// <summary>Enhancements adopted (k) out of those offered (n), shown beside "meets enhancement".</summary>
    public static (int Adopted, int Offered) Enhancements(IReadOnlyCollection<(CriterionKind Kind, Answer Answer)> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return (answers.Count(a => a.Kind == CriterionKind.Enhancement && a.Answer == Answer.Met),
            answers.Count(a => a.Kind == CriterionKind.Enhancement));
    }

    /// <summary>The roll-up of elements given as their criteria answers (one list per element).</summary>
    public static Progress Summarize(IEnumerable<IReadOnlyCollection<(CriterionKind Kind, Answer Answer)>> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var list = elements.ToList();
        return Summarize(list.Select(LevelOf), list.Select(IsAssessed));
    }

    public static Progress Summarize(IEnumerable<Level> levels, IEnumerable<bool> assessed)
    {
        var levelList = levels.ToList();
        var assessedList = assessed.ToList();
        return new Progress(
            levelList.Count,
            assessedList.Count(a => a),
            levelList.Count(l => l >= Level.MeetsMinimum),
            levelList.Count(l => l == Level.MeetsEnhancement));
    }
}

/// <summary>Roll-up of a set of elements (a section, an assessment, a plan, the state).</summary>
public readonly record struct Progress(int Elements, int Assessed, int AtMinimum, int AtEnhancement)
{
    public double AssessedShare => Elements == 0 ? 0 : (double)Assessed / Elements;
    public double MinimumShare => Elements == 0 ? 0 : (double)AtMinimum / Elements;
    public double EnhancementShare => Elements == 0 ? 0 : (double)AtEnhancement / Elements;
    public bool IsComplete => Elements > 0 && Assessed == Elements;

    public static Progress operator +(Progress a, Progress b) =>
        new(a.Elements + b.Elements, a.Assessed + b.Assessed, a.AtMinimum + b.AtMinimum, a.AtEnhancement + b.AtEnhancement);

    public static Progress Add(Progress a, Progress b) => a + b;
}
