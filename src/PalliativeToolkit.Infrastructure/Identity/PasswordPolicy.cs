using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>
/// Passwords as OWASP ASVS 5.0 asks (V6.2): at least 12 characters, up to 128, any characters and no composition rules,
/// refused when common or easy to guess. The guessing estimate is zxcvbn's, fed with the account's own name and email.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;

    /// <summary>zxcvbn's score (0–4) a password needs: 3 is "safely unguessable" for an online attack with throttling.</summary>
    public const int MinimumScore = 3;

    /// <summary>What a password field tells people before they type.</summary>
    public const string Hint = "At least 12 characters. A phrase of several words is easiest to remember; no symbols or digits are required.";

    /// <summary>
    /// Errors about the new password (this policy's and Identity's rules), shown next to its field. A wrong current
    /// password (<c>PasswordMismatch</c>) belongs to the other field, with the page's message.
    /// </summary>
    public static bool IsPasswordError(IdentityError error) =>
        error?.Code is { } code && code.StartsWith("Password", StringComparison.Ordinal) && code != nameof(IdentityErrorDescriber.PasswordMismatch);

    /// <summary>Length only; the rest is <see cref="GuessablePasswordValidator"/>.</summary>
    public static void Apply(PasswordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.RequiredLength = MinimumLength;
        options.RequireDigit = false;
        options.RequireLowercase = false;
        options.RequireUppercase = false;
        options.RequireNonAlphanumeric = false;
        options.RequiredUniqueChars = 1;
    }

    /// <summary>Registers the options and the validator on Identity.</summary>
    public static IdentityBuilder AddToolkitPasswordPolicy(this IdentityBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<IdentityOptions>(options => Apply(options.Password));
        return builder.AddPasswordValidator<GuessablePasswordValidator>();
    }
}

/// <summary>Refuses passwords that are too long, common, or easy to guess, and says why.</summary>
public sealed class GuessablePasswordValidator : IPasswordValidator<ApplicationUser>
{
    /// <summary>Words anyone would try first against this portal.</summary>
    private static readonly string[] PortalWords = ["palliative", "toolkit", "palliativetoolkit", "medical", "medi-cal", "california", "hospice"];

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        if (password.Length > PasswordPolicy.MaximumLength)
        {
            return Task.FromResult(Failed("PasswordTooLong", $"Use at most {PasswordPolicy.MaximumLength} characters."));
        }

        // Shorter passwords are refused by Identity's length rule, with its own message.
        if (password.Length < PasswordPolicy.MinimumLength)
        {
            return Task.FromResult(IdentityResult.Success);
        }

        var result = Zxcvbn.Zxcvbn.MatchPassword(password, UserWords(user));
        return Task.FromResult(result.Score >= PasswordPolicy.MinimumScore
            ? IdentityResult.Success
            : Failed("PasswordGuessable", $"This password is easy to guess: {Reason(result)}. Try a longer phrase of unrelated words."));
    }

    private static IdentityResult Failed(string code, string description) =>
        IdentityResult.Failed(new IdentityError { Code = code, Description = description });

    /// <summary>The account's own words: its name, its email address and the address's parts.</summary>
    private static List<string> UserWords(ApplicationUser user)
    {
        var words = new List<string>(PortalWords);
        foreach (var text in new[] { user.DisplayName, user.Email, user.UserName })
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            words.Add(text);
            words.AddRange(text.Split([' ', '@', '.', '-', '_'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 3));
        }

        return words;
    }

    /// <summary>The largest weakness zxcvbn found, in words.</summary>
    private static string Reason(Zxcvbn.Result result)
    {
        var matches = result.MatchSequence.OrderByDescending(m => m.Token.Length).ToList();
        foreach (var match in matches)
        {
            switch (match)
            {
                case Zxcvbn.Matcher.DictionaryMatch { DictionaryName: "user_inputs" } when match.Token.Length >= 3:
                    return $"it contains \"{match.Token}\", which is part of your name, your email address or this portal's name";
                case Zxcvbn.Matcher.DictionaryMatch { DictionaryName: "passwords" } when match.Token.Length >= 4:
                    return $"\"{match.Token}\" is one of the most common passwords";
                case Zxcvbn.Matcher.DictionaryMatch when match.Token.Length >= 4:
                    return $"\"{match.Token}\" is a common word or name";
                case Zxcvbn.Matcher.RepeatMatch:
                    return $"\"{match.Token}\" repeats the same characters";
                case Zxcvbn.Matcher.SequenceMatch:
                    return $"\"{match.Token}\" is a sequence like abcd or 1234";
                case Zxcvbn.Matcher.SpatialMatch:
                    return $"\"{match.Token}\" is a row of neighbouring keys";
                case Zxcvbn.Matcher.DateMatch:
                    return $"\"{match.Token}\" is a date";
                default:
                    continue;
            }
        }

        return "it is too predictable";
    }
}
