namespace PalliativeToolkit.Benchmarks;

/// <summary>
/// One measured scenario. To add one: write a small class that implements this interface (see
/// <c>Scenarios/ColdStartScenario.cs</c>) and add an instance to <see cref="Scenarios.ScenarioCatalog.All"/>.
/// </summary>
internal interface IScenario
{
    /// <summary>The word that selects it on the command line, for example <c>coldstart</c>.</summary>
    string Name { get; }

    /// <summary>One line: what it measures (shown in the usage and while it runs).</summary>
    string Description { get; }

    /// <summary>Runs the scenario and returns its rows of the table. Cleans up everything it started, also on failure.</summary>
    Task<IReadOnlyList<ResultRow>> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken);
}

/// <summary>One line of the results table.</summary>
internal sealed record ResultRow(string Scenario, string Measure, string Value, string Notes);
