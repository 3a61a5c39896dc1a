namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>
/// The Blazor circuit's hub (<c>/_blazor</c>: negotiate, WebSocket, long polling) answers only pages of the portal's own
/// origin. Browsers send <c>Origin</c> with every WebSocket and cross-site request and let no page forge it, so a
/// foreign page cannot open a circuit with the visitor's sign-in cookie (cross-site WebSocket hijacking).
/// </summary>
public static class BlazorHubOrigin
{
    private static readonly PathString Hub = "/_blazor";

    public static IApplicationBuilder UseBlazorHubOriginCheck(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Hub) && !IsSameOrigin(context.Request))
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BlazorHubOrigin)).LogWarning(
                    "Refused a Blazor circuit from origin {Origin}: this request arrived as {Scheme}://{Host} (behind a proxy, check ForwardedHeaders:KnownProxies and that the Host header is passed through)",
                    Sanitized(context.Request.Headers.Origin.ToString()), context.Request.Scheme, Sanitized(context.Request.Host.Value ?? string.Empty));
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            await next(context);
        });

    /// <summary>No Origin (a non-browser client, which carries no one's cookies by accident) or the request's own.</summary>
    internal static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        // Scheme, host and port, with the scheme's default port where one is left out (Host: portal:443 is https://portal).
        var port = request.Host.Port ?? (string.Equals(request.Scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80);
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == port;
    }

    /// <summary>A header value as one log line: no control characters, at most 200 characters.</summary>
    private static string Sanitized(string value) => new([.. value.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
}
