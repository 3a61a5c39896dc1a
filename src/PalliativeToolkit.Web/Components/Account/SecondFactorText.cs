using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Web.Components.Account;

/// <summary>How the pages name the people who must use a second factor.</summary>
internal static class SecondFactorText
{
    /// <summary>For example "Administrators and statewide reviewers".</summary>
    public static string WhoMust(IReadOnlyList<string> roles)
    {
        var names = roles.Select(role => role switch
        {
            GlobalRoles.Administrator => "administrators",
            GlobalRoles.StatewideReviewer => "statewide reviewers",
            _ => role,
        }).ToList();
        var text = names.Count <= 1 ? string.Concat(names) : string.Join(", ", names[..^1]) + " and " + names[^1];
        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }

    /// <summary>Why the second factor cannot be turned off.</summary>
    public static string CannotDisable(IReadOnlyList<string> roles) =>
        $"{WhoMust(roles)} must keep a second factor, so it cannot be turned off for your account. To move to a new phone, reset the authenticator app and set it up again; an administrator can also reset it for you.";
}
