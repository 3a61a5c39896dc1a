using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using PalliativeToolkit.Testing;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// The portal as a process of its own (<c>dotnet PalliativeToolkit.Web.dll</c>, Development, on a copy of the demo
/// database), so that a test can kill it the way a crash does (SIGKILL: no shutdown, nothing flushed) and start it again.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private PortalProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<PortalProcess> StartAsync(string database, string folder, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PalliativeToolkit.Web.dll");
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl.GetLeftPart(UriPartial.Authority));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var settings = new Dictionary<string, string?>(TemplateDatabase.Settings(database))
        {
            ["Email:Delivery"] = "Pickup",
            ["Email:PickupDirectory"] = Path.Combine(folder, "mail"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings.Concat(TemplateDatabase.GenerousRateLimits.Select(l => new KeyValuePair<string, string?>(l.Key, l.Value))))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var portal = new PortalProcess(new Process { StartInfo = start }, baseUrl);
        portal._process.OutputDataReceived += (_, line) => portal.Keep(line.Data);
        portal._process.ErrorDataReceived += (_, line) => portal.Keep(line.Data);
        portal._process.Start();
        portal._process.BeginOutputReadLine();
        portal._process.BeginErrorReadLine();
        await portal.WaitUntilHealthyAsync();
        return portal;
    }

    /// <summary>The dotnet host that runs this test process (the runtime's own root), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = runtime is null ? null : Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var host = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return host is not null && File.Exists(host) ? host : "dotnet";
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL, as a crash or an out-of-memory kill ends it.</summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The portal exited with {_process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, _output.TakeLast(30))}");
                }

                try
                {
                    using var response = await http.GetAsync("health");
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false; // not listening yet
                }
            },
            healthy => healthy,
            TimeSpan.FromSeconds(90),
            _ => $"The portal did not answer /health:{Environment.NewLine}{string.Join(Environment.NewLine, _output.TakeLast(30))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>What a person typed survives the server being killed: at most the last two seconds are lost.</summary>
public sealed class CrashTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-crash", Guid.NewGuid().ToString("N"));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Notes_typed_up_to_two_seconds_before_the_server_is_killed_are_there_after_it_restarts()
    {
        var database = await TemplateDatabase.Demo(_folder);
        var port = PortalProcess.FreePort();
        var portal = await PortalProcess.StartAsync(database, _folder, port);
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = portal.BaseUrl.ToString() });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();

        await page.GotoAsync("Account/Login");
        await page.Locator("#Input\\.Email").FillAsync($"manager@{TemplateDatabase.DemoDomain}");
        await page.Locator("#Input\\.Password").FillAsync(TemplateDatabase.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
        await page.GotoAsync("assessments");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Draft" }).GetByRole(AriaRole.Link).ClickAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var notes = page.Locator("[data-element=A2]").GetByRole(AriaRole.Textbox, new() { Name = "Evidence notes" });

        // One save first, as a person's first words are: a new process answers its first save slowly on a busy machine.
        await notes.FillAsync("Draft");
        await StoredBecomesAsync(database, "Draft");
        await notes.FillAsync(string.Empty);
        await StoredBecomesAsync(database, string.Empty);

        // Typing without a pause (a key every 50 ms); the server is killed while it goes on.
        var typed = string.Concat(Enumerable.Repeat("Weekly huddles review every new referral. ", 6));
        // The page itself records what it showed, and when, at every key: the text of some seconds before the kill is the
        // measure (a busy machine types fewer keys a second, so keys would not be).
        await notes.EvaluateAsync("el => { window.shownNotes = []; el.addEventListener('input', () => window.shownNotes.push({ at: performance.now(), text: el.value })); }");
        var keys = notes.PressSequentiallyAsync(typed, new() { Delay = 50, Timeout = 90_000 });

        // Killed once the typing has gone on for a while (100 characters: five seconds at full speed), while it goes on.
        await Expect(notes).ToHaveValueAsync(new Regex("^.{100,}", RegexOptions.Singleline), new() { Timeout = 60_000 });
        var killedAt = TimeSpan.FromMilliseconds(await page.EvaluateAsync<double>("() => performance.now()"));
        await portal.CrashAsync();
        try
        {
            await keys;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            // the page may have lost its circuit mid-typing; what counts is what was stored
        }

        var shown = (await page.EvaluateAsync<ShownNotes[]>("() => window.shownNotes"))
            .Select(s => (At: TimeSpan.FromMilliseconds(s.At), s.Text)).ToList();

        // Started again on the same database file, as an operator restarts it.
        await using var restarted = await PortalProcess.StartAsync(database, _folder, port);
        var stored = await StoredNotesAsync(database);

        // Everything the page showed two seconds before the kill — and one more second for the save to reach the
        // database on a loaded machine (the CI run's was slow enough to type five keys a second) — was stored before it,
        // and is there after the restart. Unsaved typing would store nothing at all: the notes were emptied first.
        var twoSecondsBefore = shown.Last(s => s.At <= killedAt - TimeSpan.FromSeconds(3)).Text;
        Assert.True(typed.StartsWith(stored, StringComparison.Ordinal), $"Stored: \"{stored}\"");
        Assert.NotEmpty(twoSecondsBefore);
        Assert.True(stored.Length >= twoSecondsBefore.Length, $"Two seconds before the kill the page showed {twoSecondsBefore.Length} characters; stored: {stored.Length} (\"{stored}\")");
    }

    /// <summary>One entry of the page's record of the notes field: when (the page's clock, in ms) and what it showed.</summary>
    private sealed class ShownNotes
    {
        public double At { get; set; }

        public string Text { get; set; } = string.Empty;
    }

    /// <summary>The evidence notes of A2 in the demo plan's draft, as stored.</summary>
    private static async Task<string> StoredNotesAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = """
            SELECT r.EvidenceNotes FROM ElementResponses r JOIN Elements e ON e.Id = r.ElementId
            JOIN Assessments a ON a.Id = r.AssessmentId JOIN Organizations o ON o.Id = a.OrganizationId
            WHERE e.Code = 'A2' AND o.Name LIKE 'Golden Poppy%' AND a.Status = 'Draft'
            """;
        return (string)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static Task StoredBecomesAsync(string database, string notes) =>
        Poll.UntilAsync(
            () => StoredNotesAsync(database),
            stored => stored == notes,
            TimeSpan.FromSeconds(30),
            stored => $"The notes were not saved as \"{notes}\"; stored: \"{stored}\"",
            TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        TemplateDatabase.TryDelete(_folder);
        return ValueTask.CompletedTask;
    }
}
