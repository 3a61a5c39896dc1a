using System.Text;
using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Infrastructure.Auditing;

/// <summary>Text someone typed, made safe to keep in the trail: no control or invisible formatting characters, and bounded.</summary>
public static class AuditText
{
    public const int MaxLength = 256;

    /// <summary>
    /// Replaces control characters (line breaks included) and invisible formatting characters (direction overrides,
    /// zero-width characters) with U+FFFD and cuts the text at <see cref="MaxLength"/> characters, marking the cut with "…".
    /// </summary>
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var clean = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        foreach (var c in text)
        {
            if (clean.Length == MaxLength)
            {
                clean.Append('…');
                break;
            }

            clean.Append(HiddenCharacters.IsUnsafeInOutput(c) ? '\uFFFD' : c);
        }

        return clean.ToString();
    }
}
