using System.Diagnostics;
using System.Globalization;
using PalliativeToolkit.Benchmarks.Browser;
using PalliativeToolkit.Benchmarks.Portal;

namespace PalliativeToolkit.Benchmarks.Scenarios;

/// <summary>
/// Managed memory that one open, interactive assessment page costs the server (its Blazor circuit and everything
/// it keeps), against the home page as the baseline of a template-like page. Each page gets a fresh portal in this
/// process and a fresh Chromium; N browser contexts, each signed in as the demo manager, keep their page open.
/// </summary>
internal sealed class CircuitMemoryScenario : IScenario
{
    private const string Interactive = "document.querySelector('[data-testid=interactive]') !== null";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The home page is ready once its circuit has rendered interactively.</summary>
    private static readonly PageUnderTest Home = new("home page", Interactive, "its Blazor circuit became interactive (MainLayout's [data-testid=interactive])");

    /// <summary>The assessment page loads its data after the first interactive render, so it also waits for the loaded view.</summary>
    private static readonly PageUnderTest Assessment = new(
        "assessment",
        $"{Interactive} && document.querySelector('[data-testid=overall-progress]') !== null",
        "its Blazor circuit became interactive and rendered the loaded assessment ([data-testid=overall-progress])");

    public string Name => "circuits";

    public string Description => "Managed memory per open assessment circuit, against the home page (in-process portal, headless Chromium)";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var n = options.Circuits;
        var home = await MeasureAsync(Home, n, cancellationToken);
        var assessment = await MeasureAsync(Assessment, n, cancellationToken);
        return
        [
            new(Name, "Managed memory per assessment circuit", Kilobytes(assessment.ManagedPerCircuit),
                $"(after − before) / {n}: GC.GetTotalMemory after a forced full GC, before and after opening {n} browser contexts as {DemoPortal.Manager} " +
                Invariant($"(one warm-up context already open); {assessment.Title} ({assessment.Url.AbsolutePath}), {assessment.DomElements:N0} DOM elements; {assessment.Halves}")),
            new(Name, "Managed memory per home page circuit", Kilobytes(home.ManagedPerCircuit), Invariant(
                $"the same for {home.Url.AbsolutePath}, {home.DomElements:N0} DOM elements; {home.Halves}")),
            new(Name, "Assessment / home page", home.ManagedPerCircuit <= 0 ? "n/a" : Invariant($"{assessment.ManagedPerCircuit / home.ManagedPerCircuit:0.0}×"), "ratio of the two managed figures"),
            new(Name, "Managed heap, assessment run", assessment.Heap, $"before → with the {n} circuits → after every circuit closed (pages left, disconnect beacons) and a full GC"),
            new(Name, "Managed heap, home page run", home.Heap, "the same for the home page, on a portal of its own"),
            new(Name, "Working set per assessment circuit", Kilobytes(assessment.WorkingSetPerCircuit),
                $"for information: this process's working set delta / {n} (total {Megabytes(assessment.WorkingSetDelta)}; this process runs workstation GC, the app alone server GC)"),
            new(Name, "Working set per home page circuit", Kilobytes(home.WorkingSetPerCircuit), $"for information: the same (total {Megabytes(home.WorkingSetDelta)})"),
        ];
    }

    private static async Task<PageMemory> MeasureAsync(PageUnderTest page, int n, CancellationToken cancellationToken)
    {
        Progress($"{page.Label}: starting the portal in-process (migrate and seed)");
        await using var portal = InProcessPortal.Start();
        using var manager = await PortalUser.LogInAsync(portal.BaseUrl, DemoPortal.Manager, DemoPortal.Password, cancellationToken);
        await using var browser = await Chromium.LaunchAsync(cancellationToken);
        var url = page == Assessment ? new Uri(portal.BaseUrl, await AssessmentPathAsync(portal, manager, browser, cancellationToken)) : portal.BaseUrl;

        // One context first, kept open: the first visit's one-off costs (JIT, caches, pools) are then outside the measurement.
        var warmUp = await OpenReadyAsync(browser, manager, url, page, "warm-up", cancellationToken);
        var title = (await warmUp.EvaluateAsync("document.title", cancellationToken)).GetString() ?? string.Empty;
        var elements = (await warmUp.EvaluateAsync("document.getElementsByTagName('*').length", cancellationToken)).GetInt32();
        var tabs = new List<BrowserTab> { warmUp };

        var before = ProcessMemory.AfterFullCollection();
        var half = n / 2;
        var middle = before;
        for (var i = 1; i <= n; i++)
        {
            tabs.Add(await OpenReadyAsync(browser, manager, url, page, $"{i} of {n}", cancellationToken));
            if (i == half)
            {
                middle = ProcessMemory.AfterFullCollection();
            }
        }

        var after = ProcessMemory.AfterFullCollection();
        if (portal.Circuits.Open != n + 1)
        {
            throw new InvalidOperationException(
                $"The portal has {portal.Circuits.Open} circuits open for {n + 1} browser contexts on the {page.Label}; the figure per circuit would be wrong.");
        }

        Progress($"{page.Label}: managed {Megabytes(before.ManagedBytes)} → {Megabytes(after.ManagedBytes)}, working set {Megabytes(before.WorkingSetBytes)} → {Megabytes(after.WorkingSetBytes)} with {n} more circuits");
        var released = await CloseAllAsync(portal, tabs, cancellationToken);
        Progress($"{page.Label}: every circuit closed, managed {Megabytes(released.ManagedBytes)}");
        return new PageMemory(url, title, elements, n, half, before, middle, after, released);
    }

    /// <summary>
    /// Leaves the pages and waits until the portal has closed their circuits, then closes the browser contexts.
    /// Otherwise the circuits would only be disconnected, outlive the portal in this process, and still be there (and
    /// fail their revalidation) while the next page is measured.
    /// </summary>
    private static async Task<ProcessMemory> CloseAllAsync(InProcessPortal portal, IReadOnlyCollection<BrowserTab> tabs, CancellationToken cancellationToken)
    {
        foreach (var tab in tabs)
        {
            await tab.LeaveAsync(cancellationToken);
        }

        if (!await portal.Circuits.WaitForAsync(0, ReadyTimeout, cancellationToken))
        {
            throw new TimeoutException($"{portal.Circuits.Open} circuits were still open {ReadyTimeout.TotalSeconds:0} s after their pages were left.");
        }

        foreach (var tab in tabs)
        {
            await tab.CloseAsync(cancellationToken);
        }

        return ProcessMemory.AfterFullCollection();
    }

    /// <summary>
    /// The first assessment the manager may open, read from the prerendered /assessments page; when the first
    /// response has no link, from the page rendered in the browser.
    /// </summary>
    private static async Task<string> AssessmentPathAsync(InProcessPortal portal, PortalUser manager, Chromium browser, CancellationToken cancellationToken)
    {
        var path = await manager.FirstAssessmentPathAsync(cancellationToken);
        if (path is not null)
        {
            return path;
        }

        var list = await OpenReadyAsync(browser, manager, new Uri(portal.BaseUrl, "assessments"), Home with { Label = "assessments list" }, "lookup", cancellationToken);
        var links = await list.EvaluateAsync("Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href')).join(' ')", cancellationToken);
        await CloseAllAsync(portal, [list], cancellationToken);
        var match = PortalUser.AssessmentLink().Match(string.Concat((links.GetString() ?? string.Empty).Split(' ').Select(h => $"href=\"{h}\" ")));
        return match.Success
            ? match.Groups["path"].Value
            : throw new InvalidOperationException($"{DemoPortal.Manager} sees no assessment link on {portal.BaseUrl}assessments: is the demo data seeded (Demo:Seed=true)?");
    }

    private static async Task<BrowserTab> OpenReadyAsync(Chromium browser, PortalUser user, Uri url, PageUnderTest page, string which, CancellationToken cancellationToken)
    {
        var tab = await browser.OpenAsync(url, user.AuthenticationCookies, cancellationToken);
        var clock = Stopwatch.StartNew();
        await tab.WaitUntilAsync(page.ReadyWhen, $"The {page.Label} in browser context {which}: {page.ReadyMeans}", ReadyTimeout, cancellationToken);
        Progress($"{page.Label}: context {which} ready in {clock.ElapsedMilliseconds} ms");
        return tab;
    }

    private static void Progress(string line) => Console.Error.WriteLine($"  {line}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Kilobytes(double bytes) => Invariant($"{bytes / 1024:N0} KB");

    private static string Megabytes(double bytes) => Invariant($"{bytes / (1024 * 1024):N1} MB");

    /// <summary>A page to open: what it is called, the JavaScript condition that says it is ready, and what that means in words.</summary>
    private sealed record PageUnderTest(string Label, string ReadyWhen, string ReadyMeans);

    /// <summary>The process's memory before the N circuits, after the first half of them, with all of them, and once they are closed.</summary>
    private sealed record PageMemory(
        Uri Url, string Title, int DomElements, int Circuits, int Half, ProcessMemory Before, ProcessMemory Middle, ProcessMemory After, ProcessMemory Released)
    {
        public double ManagedPerCircuit => (double)(After.ManagedBytes - Before.ManagedBytes) / Circuits;

        public double WorkingSetDelta => After.WorkingSetBytes - Before.WorkingSetBytes;

        public double WorkingSetPerCircuit => WorkingSetDelta / Circuits;

        /// <summary>Per circuit over the first and the second half: equal when the cost is linear, not pools warming up.</summary>
        public string Halves => Half == 0
            ? "too few circuits to compare halves"
            : $"first {Half}: {Kilobytes((double)(Middle.ManagedBytes - Before.ManagedBytes) / Half)} each, " +
              $"last {Circuits - Half}: {Kilobytes((double)(After.ManagedBytes - Middle.ManagedBytes) / (Circuits - Half))} each";

        public string Heap => $"{Megabytes(Before.ManagedBytes)} → {Megabytes(After.ManagedBytes)} → {Megabytes(Released.ManagedBytes)}";
    }
}

/// <summary>This process's memory after a forced full garbage collection.</summary>
internal readonly record struct ProcessMemory(long ManagedBytes, long WorkingSetBytes)
{
    public static ProcessMemory AfterFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return new ProcessMemory(managed, process.WorkingSet64);
    }
}
