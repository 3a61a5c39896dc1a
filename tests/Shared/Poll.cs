namespace PalliativeToolkit.Testing;

/// <summary>
/// Waits for a condition outside the browser (a log line, a row, a process answering): reads again every
/// <see cref="Interval"/> until the condition holds, and fails with the last value read once <c>timeout</c> has passed.
/// In the browser, Playwright's <c>Expect</c> does the same.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>The first value read that satisfies <paramref name="done"/>; a <see cref="TimeoutException"/> saying what was awaited otherwise.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, Func<T, string> failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(failure);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (waited.Elapsed >= timeout)
            {
                throw new TimeoutException($"{failure(value)} (waited {timeout.TotalSeconds:0} s)");
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }
}
