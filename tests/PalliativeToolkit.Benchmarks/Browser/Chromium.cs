using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PalliativeToolkit.Benchmarks.Browser;

/// <summary>
/// A headless Chromium driven over the DevTools protocol, without Playwright (the solution keeps one Playwright
/// project). Each <see cref="OpenAsync"/> is a browser context of its own, like a separate user's browser.
/// </summary>
internal sealed partial class Chromium : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _profile;
    private readonly OutputTail _output = new();
    private CdpConnection? _cdp;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    private CdpConnection Cdp => _cdp ?? throw new InvalidOperationException("Chromium is not connected.");

    /// <summary><c>PLAYWRIGHT_CHROMIUM_EXECUTABLE</c> when set, else <c>/usr/bin/chromium</c> (the same rule as the end-to-end tests).</summary>
    public static string ExecutablePath()
    {
        var configured = Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE");
        var path = string.IsNullOrWhiteSpace(configured) ? "/usr/bin/chromium" : configured;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No Chromium found at '{path}'. Install it (apt-get install -y chromium) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to a Chromium binary.");
        }

        return path;
    }

    public static async Task<Chromium> LaunchAsync(CancellationToken cancellationToken)
    {
        var path = ExecutablePath();
        var profile = TempFolder.Create("ptk-bench-chromium-");
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in (string[])[
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--remote-debugging-port=0", $"--user-data-dir={profile}"])
        {
            start.ArgumentList.Add(argument);
        }

        var chromium = new Chromium(new Process { StartInfo = start }, profile);
        try
        {
            var endpoint = await chromium.StartAsync(cancellationToken);
            chromium._cdp = await CdpConnection.ConnectAsync(endpoint, cancellationToken);
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the process and reads the browser's websocket address from its "DevTools listening on" line.</summary>
    private async Task<Uri> StartAsync(CancellationToken cancellationToken)
    {
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                listening.TrySetException(new InvalidOperationException(
                    $"Chromium ({_process.StartInfo.FileName}) closed its output before printing 'DevTools listening on ws://…'.{_output.Describe()}"));
                return;
            }

            _output.Add(line.Data);
            var match = DevToolsListening().Match(line.Data);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                _output.Add(line.Data);
            }
        };
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        try
        {
            return await listening.Task.WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Chromium ({_process.StartInfo.FileName}) did not print 'DevTools listening on ws://…' within {StartTimeout.TotalSeconds:0} s.{_output.Describe()}");
        }
    }

    /// <summary>
    /// A new browser context (its own cookies and storage) holding <paramref name="cookies"/>, with one page that
    /// starts loading <paramref name="url"/>.
    /// </summary>
    public async Task<BrowserTab> OpenAsync(Uri url, IEnumerable<Cookie> cookies, CancellationToken cancellationToken)
    {
        var context = await Cdp.SendAsync("Target.createBrowserContext", new { }, null, cancellationToken);
        var contextId = context.GetProperty("browserContextId").GetString()!;
        await Cdp.SendAsync("Storage.setCookies", new
        {
            browserContextId = contextId,
            cookies = cookies.Select(c => new
            {
                name = c.Name,
                value = c.Value,
                url = url.GetLeftPart(UriPartial.Authority) + "/",
                path = string.IsNullOrEmpty(c.Path) ? "/" : c.Path,
                httpOnly = c.HttpOnly,
                secure = c.Secure,
            }).ToArray(),
        }, null, cancellationToken);
        var target = await Cdp.SendAsync("Target.createTarget", new { url = url.AbsoluteUri, browserContextId = contextId }, null, cancellationToken);
        var targetId = target.GetProperty("targetId").GetString()!;
        var session = await Cdp.SendAsync("Target.attachToTarget", new { targetId, flatten = true }, null, cancellationToken);
        return new BrowserTab(Cdp, contextId, session.GetProperty("sessionId").GetString()!, url);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cdp is not null)
        {
            try
            {
                await _cdp.SendAsync("Browser.close", null, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is CdpException or IOException or TimeoutException or JsonException)
            {
                // killed below
            }

            await _cdp.DisposeAsync();
        }

        await ProcessTree.StopAsync(_process, TimeSpan.FromSeconds(10));
        TempFolder.Delete(_profile);
    }

    [GeneratedRegex(@"DevTools listening on (?<url>ws://\S+)")]
    private static partial Regex DevToolsListening();
}
