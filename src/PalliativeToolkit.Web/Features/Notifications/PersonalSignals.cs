using PalliativeToolkit.Web.Features.Live;

namespace PalliativeToolkit.Web.Features.Notifications;

/// <summary>
/// Tells a person's open pages that something of theirs changed (a new notification: the unread count). Pages use only
/// this interface; several instances need an implementation over a shared message bus (docs/deployment.md).
/// </summary>
public interface IPersonalSignals
{
    void Tell(string userId);

    IDisposable Listen(string userId, Func<Task> onSignal);
}

/// <summary><see cref="IPersonalSignals"/> within one process.</summary>
public sealed class InProcessPersonalSignals(ILogger<InProcessPersonalSignals> logger) : InProcessSignals<string>(logger), IPersonalSignals;
