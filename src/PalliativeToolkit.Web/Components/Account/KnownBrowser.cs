using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace PalliativeToolkit.Web.Components.Account;

/// <summary>
/// A browser that has signed in to an account before carries a "known browser" cookie for it (a device cookie, as
/// OWASP recommends against lockout attacks): the account's sign-in limits count it apart from everyone else. Someone
/// flooding the login form with a person's address can then slow down unknown browsers only, never the person's own.
/// The cookie names the account (data-protected, so it cannot be made up) and is sent only to the account pages.
/// </summary>
public static class KnownBrowser
{
    public const string CookieName = "ptk.known-browser";
    private const string Purpose = "PalliativeToolkit.KnownBrowser.v1";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>
    /// The form of an account name the limits compare: the address as typed, trimmed, then normalized by Identity's own
    /// <see cref="ILookupNormalizer"/> (as finding the account does), so the limits count the account Identity signs in.
    /// </summary>
    public static string Normalize(HttpContext context, string? account)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<ILookupNormalizer>().NormalizeEmail((account ?? string.Empty).Trim()) ?? string.Empty;
    }

    /// <summary>Marks this browser as known to <paramref name="account"/> (after a sign-in that succeeded).</summary>
    public static void Remember(HttpContext context, string? account)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(account))
        {
            return;
        }

        var protector = context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
        context.Response.Cookies.Append(CookieName, protector.Protect(Normalize(context, account)), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/Account",
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>Whether this browser has signed in to <paramref name="account"/> before.</summary>
    public static bool Knows(HttpContext context, string? account)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(account) || !context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return false;
        }

        try
        {
            var protector = context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
            return protector.Unprotect(value) == Normalize(context, account);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
