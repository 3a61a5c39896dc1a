using System.Collections.Concurrent;
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

/// <summary><see cref="IPersonalSignals"/> within one process. A listener's failure is logged and never reaches the teller.</summary>
public sealed class InProcessPersonalSignals(ILogger<InProcessPersonalSignals> logger) : IPersonalSignals
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Func<Task>>> _listeners = new(StringComparer.Ordinal);

    public void Tell(string userId)
    {
        if (!_listeners.TryGetValue(userId, out var listeners))
        {
            return;
        }

        foreach (var listener in listeners.Values)
        {
            PageCalls.Fire(logger, listener);
        }
    }

    public IDisposable Listen(string userId, Func<Task> onSignal)
    {
        var id = Guid.NewGuid();
        _listeners.GetOrAdd(userId, _ => new ConcurrentDictionary<Guid, Func<Task>>())[id] = onSignal;
        return PageCalls.Once(() =>
        {
            if (_listeners.TryGetValue(userId, out var listeners))
            {
                listeners.TryRemove(id, out _);
            }
        });
    }
}
