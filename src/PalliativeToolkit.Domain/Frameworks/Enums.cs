namespace PalliativeToolkit.Domain.Frameworks;

/// <summary>Who assesses an element: the plan, the PC provider, or both together.</summary>
public enum Audience
{
    Plan,
    Provider,
    Joint,
}

/// <summary>A criterion is a minimum every program should adopt, or one of a menu of enhancements.</summary>
public enum CriterionKind
{
    Minimum,
    Enhancement,
}

/// <summary>Where a text comes from: the published guide, or provisional editorial wording pending review.</summary>
public enum Provenance
{
    Guide,
    Provisional,
}
