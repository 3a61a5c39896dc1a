using PalliativeToolkit.Benchmarks.Scenarios;

namespace PalliativeToolkit.Benchmarks;

/// <summary>
/// Runs the chosen scenarios and prints one Markdown report. Standard output carries only the report: progress and
/// the in-process portal's own console output go to standard error, so <c>&gt; results.md</c> works too.
/// </summary>
internal static class EntryPoint
{
    public static async Task<int> Main(string[] args)
    {
        var catalog = ScenarioCatalog.All;
        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args, catalog.Select(s => s.Name).ToList());
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            await Console.Error.WriteLineAsync(BenchmarkOptions.Usage(catalog));
            return 2;
        }

        // Run from the output folder, as test runners do: WebApplicationFactory finds the web project's content root
        // through MvcTestingAppManifest.json in the current directory. A relative --out still means the caller's folder.
        options = options with { OutputFile = options.OutputFile is null ? null : Path.GetFullPath(options.OutputFile) };
        Environment.CurrentDirectory = AppContext.BaseDirectory;

        var report = Console.Out;
        Console.SetOut(Console.Error);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var loadAtStart = MarkdownReport.LoadAverage();
        var rows = new List<ResultRow>();
        var failed = false;
        foreach (var scenario in catalog.Where(s => options.Scenarios.Contains(s.Name)))
        {
            await Console.Error.WriteLineAsync($"== {scenario.Name}: {scenario.Description}");
            try
            {
                rows.AddRange(await scenario.RunAsync(options, cancel.Token));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                failed = true;
                await Console.Error.WriteLineAsync($"{scenario.Name} failed: {e}");
                rows.Add(new ResultRow(scenario.Name, "failed", "—", e.Message));
            }
        }

        var markdown = MarkdownReport.Render(options, rows, TimeProvider.System, loadAtStart);
        await report.WriteLineAsync();
        await report.WriteAsync(markdown);
        await report.FlushAsync(CancellationToken.None);
        if (options.OutputFile is not null)
        {
            await File.WriteAllTextAsync(options.OutputFile, markdown, CancellationToken.None);
            await Console.Error.WriteLineAsync($"Written to {options.OutputFile}");
        }

        return failed ? 1 : 0;
    }
}
