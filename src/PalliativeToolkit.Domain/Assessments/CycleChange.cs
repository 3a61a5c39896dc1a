using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Domain.Assessments;

/// <summary>How an element moved since the previous cycle.</summary>
public enum LevelChange
{
    /// <summary>Not all of its minimum criteria are answered yet this cycle: no comparison yet.</summary>
    NotYetAnswered,
    Improved,
    Unchanged,
    Slipped,

    /// <summary>The element was not part of the previous cycle's assessment (a newer framework version, say).</summary>
    New,
}

/// <summary>One element's answers in the previous cycle, by criterion code (codes, not ids, match across framework versions).</summary>
public sealed record PreviousAnswers(IReadOnlyDictionary<string, (CriterionKind Kind, Answer Answer)> ByCriterionCode)
{
    public Level Level { get; } = Scoring.LevelOf(ByCriterionCode.Values.ToList());
}

/// <summary>
/// Compares a cycle with the previous one, element by element: the level then and now, and which criteria were gained
/// (met now, not then) or lost (met then, not now).
/// </summary>
public static class CycleChange
{
    public static LevelChange Of(Level? before, Level now, bool nowAssessed) => before switch
    {
        null => LevelChange.New,
        _ when !nowAssessed => LevelChange.NotYetAnswered,
        { } then when now > then => LevelChange.Improved,
        { } then when now < then => LevelChange.Slipped,
        _ => LevelChange.Unchanged,
    };

    /// <summary>Criterion codes met now but not in the previous cycle (a criterion new to the framework counts when met).</summary>
    public static IReadOnlyList<string> Gained(PreviousAnswers before, IEnumerable<(string Code, Answer Answer)> now)
    {
        ArgumentNullException.ThrowIfNull(before);
        return now.Where(c => c.Answer == Answer.Met && !WasMet(before, c.Code)).Select(c => c.Code).ToList();
    }

    /// <summary>Criterion codes met in the previous cycle but not now (not met, or not answered again yet).</summary>
    public static IReadOnlyList<string> Lost(PreviousAnswers before, IEnumerable<(string Code, Answer Answer)> now)
    {
        ArgumentNullException.ThrowIfNull(before);
        return now.Where(c => c.Answer != Answer.Met && WasMet(before, c.Code)).Select(c => c.Code).ToList();
    }

    private static bool WasMet(PreviousAnswers before, string code) =>
        before.ByCriterionCode.TryGetValue(code, out var then) && then.Answer == Answer.Met;
}

/// <summary>The change in a set of elements (a section, the assessment) since the previous cycle.</summary>
public readonly record struct ProgressChange(int AtMinimum, int AtEnhancement, int Improved, int Slipped, int Unchanged, int NotYetAnswered = 0, int New = 0)
{
    /// <summary>
    /// Elements now at minimum and at enhancement, less those the previous cycle had there (an element missing from it
    /// counts as below minimum then); how many moved up, down or stayed, among those answered in both; and how many are
    /// not answered yet this cycle or new since it (so the counts always add up to the elements).
    /// </summary>
    public static ProgressChange Between(IEnumerable<(Level? Before, Level Now, bool NowAssessed)> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var list = elements.ToList();
        var changes = list.Select(e => CycleChange.Of(e.Before, e.Now, e.NowAssessed)).ToList();
        return new ProgressChange(
            list.Count(e => e.Now >= Level.MeetsMinimum) - list.Count(e => e.Before >= Level.MeetsMinimum),
            list.Count(e => e.Now == Level.MeetsEnhancement) - list.Count(e => e.Before == Level.MeetsEnhancement),
            changes.Count(c => c == LevelChange.Improved),
            changes.Count(c => c == LevelChange.Slipped),
            changes.Count(c => c == LevelChange.Unchanged),
            changes.Count(c => c == LevelChange.NotYetAnswered),
            changes.Count(c => c == LevelChange.New));
    }
}
