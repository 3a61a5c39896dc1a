using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Email;

namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>The portal's address for the links a response carries (calendar files, feeds).</summary>
public static class PortalAddress
{
    /// <summary>
    /// <see cref="EmailOptions.PortalUrl"/> when it is set (it must be, outside Development), never the request's Host
    /// header, which the client chooses: a forged header can't put another site into a calendar. Only in Development,
    /// without it, the address the request came in on.
    /// </summary>
    public static Uri Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Of(http.RequestServices.GetRequiredService<IOptions<EmailOptions>>().Value, new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/"));
    }

    /// <summary>
    /// The same for a page (no request at hand while it is interactive): <see cref="EmailOptions.PortalUrl"/> when it is
    /// set, never the address the page's connection came in on (behind a proxy, an internal host); only without it
    /// (Development), <paramref name="cameIn"/> (the page's <c>NavigationManager.BaseUri</c>).
    /// </summary>
    public static Uri Of(EmailOptions options, Uri cameIn)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !string.IsNullOrWhiteSpace(options.PortalUrl) ? new Uri(options.PortalUrl.TrimEnd('/') + "/") : cameIn;
    }
}
