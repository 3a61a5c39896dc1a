using System.Globalization;
using PalliativeToolkit.Benchmarks.Portal;

namespace PalliativeToolkit.Benchmarks.Scenarios;

/// <summary>
/// Time from starting the built web app as a process to GET /health answering Healthy, on a new SQLite file each
/// time: process start, migrations, demo seed and Kestrel listening.
/// </summary>
internal sealed class ColdStartScenario : IScenario
{
    private static readonly TimeSpan HealthyTimeout = TimeSpan.FromMinutes(3);

    public string Name => "coldstart";

    public string Description => "Cold start to healthy: dotnet PalliativeToolkit.Web.dll on a new SQLite file until GET /health is Healthy";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var dll = WebAppProcess.FindWebAppDll();
        var times = new List<TimeSpan>();
        for (var run = 1; run <= options.Runs; run++)
        {
            await using var app = WebAppProcess.Start(dll);
            var time = await app.WaitUntilHealthyAsync(HealthyTimeout, cancellationToken);
            times.Add(time);
            Console.Error.WriteLine($"  run {run} of {options.Runs}: healthy after {Seconds(time)} on {app.BaseUrl}");
        }

        times.Sort();
        var notes = $"{times.Count} runs, each a new process and database (Development, Demo:Seed=true), /health polled every 50 ms";
        return
        [
            new(Name, "Cold start to healthy, min", Seconds(times[0]), notes),
            new(Name, "Cold start to healthy, median", Seconds(Median(times)), $"all runs, sorted: {string.Join(", ", times.Select(Seconds))}"),
            new(Name, "Cold start to healthy, max", Seconds(times[^1]), $"{Path.GetFileName(dll)} from {AppContext.BaseDirectory}"),
        ];
    }

    private static TimeSpan Median(List<TimeSpan> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00} s");
}
