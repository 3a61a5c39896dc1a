namespace PalliativeToolkit.Benchmarks.Scenarios;

/// <summary>Every scenario, in the order they run (also when the command line names them in another order).</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new ColdStartScenario(),
    ];
}
