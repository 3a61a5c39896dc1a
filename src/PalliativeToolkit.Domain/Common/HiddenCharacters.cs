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

    /// <summary>What text written for a reader of the log or the audit trail shows escaped or replaced, never as it is.</summary>
    public static bool IsUnsafeInOutput(char c) => BreaksLines(c) || IsFormatting(c);
}
