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
        var method = $"(after − before) / {n}, GC.GetTotalMemory after a forced full GC, {n} browser contexts as {DemoPortal.Manager}, one warm-up context open before";
        return
        [
            new(Name, "Managed memory per assessment circuit", Kilobytes(assessment.ManagedPerCircuit), string.Create(CultureInfo.InvariantCulture, $"{method}; {assessment.Title} ({assessment.Url.AbsolutePath}), {assessment.DomElements:N0} DOM elements")),
            new(Name, "Managed memory per home page circuit", Kilobytes(home.ManagedPerCircuit), string.Create(CultureInfo.InvariantCulture, $"{method}; {home.Url.AbsolutePath}, {home.DomElements:N0} DOM elements")),
            new(Name, "Assessment / home page", home.ManagedPerCircuit <= 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{assessment.ManagedPerCircuit / home.ManagedPerCircuit:0.0}×"), "ratio of the two managed figures"),
            new(Name, "Working set per assessment circuit", Kilobytes(assessment.WorkingSetPerCircuit), $"for information: this process's working set delta / {n} (total {Megabytes(assessment.WorkingSetDelta)}; workstation GC, the app alone runs server GC)"),
            new(Name, "Working set per home page circuit", Kilobytes(home.WorkingSetPerCircuit), $"for information: this process's working set delta / {n} (total {Megabytes(home.WorkingSetDelta)})"),
        ];
    }

    private static async Task<PageMemory> MeasureAsync(PageUnderTest page, int n, CancellationToken cancellationToken)
    {
        Progress($"{page.Label}: starting the portal in-process (migrate and seed)");
        await using var portal = InProcessPortal.Start();
        using var manager = await PortalUser.LogInAsync(portal.BaseUrl, DemoPortal.Manager, DemoPortal.Password, cancellationToken);
        await using var browser = await Chromium.LaunchAsync(cancellationToken);
        var url = page == Assessment ? new Uri(portal.BaseUrl, await AssessmentPathAsync(manager, browser, portal.BaseUrl, cancellationToken)) : portal.BaseUrl;

        // One context first, kept open: the first visit's one-off costs (JIT, caches, pools) are then outside the measurement.
        var warmUp = await OpenReadyAsync(browser, manager, url, page, "warm-up", cancellationToken);
        var title = (await warmUp.EvaluateAsync("document.title", cancellationToken)).GetString() ?? string.Empty;
        var elements = (await warmUp.EvaluateAsync("document.getElementsByTagName('*').length", cancellationToken)).GetInt32();

        var before = ProcessMemory.AfterFullCollection();
        for (var i = 1; i <= n; i++)
        {
            await OpenReadyAsync(browser, manager, url, page, $"{i} of {n}", cancellationToken);
        }

        var after = ProcessMemory.AfterFullCollection();
        Progress($"{page.Label}: managed {Megabytes(before.ManagedBytes)} → {Megabytes(after.ManagedBytes)}, working set {Megabytes(before.WorkingSetBytes)} → {Megabytes(after.WorkingSetBytes)} with {n} more circuits");
        return new PageMemory(url, title, elements, n, before, after);
    }

    /// <summary>
    /// The first assessment the manager may open, read from the prerendered /assessments page; when the first
    /// response has no link, from the page rendered in the browser.
    /// </summary>
    private static async Task<string> AssessmentPathAsync(PortalUser manager, Chromium browser, Uri baseUrl, CancellationToken cancellationToken)
    {
        var path = await manager.FirstAssessmentPathAsync(cancellationToken);
        if (path is not null)
        {
            return path;
        }

        var list = await OpenReadyAsync(browser, manager, new Uri(baseUrl, "assessments"), Home with { Label = "assessments list" }, "lookup", cancellationToken);
        var links = await list.EvaluateAsync("Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href')).join(' ')", cancellationToken);
        await list.CloseAsync(cancellationToken);
        var match = PortalUser.AssessmentLink().Match(string.Concat((links.GetString() ?? string.Empty).Split(' ').Select(h => $"href=\"{h}\" ")));
        return match.Success
            ? match.Groups["path"].Value
            : throw new InvalidOperationException($"{DemoPortal.Manager} sees no assessment link on {baseUrl}assessments: is the demo data seeded (Demo:Seed=true)?");
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

    private static string Kilobytes(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:N0} KB");

    private static string Megabytes(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):N1} MB");

    /// <summary>A page to open: what it is called, the JavaScript condition that says it is ready, and what that means in words.</summary>
    private sealed record PageUnderTest(string Label, string ReadyWhen, string ReadyMeans);

    private sealed record PageMemory(Uri Url, string Title, int DomElements, int Circuits, ProcessMemory Before, ProcessMemory After)
    {
        public double ManagedPerCircuit => (double)(After.ManagedBytes - Before.ManagedBytes) / Circuits;

        public double WorkingSetDelta => After.WorkingSetBytes - Before.WorkingSetBytes;

        public double WorkingSetPerCircuit => WorkingSetDelta / Circuits;
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
