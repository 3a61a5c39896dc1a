using System.Diagnostics;
using System.Text.Json;

namespace PalliativeToolkit.Benchmarks.Browser;

/// <summary>One page in a browser context of its own; it stays open (its Blazor circuit alive) until the browser closes.</summary>
internal sealed class BrowserTab(CdpConnection cdp, string browserContextId, string sessionId, Uri url)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public Uri Url => url;

    /// <summary>Evaluates a JavaScript expression in the page and returns its value (as JSON).</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var answer = await cdp.SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true }, sessionId, cancellationToken);
        if (answer.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new CdpException($"'{expression}' threw in {url}: {exception.GetRawText()}");
        }

        return answer.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Polls <paramref name="condition"/> (a JavaScript expression) until it is <c>true</c>; the timeout names <paramref name="what"/>.</summary>
    public async Task WaitUntilAsync(string condition, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < timeout)
        {
            try
            {
                var value = await EvaluateAsync(condition, cancellationToken);
                if (value.ValueKind == JsonValueKind.True)
                {
                    return;
                }

                last = $"the condition was {value.ValueKind}";
            }
            catch (CdpException e)
            {
                last = e.Message; // for example no execution context yet while the page navigates
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        var title = await TryEvaluateAsync("document.title + ' — ' + location.href", cancellationToken);
        throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s ({url}; page: {title}; last check: {last}).");
    }

    private async Task<string> TryEvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        try
        {
            return (await EvaluateAsync(expression, cancellationToken)).ToString();
        }
        catch (Exception e) when (e is CdpException or IOException or TimeoutException)
        {
            return $"unknown ({e.Message})";
        }
    }

    /// <summary>
    /// Navigates away to about:blank: the page's pagehide handler sends Blazor's disconnect beacon, so the server
    /// closes the circuit at once (closing the context alone only drops the connection, and the server then keeps the
    /// circuit for minutes in case the user comes back).
    /// </summary>
    public Task LeaveAsync(CancellationToken cancellationToken) =>
        cdp.SendAsync("Page.navigate", new { url = "about:blank" }, sessionId, cancellationToken);

    /// <summary>Closes the page and its browser context.</summary>
    public Task CloseAsync(CancellationToken cancellationToken) =>
        cdp.SendAsync("Target.disposeBrowserContext", new { browserContextId }, null, cancellationToken);
}
