using System.Buffers;
using System.Globalization;
using System.Text;

namespace PalliativeToolkit.Infrastructure.Files;

/// <summary>Turns the name a person gave a file into one that is safe to offer for download and to show.</summary>
public static class SafeFileName
{
    /// <summary>The longest name <see cref="For"/> returns, extension included.</summary>
    public const int MaxLength = 100;

    private const string Fallback = "document";

    /// <summary>Not allowed in a file name on Windows, plus quotes and semicolons (which end a header parameter).</summary>
    private const string Forbidden = "<>:\"/\\|?*;'`";

    private static readonly SearchValues<char> AsciiLetters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static readonly SearchValues<char> AsciiLettersAndDigits =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>
    /// A download name for a file of <paramref name="kind"/> that was uploaded as <paramref name="userSuppliedName"/>:
    /// only the last part of a path; no control, formatting (such as right-to-left override) or forbidden characters;
    /// white space collapsed; no leading or trailing dots; at most <see cref="MaxLength"/> characters; "document" if
    /// nothing is left; always ending in the kind's extension, which replaces any other ("report.exe" → "report.pdf").
    /// </summary>
    public static string For(string? userSuppliedName, FileKind kind)
    {
        var extension = kind.Extension();
        var stem = Stem(userSuppliedName ?? string.Empty, kind);
        if (stem.Length > MaxLength - extension.Length)
        {
            stem = Cut(stem, MaxLength - extension.Length).TrimEnd(' ', '.');
        }

        if (stem.Length == 0 || DeviceNames.Contains(stem))
        {
            stem = Fallback;
        }

        return stem + extension;
    }

    private static string Stem(string name, FileKind kind)
    {
        var lastSeparator = name.AsSpan().LastIndexOfAny('/', '\\');
        var clean = new StringBuilder(name.Length - lastSeparator - 1);
        var pendingSpace = false;
        for (var i = lastSeparator + 1; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = clean.Length > 0;
                continue;
            }

            if (IsDropped(name, i))
            {
                continue;
            }

            if (pendingSpace)
            {
                clean.Append(' ');
                pendingSpace = false;
            }

            clean.Append(c);
        }

        var stem = clean.ToString().Trim(' ', '.');
        stem = WithoutExtension(stem);
        if (stem.EndsWith(kind.Extension(), StringComparison.OrdinalIgnoreCase) || (kind == FileKind.Jpeg && stem.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)))
        {
            stem = WithoutExtension(stem);
        }

        return stem.TrimEnd(' ', '.');
    }

    /// <summary>Control and formatting characters, forbidden characters, and halves of broken surrogate pairs.</summary>
    private static bool IsDropped(string name, int i)
    {
        var c = name[i];
        if (Forbidden.Contains(c, StringComparison.Ordinal) || char.IsControl(c))
        {
            return true;
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= name.Length || !char.IsLowSurrogate(name[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(name[i - 1]);
        }

        return char.GetUnicodeCategory(c) == UnicodeCategory.Format;
    }

    /// <summary>
    /// Takes off a last part that looks like an extension: a dot and 1 to 8 ASCII letters and digits, at least one a
    /// letter ("report.exe" → "report", but "Minutes 2024.03.01" and "Plan v1.2 final" stay whole).
    /// </summary>
    private static string WithoutExtension(string stem)
    {
        var dot = stem.LastIndexOf('.');
        if (dot <= 0)
        {
            return stem;
        }

        var extension = stem.AsSpan(dot + 1);
        return extension.Length is >= 1 and <= 8 && !extension.ContainsAnyExcept(AsciiLettersAndDigits) && extension.ContainsAny(AsciiLetters)
            ? stem[..dot]
            : stem;
    }

    /// <summary>The first <paramref name="length"/> characters, one fewer if the last would split a surrogate pair.</summary>
    private static string Cut(string text, int length) =>
        char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
}
