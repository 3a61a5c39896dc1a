using Serilog.Events;

namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>
/// How the request log judges a request the client gave up on: its connection closed (a tab closed, a page left, a
/// browser's disconnect beacon cut short) while the portal was still at work, and the work stopped with it. Nothing
/// failed on the portal's side and nobody waits for an answer: it is logged as 499 (client closed request) at
/// Information, not as a 500 with a stack trace at Error. Any other exception stays an error.
/// </summary>
public static class RequestLog
{
    public static bool ClientLeft(HttpContext http, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.RequestAborted.IsCancellationRequested && exception is null or OperationCanceledException or IOException;
    }

    /// <summary>The status to log: 499 when the client left, else the response's.</summary>
    public static int StatusOf(HttpContext http, int status)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.RequestAborted.IsCancellationRequested ? StatusCodes.Status499ClientClosedRequest : status;
    }

    /// <summary>Serilog's own rule (an exception or a 5xx is an error), except for a request the client left.</summary>
    public static LogEventLevel LevelOf(HttpContext http, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (ClientLeft(http, exception))
        {
            return LogEventLevel.Information;
        }

        return exception is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
    }
}
