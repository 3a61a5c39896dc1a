namespace PalliativeToolkit.Domain.Assessments;

/// <summary>A criterion is met, not met, or still open (unanswered). An unticked box never silently means "not met".</summary>
public enum Answer
{
    Open,
    Met,
    NotMet,
}

/// <summary>An element's level, always derived from its criteria answers.</summary>
public enum Level
{
    NotStarted,
    BelowMinimum,
    MeetsMinimum,
    MeetsEnhancement,
}

public enum AssessmentStatus
{
    Draft,
    Submitted,
    Returned,
    Accepted,
}

public enum Priority
{
    None,
    Low,
    Medium,
    High,
}

public static class LevelText
{
    public static string Describe(this Level level) => level switch
    {
        Level.NotStarted => "Not started",
        Level.BelowMinimum => "Not yet at minimum",
        Level.MeetsMinimum => "Meets minimum",
        Level.MeetsEnhancement => "Meets enhancement",
        _ => level.ToString(),
    };

    public static string Describe(this Answer answer) => answer switch
    {
        Answer.Met => "Met",
        Answer.NotMet => "Not met",
        _ => "Open",
    };

    public static string Describe(this LevelChange change) => change switch
    {
        LevelChange.Improved => "improved",
        LevelChange.Slipped => "slipped",
        LevelChange.Unchanged => "unchanged",
        LevelChange.NotYetAnswered => "not yet answered this cycle",
        _ => "new this cycle",
    };

    public static string Describe(this AssessmentStatus status) => status switch
    {
        AssessmentStatus.Draft => "Draft",
        AssessmentStatus.Submitted => "Submitted",
        AssessmentStatus.Returned => "Returned with feedback",
        AssessmentStatus.Accepted => "Accepted",
        _ => status.ToString(),
    };
}
