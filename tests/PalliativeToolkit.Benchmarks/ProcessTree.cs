using System.Diagnostics;

namespace PalliativeToolkit.Benchmarks;

/// <summary>Helpers for the child processes the benchmarks start (Chromium, the web app): stop them, keep their last lines.</summary>
internal static class ProcessTree
{
    /// <summary>Waits up to <paramref name="grace"/> for the process to end, then kills it and its children.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        try
        {
            if (!process.HasExited)
            {
                using var wait = new CancellationTokenSource(grace);
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
        }
        catch (InvalidOperationException)
        {
            // never started, or already gone
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"warning: process {process.Id} did not exit after being killed.");
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Kills the process and its children at once (a benchmark run is over; nothing to shut down gracefully).</summary>
    public static Task KillAsync(Process process) => StopAsync(process, TimeSpan.Zero);
}

/// <summary>The last lines a child process wrote, to explain a failure.</summary>
internal sealed class OutputTail
{
    private const int Capacity = 40;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > Capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>The last lines, indented, after a newline; empty when there were none.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return _lines.Count == 0 ? string.Empty : $"{Environment.NewLine}Its last output:{Environment.NewLine}  " + string.Join($"{Environment.NewLine}  ", _lines);
        }
    }
}

/// <summary>Temporary folders of the benchmarks: created under the system temp folder and deleted at the end.</summary>
internal static class TempFolder
{
    public static string Create(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Deletes the folder; a child process that has just exited may still hold a file, so it tries a few times.</summary>
    public static void Delete(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 5)
                {
                    Console.Error.WriteLine($"warning: could not delete {path}: {e.Message}");
                    return;
                }

                Thread.Sleep(200 * attempt);
            }
        }
    }
}
