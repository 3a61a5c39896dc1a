namespace PalliativeToolkit.Benchmarks.Scenarios;

/// <summary>Every scenario, in the order they run (also when the command line names them in another order).</summary>
internal static class ScenarioCatalog
{
    /// <summary>
    /// Timings first: after the in-process portal has served many circuits, this process keeps recompiling its code
    /// (tiered JIT) for a while, and on a small machine that slows a cold start measured right after it. The cold
    /// start goes first of all (a process of its own, measured on an idle machine), then the in-process timings.
    /// </summary>
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new ColdStartScenario(),
        new AutosaveScenario(),
        new StatewideScenario(),
        new ImportReviewScenario(),
        new CircuitMemoryScenario(),
    ];
}
