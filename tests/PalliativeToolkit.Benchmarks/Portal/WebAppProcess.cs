using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace PalliativeToolkit.Benchmarks.Portal;

/// <summary>
/// The built web app started as a process of its own (<c>dotnet PalliativeToolkit.Web.dll</c>), in Development,
/// on a free loopback port and a new SQLite file, as an operator would start it.
/// </summary>
internal sealed class WebAppProcess : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _process;
    private readonly string _folder;
    private readonly OutputTail _output = new();
    private readonly Stopwatch _sinceStart = new();

    private WebAppProcess(Process process, string folder, Uri baseUrl)
    {
        _process = process;
        _folder = folder;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>
    /// The web app's dll of the same build: it is a project reference of the benchmarks, so the build copies it
    /// (with its deps.json, runtimeconfig.json and appsettings) into this program's own output folder.
    /// </summary>
    public static string FindWebAppDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PalliativeToolkit.Web.dll");
        var runtimeConfig = Path.ChangeExtension(dll, ".runtimeconfig.json");
        if (!File.Exists(dll) || !File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException(
                $"PalliativeToolkit.Web.dll and its runtimeconfig.json are not in {AppContext.BaseDirectory}. Build the benchmarks project (it references the web project).", dll);
        }

        return dll;
    }

    /// <summary>Starts the app on a new, empty database; the clock starts just before the process does.</summary>
    public static WebAppProcess Start(string webAppDll)
    {
        var folder = TempFolder.Create("ptk-bench-coldstart-");
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(webAppDll)!,
        };
        start.ArgumentList.Add(webAppDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl.GetLeftPart(UriPartial.Authority));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in DemoPortal.Settings(folder))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var app = new WebAppProcess(new Process { StartInfo = start }, folder, baseUrl);
        app._process.OutputDataReceived += (_, line) => app.Keep(line.Data);
        app._process.ErrorDataReceived += (_, line) => app.Keep(line.Data);
        app._sinceStart.Start();
        try
        {
            app._process.Start();
            app._process.BeginOutputReadLine();
            app._process.BeginErrorReadLine();
            return app;
        }
        catch
        {
            app._process.Dispose();
            TempFolder.Delete(folder);
            throw;
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Add(line);
        }
    }

    /// <summary>Polls GET /health until it answers 200 with status Healthy; returns the time since the process started.</summary>
    public async Task<TimeSpan> WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var last = "no answer yet";
        while (_sinceStart.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The web app exited with code {_process.ExitCode} before GET /health answered Healthy.{_output.Describe()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK && IsHealthy(body))
                {
                    return _sinceStart.Elapsed;
                }

                last = $"{(int)response.StatusCode} {body}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message; // not listening yet: it migrates and seeds before Kestrel starts
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "GET /health timed out";
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        throw new TimeoutException(
            $"GET {BaseUrl}health did not answer 200 Healthy within {timeout.TotalSeconds:0} s (last: {last}).{_output.Describe()}");
    }

    private static bool IsHealthy(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("status", out var status) && status.GetString() == "Healthy";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The dotnet host of the runtime running the benchmarks (…/dotnet/shared/Microsoft.NETCore.App/x.y.z → …/dotnet/dotnet), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = runtime is null ? null : Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var host = root is null ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return host is not null && File.Exists(host) ? host : "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the app (nothing to shut down gracefully once it is healthy) and deletes its database.</summary>
    public async ValueTask DisposeAsync()
    {
        await ProcessTree.KillAsync(_process);
        TempFolder.Delete(_folder);
    }
}
