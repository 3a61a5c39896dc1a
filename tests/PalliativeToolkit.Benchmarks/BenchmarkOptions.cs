using System.Globalization;
using PalliativeToolkit.Benchmarks.Portal;

namespace PalliativeToolkit.Benchmarks;

/// <summary>The command line: <c>[scenario…] [--n 20] [--runs 5] [--writers 20] [--saves 100] [--out file.md]</c>; no scenario means all of them.</summary>
/// <remarks>Scenarios run in the catalog's order, whatever the order on the command line.</remarks>
internal sealed record BenchmarkOptions(IReadOnlyList<string> Scenarios, int Circuits, int Runs, int Writers, int Saves, string? OutputFile)
{
    public const int DefaultCircuits = 20;
    public const int DefaultRuns = 5;
    public const int DefaultWriters = 20;
    public const int DefaultSaves = 100;

    public static string Usage(IEnumerable<IScenario> scenarios) =>
        "Usage: dotnet run -c Release --project tests/PalliativeToolkit.Benchmarks -- [scenario…] [--n 20] [--runs 5] [--writers 20] [--saves 100] [--out file.md]" + Environment.NewLine +
        "Scenarios (default: all):" + Environment.NewLine +
        string.Concat(scenarios.Select(s => $"  {s.Name,-12} {s.Description}{Environment.NewLine}")) +
        $"  --n N        browser contexts (circuits) per page in 'circuits' (default {DefaultCircuits})" + Environment.NewLine +
        $"  --runs K     cold starts in 'coldstart' (default {DefaultRuns})" + Environment.NewLine +
        $"  --writers W  concurrent writers in 'autosave' (default {DefaultWriters})" + Environment.NewLine +
        $"  --saves S    saves per concurrent writer in 'autosave'; the lone writer does 3 × S (default {DefaultSaves})" + Environment.NewLine +
        "  --out FILE   also write the Markdown report to FILE";

    /// <summary>Reads the arguments; throws <see cref="ArgumentException"/> with a message for the user when one is wrong.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> knownScenarios)
    {
        var scenarios = new List<string>();
        var circuits = DefaultCircuits;
        var runs = DefaultRuns;
        var writers = DefaultWriters;
        var saves = DefaultSaves;
        string? output = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--n":
                    circuits = PositiveNumber(args, ++i, "--n");
                    break;
                case "--runs":
                    runs = PositiveNumber(args, ++i, "--runs");
                    break;
                case "--writers":
                    writers = PositiveNumber(args, ++i, "--writers");
                    break;
                case "--saves":
                    saves = PositiveNumber(args, ++i, "--saves");
                    break;
                case "--out":
                    output = i + 1 < args.Count ? args[++i] : throw new ArgumentException("--out needs a file name.");
                    break;
                case var name when knownScenarios.Contains(name):
                    if (!scenarios.Contains(name))
                    {
                        scenarios.Add(name);
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Scenarios: {string.Join(", ", knownScenarios)}.");
            }
        }

        return new BenchmarkOptions(scenarios.Count == 0 ? [.. knownScenarios] : [.. knownScenarios.Where(scenarios.Contains)], circuits, runs, writers, saves, output);
    }

    private static int PositiveNumber(IReadOnlyList<string> args, int index, string option) =>
        index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{option} needs a whole number above 0.");
}
