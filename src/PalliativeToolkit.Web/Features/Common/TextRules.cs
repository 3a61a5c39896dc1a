using FluentValidation;
using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Web.Features.Common;

/// <summary>
/// What typed text may contain. Control characters (NUL, bell, escape…) and the invisible characters that change the
/// direction of text or hide in it (a right-to-left override makes "exe.pdf" read "fdp.exe") are refused everywhere:
/// they can disguise what a name, a link or a note says to the next reader, and break the lines of logs and exports.
/// One-line fields also refuse line breaks; notes and feedback keep them (and tabs).
/// </summary>
public static class TextRules
{
    public const string HiddenCharactersMessage =
        "Remove the control or invisible characters (such as a right-to-left override): they can disguise what the text says.";

    public const string CredentialsInLinkMessage =
        "Remove the user name or password from the link (the part before @): links are shown to everyone who reads the assessment.";

    /// <summary>A one-line text (a name, a title, a link) holds no control or invisible characters, nor a line or paragraph separator.</summary>
    public static bool IsPlainLine(string? text) => text is null || !text.Any(c => HiddenCharacters.BreaksLines(c) || IsInvisibleFormatting(c));

    /// <summary>A text of several lines: line breaks and tabs are fine, other control and invisible characters are not.</summary>
    public static bool IsPlainText(string? text) =>
        text is null || !text.Any(c => (char.IsControl(c) && c is not ('\r' or '\n' or '\t')) || IsInvisibleFormatting(c));

    /// <summary>Invisible formatting that disguises text (<see cref="HiddenCharacters.Disguises"/>).</summary>
    private static bool IsInvisibleFormatting(char c) => HiddenCharacters.Disguises(c);

    public static IRuleBuilderOptions<T, string?> PlainLine<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsPlainLine).WithMessage(HiddenCharactersMessage);

    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsPlainText).WithMessage(HiddenCharactersMessage);
}
