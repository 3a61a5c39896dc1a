using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PalliativeToolkit.Testing;

/// <summary>
/// Counts the database commands EF Core executes in the caller's own async flow (other tests running at the same time
/// are not counted), from EF Core's diagnostic events.
/// </summary>
public sealed class CommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly AsyncLocal<CommandCounter?> Current = new();
    private readonly List<IDisposable> _subscriptions = [];
    private int _count;

    private CommandCounter()
    {
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Starts counting the commands of the current async flow (and what it awaits) until disposed.</summary>
    public static CommandCounter Start()
    {
        var counter = new CommandCounter();
        Current.Value = counter;
        counter._subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(counter));
        return counter;
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuted.Name && ReferenceEquals(Current.Value, this))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        Current.Value = null;
        lock (_subscriptions)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }

            _subscriptions.Clear();
        }
    }
}
