using System.Diagnostics;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace PalliativeToolkit.Benchmarks.Portal;

/// <summary>
/// How many Blazor circuits the in-process portal has open, told by a circuit handler that only the benchmark host
/// adds. It proves each browser context holds one circuit while measuring, and that they are all closed afterwards.
/// </summary>
internal sealed class CircuitTracker
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public CircuitHandler CreateHandler() => new Handler(this);

    /// <summary>Waits until exactly <paramref name="count"/> circuits are open; false when that did not happen within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (Open != count)
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return true;
    }

    private sealed class Handler(CircuitTracker tracker) : CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref tracker._open);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref tracker._open);
            return Task.CompletedTask;
        }
    }
}
