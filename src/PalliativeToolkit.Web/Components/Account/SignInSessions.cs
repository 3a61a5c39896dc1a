using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Web.Components.Account;

/// <summary>
/// Ties the sign-in cookie to a server-side session (<see cref="SessionStore"/>): signing in starts one and writes its
/// id into the cookie; every request checks it is still live (so a logged-out cookie replayed from anywhere is refused);
/// signing out ends it. Open pages check it every <see cref="SignInSessionOptions.CheckInterval"/>
/// (<see cref="IdentityRevalidatingAuthenticationStateProvider"/>), and page activity keeps it from going idle.
/// </summary>
internal static class SignInSessions
{
    /// <summary>Set by <see cref="ToolkitSignInManager.RefreshSignInAsync"/>: the same session is signed in again with fresh claims.</summary>
    internal const string RefreshingItem = "ptk:refreshing-sign-in";

    public static IServiceCollection AddSignInSessions(this IServiceCollection services)
    {
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<SignInSessionOptions>>((cookie, sessions) => Configure(cookie, sessions.Value));

        // The stamp validator rebuilds the principal from the database now and then: the session id goes with it.
        services.Configure<SecurityStampValidatorOptions>(options => options.OnRefreshingPrincipal = context =>
        {
            var session = context.CurrentPrincipal?.FindFirst(SessionStore.ClaimType);
            if (session is not null && context.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == SessionStore.ClaimType))
            {
                identity.AddClaim(new Claim(SessionStore.ClaimType, session.Value));
            }

            return Task.CompletedTask;
        });
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, SessionActivityCircuitHandler>());
        return services;
    }

    private static void Configure(CookieAuthenticationOptions cookie, SignInSessionOptions sessions)
    {
        // The cookie lives no longer than the session may; the session (in the database) decides the rest.
        cookie.ExpireTimeSpan = sessions.AbsoluteLifetime;
        cookie.SlidingExpiration = false;
        var validateStamp = cookie.Events.OnValidatePrincipal;
        cookie.Events.OnSigningIn = StartOrKeepAsync;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            var store = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
            var principal = context.Principal;
            if (!await store.IsLiveAsync(principal?.FindFirstValue(SessionStore.ClaimType), principal?.FindFirstValue(ClaimTypes.NameIdentifier), seen: true, context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }

            await validateStamp(context);
        };
        cookie.Events.OnSigningOut = async context =>
        {
            var user = context.HttpContext.User;
            var session = user.FindFirstValue(SessionStore.ClaimType);
            if (session is null)
            {
                return;
            }

            var store = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
            await store.EndAsync(session, SessionEnd.LoggedOut, CancellationToken.None);
            var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
            await context.HttpContext.RequestServices.GetRequiredService<ISecurityAudit>()
                .RecordAsync(SecurityEvent.SignedOut, userId, userId, cancellationToken: CancellationToken.None);
        };
    }

    private static async Task StartOrKeepAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        var userId = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? string.Empty;
        var store = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();

        // A refresh (new claims after a password or profile change) keeps the session the request came with; every real
        // sign-in gets a new one, so a session id never outlives the sign-in that made it.
        var current = context.HttpContext.User;
        var currentSession = current.FindFirstValue(SessionStore.ClaimType);
        var session = context.HttpContext.Items.ContainsKey(RefreshingItem)
            && current.FindFirstValue(ClaimTypes.NameIdentifier) == userId
            && await store.IsLiveAsync(currentSession, userId, seen: true, context.HttpContext.RequestAborted)
            ? currentSession!
            : await store.StartAsync(userId, context.HttpContext.Request.Headers.UserAgent.ToString(), context.HttpContext.RequestAborted);
        foreach (var old in identity.FindAll(SessionStore.ClaimType).ToList())
        {
            identity.RemoveClaim(old);
        }

        identity.AddClaim(new Claim(SessionStore.ClaimType, session));
    }
}

/// <summary>Activity on an open page (clicks, typing, navigation) keeps its session from going idle.</summary>
internal sealed class SessionActivityCircuitHandler(
    Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider authentication,
    SessionStore sessions,
    TimeProvider clock) : CircuitHandler
{
    private DateTimeOffset lastSeen = DateTimeOffset.MinValue;

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var now = clock.GetUtcNow();
            if (now - lastSeen >= SessionStore.SeenResolution)
            {
                lastSeen = now;
                var user = (await authentication.GetAuthenticationStateAsync()).User;
                var session = user.FindFirstValue(SessionStore.ClaimType);
                if (session is not null)
                {
                    await sessions.IsLiveAsync(session, user.FindFirstValue(ClaimTypes.NameIdentifier), seen: true);
                }
            }

            await next(context);
        };
}
