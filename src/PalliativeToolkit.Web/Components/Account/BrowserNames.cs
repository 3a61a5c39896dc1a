namespace PalliativeToolkit.Web.Components.Account;

/// <summary>A person-readable name for a browser ("Chrome on Windows") from its user agent, for the list of sessions.</summary>
public static class BrowserNames
{
    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "Unknown browser";
        }

        var browser = Has(userAgent, "Edg/") ? "Edge"
            : Has(userAgent, "Firefox/") || Has(userAgent, "FxiOS/") ? "Firefox"
            : Has(userAgent, "OPR/") ? "Opera"
            : Has(userAgent, "Chrome/") || Has(userAgent, "CriOS/") ? "Chrome"
            : Has(userAgent, "Safari/") ? "Safari"
            : null;
        var system = Has(userAgent, "iPhone") || Has(userAgent, "iPad") ? "iOS"
            : Has(userAgent, "Android") ? "Android"
            : Has(userAgent, "Windows") ? "Windows"
            : Has(userAgent, "Mac OS X") || Has(userAgent, "Macintosh") ? "macOS"
            : Has(userAgent, "CrOS") ? "ChromeOS"
            : Has(userAgent, "Linux") ? "Linux"
            : null;
        return (browser, system) switch
        {
            (null, null) => "Other browser",
            (null, _) => $"A browser on {system}",
            (_, null) => browser,
            _ => $"{browser} on {system}",
        };
    }

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.Ordinal);
}
