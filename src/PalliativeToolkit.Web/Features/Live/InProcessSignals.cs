using System.Collections.Concurrent;

namespace PalliativeToolkit.Web.Features.Live;

/// <summary>
/// Signals within one process, by key: every page listening to a key is called (on its own task) when someone tells it.
/// A listener's failure is logged and never reaches the teller. Several instances need an implementation over a shared
/// message bus (docs/deployment.md).
/// </summary>
public abstract class InProcessSignals<TKey>(ILogger logger)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, ConcurrentDictionary<Guid, Func<Task>>> _listeners = new();

    public void Tell(TKey key)
    {
        if (!_listeners.TryGetValue(key, out var listeners))
        {
            return;
        }

        foreach (var listener in listeners.Values)
        {
            PageCalls.Fire(logger, listener);
        }
    }

    public IDisposable Listen(TKey key, Func<Task> onSignal)
    {
        var id = Guid.NewGuid();
        _listeners.GetOrAdd(key, _ => new ConcurrentDictionary<Guid, Func<Task>>())[id] = onSignal;
        return PageCalls.Once(() =>
        {
            if (_listeners.TryGetValue(key, out var listeners))
            {
                listeners.TryRemove(id, out _);
            }
        });
    }
}
