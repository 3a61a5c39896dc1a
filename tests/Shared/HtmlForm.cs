using System.Net;
using System.Text.RegularExpressions;

namespace PalliativeToolkit.Testing;

/// <summary>Reads a server-rendered form as a browser posts it back: its hidden fields, the antiforgery token among them.</summary>
public static partial class HtmlForm
{
    /// <summary>Every hidden input of <paramref name="html"/>, by name, HTML-decoded (the last one wins when a name repeats).</summary>
    public static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match input in HiddenInput().Matches(html))
        {
            fields[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        return fields;
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
