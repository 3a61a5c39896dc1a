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

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
