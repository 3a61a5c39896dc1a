namespace PalliativeToolkit.Web.Features.Live;

/// <summary>What happened to an assessment, told to every page that has it open.</summary>
/// <param name="AssessmentId">The assessment.</param>
/// <param name="ElementResponseId">The element that changed, or null for the assessment as a whole (submitted, returned…).</param>
/// <param name="Version">The element's version after the change, so a page that made it can tell its own save.</param>
/// <param name="ActorId">Who made the change.</param>
/// <param name="ActorName">Their display name.</param>
/// <param name="Description">What they did, in words ("A1: A1-M2 met; evidence notes").</param>
/// <param name="Origin">The page that made the change, when a page did: it already shows it.</param>
public sealed record AssessmentChange(Guid AssessmentId, Guid? ElementResponseId, Guid? Version, string ActorId, string ActorName, string Description, Guid? Origin = null);

/// <summary>Someone with the assessment open.</summary>
public sealed record PresentUser(string UserId, string DisplayName);

/// <summary>
/// Live collaboration on an assessment: changes told to the other open pages, and who has it open. Pages and services
/// use only this. The portal registers <see cref="InProcessAssessmentLive"/> (one instance); several instances need a
/// shared implementation over a message bus (see docs/deployment.md) and nothing else changes.
/// </summary>
public interface IAssessmentLive
{
    /// <summary>Tells every page that has the assessment open. Never waits for them, never throws for them.</summary>
    void Publish(AssessmentChange change);

    /// <summary>
    /// Opens the assessment for one page: it hears every change and the list of who has it open, until disposed.
    /// </summary>
    IDisposable Join(Guid assessmentId, PresentUser user, Func<AssessmentChange, Task> onChange, Func<IReadOnlyList<PresentUser>, Task> onPresence);

    /// <summary>Who has the assessment open now (each person once, however many pages they have open).</summary>
    IReadOnlyList<PresentUser> Present(Guid assessmentId);
}
