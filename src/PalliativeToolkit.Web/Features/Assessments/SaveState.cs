namespace PalliativeToolkit.Web.Features.Assessments;

public enum SaveState
{
    Saved,
    Saving,
    Failed,

    /// <summary>Saved, except fields someone else changed differently: both versions are on the card for the user to choose.</summary>
    Conflict,
}
