using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Testing;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Holds the next read of API tokens, once armed, until the request is given up: the client leaves while the portal is
/// still at work on its request. Armed with an exception, the read then fails with it instead (a real failure that
/// happens to come after the client left).
/// </summary>
public sealed class HeldTokenRead : DbCommandInterceptor
{
    private Held? _armed;

    /// <summary>Holds the next token read; the task completes once a read is held.</summary>
    public Task Arm(Exception? thenFail = null)
    {
        var held = new Held(thenFail);
        Volatile.Write(ref _armed, held);
        return held.Entered.Task;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.CommandText.Contains("\"ApiTokens\"", StringComparison.Ordinal) && Interlocked.Exchange(ref _armed, null) is { } held)
        {
            held.Entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException) when (held.ThenFail is { } failure)
            {
                throw failure;
            }
        }

        return result;
    }

    private sealed record Held(Exception? ThenFail)
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The portal with its request log on, collecting every event it writes.</summary>
public sealed class LoggingPortalFactory : InterceptedPortalFactory<HeldTokenRead>
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();

    protected override bool WithDemo => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(new Collector(Events)));
    }

    private sealed class Collector(ConcurrentQueue<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
    }
}

/// <summary>A value someone sends can never start a new line in the log.</summary>
public class LogLineTests(LoggingPortalFactory factory) : IClassFixture<LoggingPortalFactory>
{
    /// <summary>The console's own layout (Serilog's default output template, without the exception).</summary>
    private static readonly MessageTemplateTextFormatter Console = new("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}", System.Globalization.CultureInfo.InvariantCulture);

    private static string Render(LogEvent logEvent)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Console.Format(logEvent, text);
        return text.ToString();
    }

    [Fact]
    public async Task A_request_path_with_line_breaks_and_a_direction_override_is_logged_on_one_line()
    {
        const string forged = "/nowhere%0D%0A[09:00:00 INF] Administrator signed in%E2%80%AE";
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        // Another portal built later in the same process (as test classes running in parallel do) must not take over
        // this one's request log.
        await using var other = new EmptyPortalFactory();
        await other.InitializeAsync();
        other.CreateClient().Dispose();

        using var response = await client.GetAsync(forged, TestContext.Current.CancellationToken);

        // The request's own line is written as the request finishes, which can be just after the answer reaches the client.
        var lines = await Poll.UntilAsync(
            () => Task.FromResult(factory.Events.ToList().Select(Render).Where(l => l.Contains("nowhere", StringComparison.Ordinal)).ToList()),
            found => found.Any(l => l.Contains("HTTP GET", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            found => $"No request line for the forged path; lines seen: {string.Join(" | ", found)}",
            TestContext.Current.CancellationToken);

        Assert.Contains(lines, l => l.Contains("HTTP GET", StringComparison.Ordinal));
        Assert.All(lines, line =>
        {
            Assert.Equal(line.Length - Environment.NewLine.Length, line.IndexOfAny(['\r', '\n']));
            Assert.Contains("nowhere\\r\\n[09:00:00 INF] Administrator signed in\\u202E", line, StringComparison.Ordinal);
        });
    }

    /// <summary>Sends an API request (each test its own path) and leaves while its token is being checked; the request's own log line.</summary>
    private async Task<LogEvent> LeaveWhileCheckingAsync(string path, Exception? thenFail = null)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", "ptk_" + new string('a', 43)); // well formed: it is looked up
        var held = factory.Hook.Arm(thenFail);
        var sending = client.SendAsync(request, leave.Token);
        await held.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

        return (await Poll.UntilAsync(
            () => Task.FromResult(factory.Events.Where(e => e.MessageTemplate.Text.StartsWith("HTTP ", StringComparison.Ordinal)
                && e.Properties.TryGetValue("RequestPath", out var logged) && logged.ToString() == $"\"{path}\"").ToList()),
            found => found.Count > 0,
            TimeSpan.FromSeconds(30),
            _ => $"No request line for {path}.",
            TestContext.Current.CancellationToken)).Single();
    }

    [Fact]
    public async Task A_request_the_client_gave_up_on_is_logged_as_closed_by_the_client_not_as_a_server_error()
    {
        var line = await LeaveWhileCheckingAsync("/api/v1/cycles");

        Assert.Equal("499", line.Properties["StatusCode"].ToString());
        Assert.Equal(LogEventLevel.Warning, line.Level);
    }

    [Fact]
    public async Task A_cancellation_that_lost_its_token_after_the_client_left_is_logged_as_closed_by_the_client()
    {
        // As EF Core's split-query reader ended a disconnect beacon's session check in a test run: "A task was canceled."
        // with no token on it, once the request was aborted.
        var line = await LeaveWhileCheckingAsync("/api/v1/partnerships", new TaskCanceledException());

        Assert.Equal("499", line.Properties["StatusCode"].ToString());
        Assert.Equal(LogEventLevel.Warning, line.Level);
    }

    [Fact]
    public async Task A_timeout_after_the_client_left_is_still_logged_as_an_error()
    {
        // As an HttpClient ends a call that took too long: a cancellation caused by a timeout, not by the client leaving.
        var line = await LeaveWhileCheckingAsync("/api/v1/action-items", new OperationCanceledException("Gave up.", new TaskCanceledException("The call timed out.", new TimeoutException())));

        Assert.Equal(LogEventLevel.Error, line.Level);
        Assert.Equal("500", line.Properties["StatusCode"].ToString());
    }

    [Fact]
    public async Task A_server_failure_after_the_client_left_is_still_logged_as_an_error()
    {
        var line = await LeaveWhileCheckingAsync("/api/v1/organizations", new InvalidOperationException("The token store broke."));

        Assert.Equal(LogEventLevel.Error, line.Level);
        Assert.Equal("500", line.Properties["StatusCode"].ToString());
        Assert.IsType<InvalidOperationException>(line.Exception);
    }
}
