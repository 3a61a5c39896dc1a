using PalliativeToolkit.Web.Features.Live;

namespace PalliativeToolkit.Web.Features.Feedback;

/// <summary>
/// Tells the open pages that show an organization's feedback threads (its assessments' element cards, its list, and
/// the reviewers' list of every organization) that one of them changed; the pages read them again through the access
/// filters. Several instances need an implementation over a shared message bus (docs/deployment.md).
/// </summary>
public interface IFeedbackSignals
{
    /// <summary>A thread of <paramref name="organizationId"/> changed.</summary>
    void Tell(Guid organizationId);

    /// <summary>Hears the changes to the threads of one organization.</summary>
    IDisposable Listen(Guid organizationId, Func<Task> onSignal);

    /// <summary>Hears the changes to every organization's threads (the reviewers' list).</summary>
    IDisposable ListenAll(Func<Task> onSignal);
}

/// <summary><see cref="IFeedbackSignals"/> within one process.</summary>
public sealed class InProcessFeedbackSignals(ILogger<InProcessFeedbackSignals> logger) : InProcessSignals<Guid>(logger), IFeedbackSignals
{
    void IFeedbackSignals.Tell(Guid organizationId)
    {
        Tell(organizationId);
        Tell(Guid.Empty);
    }

    public IDisposable ListenAll(Func<Task> onSignal) => Listen(Guid.Empty, onSignal);
}
