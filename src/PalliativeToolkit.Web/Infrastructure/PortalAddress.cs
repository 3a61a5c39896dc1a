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
        var configured = http.RequestServices.GetRequiredService<IOptions<EmailOptions>>().Value.PortalUrl;
        return !string.IsNullOrWhiteSpace(configured)
            ? new Uri(configured.TrimEnd('/') + "/")
            : new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
    }
}
