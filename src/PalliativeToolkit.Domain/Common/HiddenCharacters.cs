using System.Globalization;

namespace PalliativeToolkit.Domain.Common;

/// <summary>
/// The characters that can hide in text or disguise it for the next reader. One definition for the rules on typed text
/// (<c>TextRules</c>), the log (<c>LineSafeLogValues</c>) and the audit trail (<c>AuditText</c>).
/// </summary>
public static class HiddenCharacters
{
    /// <summary>Control characters (line breaks among them) and the Unicode line and paragraph separators: they start new lines.</summary>
    public static bool BreaksLines(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>
    /// Invisible formatting (Unicode category Cf): direction embeddings, overrides, isolates and marks, zero-width
    /// characters and joiners, the byte-order mark.
    /// </summary>
    public static bool IsFormatting(char c) => char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    /// <summary>
    /// Invisible formatting (<see cref="IsFormatting"/>) except what real text needs: the joiners of scripts and emoji
    /// (U+200C, U+200D), the plain direction marks (U+200E, U+200F, U+061C) and the soft hyphen. So embeddings,
    /// overrides and isolates, the zero-width space and word joiner, and the byte-order mark disguise text.
    /// </summary>
    public static bool Disguises(char c) => IsFormatting(c) && c is not ('\u200C' or '\u200D' or '\u200E' or '\u200F' or '\u061C' or '\u00AD');

    /// <summary>One line of text from elsewhere (a file's cell) without what would break its line or disguise it.</summary>
    public static string StripFromLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Any(c => BreaksLines(c) || Disguises(c)) ? string.Concat(text.Where(c => !BreaksLines(c) && !Disguises(c))) : text;
    }

    /// <summary>What text written for a reader of the log or the audit trail shows escaped or replaced, never as it is.</summary>
    public static bool IsUnsafeInOutput(char c) => BreaksLines(c) || IsFormatting(c);
}
