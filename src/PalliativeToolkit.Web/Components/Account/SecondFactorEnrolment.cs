using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.StaticAssets;
using PalliativeToolkit.Infrastructure.Identity;
using RouteData = Microsoft.AspNetCore.Components.RouteData;

namespace PalliativeToolkit.Web.Components.Account;

/// <summary>
/// Sends a signed-in person whose role requires a second factor, and who has none, to set one up
/// (<see cref="SecondFactorRule"/>). Three places apply it, because an interactive page does not go through HTTP:
/// this middleware for every request; <see cref="SecondFactorRequirement"/> in the default and permission policies for
/// the interactive router and <c>AuthorizeView</c>; and the router's navigation check in <c>Routes.razor</c>. The
/// feature services refuse the role's powers on their own (the operation's viewer lacks the role).
/// </summary>
public static class SecondFactorEnrolment
{
    /// <summary>The enrolment page.</summary>
    public const string EnrolPath = "/Account/Manage/EnableAuthenticator";

    /// <summary>What a person who must enrol may still reach: enrolment, signing in and out, error pages, health.</summary>
    private static readonly string[] OpenPaths =
    [
        EnrolPath,
        "/Account/Login",
        "/Account/LoginWith2fa",
        "/Account/LoginWithRecoveryCode",
        "/Account/Logout",
        "/Account/Lockout",
        "/Account/AccessDenied",
        "/Account/InvalidUser",
        "/Error",
        "/not-found",
        "/health",
    ];

    public static IApplicationBuilder UseSecondFactorEnrolment(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsOpen(context) || !await MustEnrolAsync(context))
        {
            await next(context);
            return;
        }

        // The circuit's connection cannot follow a redirect: it is refused, and the page that asked reloads.
        if (context.Request.Path.StartsWithSegments("/_blazor"))
        {
            // A bare 403: the error page re-executed for a POST would answer 400 for want of an antiforgery token.
            if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }

            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var target = EnrolPath;
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            target += QueryString.Create("returnUrl", context.Request.PathBase + context.Request.Path + context.Request.QueryString);
        }

        context.Response.Redirect(context.Request.PathBase + target);
    });

    private static bool IsOpen(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        var path = context.Request.Path;
        if (OpenPaths.Any(open => path.Equals(open, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        // The API reads no cookie: its token's account is held to the same rule by the API's own policy, and an API
        // client is answered 401, never sent to a page.
        if (path.StartsWithSegments(Features.Api.ApiEndpoints.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // The portal's own files (styles, scripts, images): they reveal nothing and the enrolment page needs them.
        return context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null;
    }

    /// <summary>Asked once per request (the policies ask again through the same request).</summary>
    public static async Task<bool> MustEnrolAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        const string Key = "ptk:must-enrol";
        if (context.Items.TryGetValue(Key, out var known) && known is bool cached)
        {
            return cached;
        }

        var rule = context.RequestServices.GetRequiredService<SecondFactorRule>();
        var mustEnrol = await rule.MustEnrolAsync(context.User.FindFirstValue(ClaimTypes.NameIdentifier), context.RequestAborted);
        context.Items[Key] = mustEnrol;
        return mustEnrol;
    }
}

/// <summary>A signed-in person whose role requires a second factor has one. Part of the default and permission policies.</summary>
/// <param name="AppliesToViews">
/// Whether it also holds for <c>AuthorizeView</c> (no page or endpoint as the resource): yes for the permissions; no
/// for the default policy, whose views only show the signed-in frame (the log-out button on the enrolment page).
/// </param>
public sealed record SecondFactorRequirement(bool AppliesToViews) : IAuthorizationRequirement;

/// <summary>
/// Reads the database (<see cref="SecondFactorRule"/>) on every evaluation, in the interactive router too, so a role
/// granted to someone with an open page is refused at their next navigation. Anonymous users are left to the policy's
/// other requirements, and a policy that already failed on them is not looked up.
/// </summary>
internal sealed class SecondFactorHandler(SecondFactorRule rule) : AuthorizationHandler<SecondFactorRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SecondFactorRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            context.Succeed(requirement);
            return;
        }

        if (IsEnrolmentPage(context.Resource) || (!requirement.AppliesToViews && context.Resource is not (HttpContext or RouteData)))
        {
            context.Succeed(requirement);
            return;
        }

        if (context.Requirements.OfType<RolesAuthorizationRequirement>().Any(roles => !roles.AllowedRoles.Any(context.User.IsInRole)))
        {
            // The policy's role is not the user's: it fails whatever the answer here (no database read for a nav link).
            return;
        }

        var mustEnrol = context.Resource is HttpContext http
            ? await SecondFactorEnrolment.MustEnrolAsync(http)
            : await rule.MustEnrolAsync(context.User.FindFirstValue(ClaimTypes.NameIdentifier));
        if (!mustEnrol)
        {
            context.Succeed(requirement);
        }
    }

    /// <summary>The page where the second factor is set up (over HTTP it is the endpoint, in the router the route).</summary>
    private static bool IsEnrolmentPage(object? resource) => resource switch
    {
        HttpContext http => http.GetEndpoint()?.Metadata.GetMetadata<AllowWithoutSecondFactorAttribute>() is not null,
        RouteData route => route.PageType.IsDefined(typeof(AllowWithoutSecondFactorAttribute), inherit: false),
        _ => false,
    };
}

/// <summary>Marks the page that sets up the second factor: signed-in users who have none yet may open it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AllowWithoutSecondFactorAttribute : Attribute
{
}
