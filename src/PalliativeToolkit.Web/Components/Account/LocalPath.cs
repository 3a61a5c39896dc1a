namespace PalliativeToolkit.Web.Components.Account;

/// <summary>
/// Where a "return to" address may send someone: a path of this portal, never another site. Anything else — another
/// host, a scheme, <c>//host</c> or <c>/\host</c> (which browsers read as another host), control characters (which would
/// also break log lines) — becomes the home page instead of an error.
/// </summary>
internal static class LocalPath
{
    public const string Home = "/";

    /// <summary>A path that starts with one <c>/</c> and stays on the portal; <see cref="Home"/> otherwise.</summary>
    public static string From(string? returnUrl)
    {
        if (string.IsNullOrWhiteSpace(returnUrl) || returnUrl.Any(char.IsControl))
        {
            return Home;
        }

        // An address with a scheme (https:, javascript:…) is never a path of the portal.
        if (!returnUrl.StartsWith('/') && Uri.TryCreate(returnUrl, UriKind.Absolute, out _))
        {
            return Home;
        }

        var path = returnUrl.StartsWith('/') ? returnUrl : "/" + returnUrl;
        return path.Length > 1 && (path[1] == '/' || path[1] == '\\') || path.Contains('\\', StringComparison.Ordinal)
            || !Uri.IsWellFormedUriString(path, UriKind.Relative)
            ? Home
            : path;
    }
}
