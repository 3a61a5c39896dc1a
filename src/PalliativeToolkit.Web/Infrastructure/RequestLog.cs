using Microsoft.AspNetCore.Connections;
using Serilog.Events;

namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>
/// How the request log judges a request the client gave up on: its connection closed (a tab closed, a page left, a
/// browser's disconnect beacon cut short) while the portal was still at work, and the work stopped because of it
/// (cancelled once <see cref="HttpContext.RequestAborted"/> was, or the connection reset). Nobody waits
/// for an answer, and it is no server error: it is logged as 499 (client closed request) at Warning, not as a 500 with a
/// stack trace at Error; many of them still stand out (a stalled portal that clients give up on). A cancellation counts
/// whatever token it carries once the request is aborted: a library may rethrow it without one (EF Core's split-query
/// reader ended a disconnect beacon's session check with a bare "A task was canceled."), unless a timeout caused it.
/// Anything else the request ended with (any other exception, a 5xx the portal answered itself) keeps Serilog's own rule.
/// </summary>
public static class RequestLog
{
    private const string ClientLeftItem = "PalliativeToolkit.RequestLog.ClientLeft";

    public static bool ClientLeft(HttpContext http, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(http);
        // A timeout (an HttpClient's, say: a cancellation caused by a TimeoutException) stays an error even then.
        return http.RequestAborted.IsCancellationRequested
            && (exception is OperationCanceledException cancelled ? !CausedByTimeout(cancelled) : exception is ConnectionResetException or BadHttpRequestException);
    }

    private static bool CausedByTimeout(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Serilog's own rule (an exception or a 5xx is an error), except for a request the client left.</summary>
    public static LogEventLevel LevelOf(HttpContext http, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (ClientLeft(http, exception))
        {
            // Serilog decides the level before it writes the line's properties: the status follows this decision.
            http.Items[ClientLeftItem] = true;
            return LogEventLevel.Warning;
        }

        return exception is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
    }

    /// <summary>The status to log: 499 for a request the client left (<see cref="LevelOf"/>), else the response's.</summary>
    public static int StatusOf(HttpContext http, int status)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items.ContainsKey(ClientLeftItem) ? StatusCodes.Status499ClientClosedRequest : status;
    }
}
