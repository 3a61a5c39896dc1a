using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace PalliativeToolkit.Web.Components.Account;

/// <summary>Codes in emailed links are Base64Url. A mangled or truncated one is a bad link, never an error page.</summary>
internal static class AccountCodes
{
    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
