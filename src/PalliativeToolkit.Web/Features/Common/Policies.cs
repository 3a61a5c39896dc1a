using Microsoft.AspNetCore.Authorization;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Web.Components.Account;

namespace PalliativeToolkit.Web.Features.Common;

/// <summary>
/// Named authorization policies for pages (<c>[Authorize(Policy = ...)]</c>, <c>&lt;AuthorizeView Policy=...&gt;</c>),
/// one per <see cref="Permission"/>, built from the same table (<see cref="Permissions"/>) that services check. Every
/// policy, the default one (<c>[Authorize]</c>) included, also requires the second factor the user's role needs
/// (<see cref="SecondFactorRequirement"/>).
/// </summary>
public static class Policies
{
    public const string ViewStatewide = nameof(Permission.ViewStatewide);
    public const string ReviewSubmissions = nameof(Permission.ReviewSubmissions);
    public const string Administer = nameof(Permission.Administer);
    public const string RunCommunity = nameof(Permission.RunCommunity);
    public const string RunSurveys = nameof(Permission.RunSurveys);

    public static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IAuthorizationHandler, SecondFactorHandler>();
        builder.SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new SecondFactorRequirement(AppliesToViews: false)).Build());
        foreach (var permission in Enum.GetValues<Permission>())
        {
            builder.AddPolicy(permission.ToString(), policy => policy
                .RequireAuthenticatedUser()
                .RequireRole(Permissions.GlobalRolesFor(permission))
                .AddRequirements(new SecondFactorRequirement(AppliesToViews: true)));
        }

        return builder;
    }
}
