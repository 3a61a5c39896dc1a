using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Web.Features.Common;

/// <summary>The signed-in user for the audit trail: from the circuit's authentication state, else from the HTTP request.</summary>
public sealed class CurrentUser(IServiceProvider services, IHttpContextAccessor httpContextAccessor) : ICurrentUser
{
    public async ValueTask<string?> GetUserIdAsync()
    {
        var fromRequest = httpContextAccessor.HttpContext?.User;
        if (fromRequest?.Identity?.IsAuthenticated == true)
        {
            return fromRequest.FindFirstValue(ClaimTypes.NameIdentifier);
        }

        var provider = services.GetService<AuthenticationStateProvider>();
        if (provider is null)
        {
            return null;
        }

        try
        {
            var state = await provider.GetAuthenticationStateAsync();
            return state.User.FindFirstValue(ClaimTypes.NameIdentifier);
        }
        catch (InvalidOperationException)
        {
            // Outside a circuit or request (start-up, background work): nobody is signed in.
            return null;
        }
    }
}
