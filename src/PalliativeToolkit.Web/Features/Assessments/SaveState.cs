namespace PalliativeToolkit.Web.Features.Assessments;

public enum SaveState
{
    Saved,
    Saving,
    Failed,
}
