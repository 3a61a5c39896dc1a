using Microsoft.AspNetCore.Identity;

namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>A person who signs in to the portal.</summary>
public class ApplicationUser : IdentityUser
{
    [PersonalData]
    public string DisplayName { get; set; } = string.Empty;
}

/// <summary>Global roles, assigned by an administrator.</summary>
public static class GlobalRoles
{
    public const string Administrator = nameof(Administrator);
    public const string StatewideReviewer = nameof(StatewideReviewer);

    public static readonly IReadOnlyList<string> All = [Administrator, StatewideReviewer];
}
