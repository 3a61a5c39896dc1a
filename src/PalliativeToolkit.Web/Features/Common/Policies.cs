using Microsoft.AspNetCore.Authorization;
using PalliativeToolkit.Infrastructure.Access;

namespace PalliativeToolkit.Web.Features.Common;

/// <summary>
/// Named authorization policies for pages (<c>[Authorize(Policy = ...)]</c>, <c>&lt;AuthorizeView Policy=...&gt;</c>),
/// one per <see cref="Permission"/>, built from the same table (<see cref="Permissions"/>) that services check.
/// </summary>
public static class Policies
{
    public const string ViewStatewide = nameof(Permission.ViewStatewide);
    public const string ReviewSubmissions = nameof(Permission.ReviewSubmissions);
    public const string Administer = nameof(Permission.Administer);

    public static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var permission in Enum.GetValues<Permission>())
        {
            builder.AddPolicy(permission.ToString(), policy => policy.RequireAuthenticatedUser().RequireRole(Permissions.GlobalRolesFor(permission)));
        }

        return builder;
    }
}
