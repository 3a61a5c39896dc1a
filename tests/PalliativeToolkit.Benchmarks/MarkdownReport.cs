using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace PalliativeToolkit.Benchmarks;

/// <summary>The report: the machine it ran on, then one Markdown table of every scenario's rows.</summary>
internal static class MarkdownReport
{
    public static string Render(BenchmarkOptions options, IEnumerable<ResultRow> rows, TimeProvider clock, string? loadAtStart)
    {
        var text = new StringBuilder();
        text.AppendLine("## PalliativeToolkit benchmarks");
        text.AppendLine();
        foreach (var line in Machine())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"- Run: {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC; scenarios: {string.Join(", ", options.Scenarios)}; --n {options.Circuits}; --runs {options.Runs}; --writers {options.Writers}; --saves {options.Saves}");
        if (loadAtStart is not null)
        {
            // Timings are only comparable on an otherwise idle machine: say how busy it was.
            text.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1 min, other processes included): {loadAtStart} at the start, {LoadAverage()} at the end");
        }

        text.AppendLine();
        text.AppendLine("| Scenario | Measure | Value | Notes |");
        text.AppendLine("| --- | --- | ---: | --- |");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(row.Scenario)} | {Cell(row.Measure)} | {Cell(row.Value)} | {Cell(row.Notes)} |");
        }

        return text.ToString();
    }

    private static IEnumerable<string> Machine()
    {
        yield return $"OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})";
        var cpu = CpuModel();
        yield return $"CPU: {(cpu is null ? string.Empty : cpu + ", ")}{Environment.ProcessorCount} logical processors";
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        yield return string.Create(CultureInfo.InvariantCulture, $"Memory: {memory / (1024.0 * 1024 * 1024):0.0} GiB available to .NET");
#if DEBUG
        const string build = "Debug build (use -c Release for figures to compare)";
#else
        const string build = "Release build";
#endif
        yield return $".NET: {RuntimeInformation.FrameworkDescription}, {build}";
    }

    /// <summary>The 1-minute load average from /proc/loadavg (Linux); null elsewhere.</summary>
    public static string? LoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        return File.Exists(loadAverage) ? File.ReadAllText(loadAverage).Split(' ')[0] : null;
    }

    /// <summary>The first "model name" of /proc/cpuinfo (Linux); null elsewhere.</summary>
    private static string? CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return null;
        }

        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
