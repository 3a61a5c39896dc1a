using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using PalliativeToolkit.Infrastructure.Access;

namespace PalliativeToolkit.Infrastructure.Auditing;

/// <summary>
/// Where an audited change comes from when no operation says so: the signed-in user of the current request and the
/// client's address (after the forwarded headers the portal trusts). Outside a request (start-up, seeding, background
/// work) the actor is the portal itself, <see cref="Viewer.SystemUserId"/>.
/// </summary>
public sealed class AuditOrigin(IHttpContextAccessor? http = null)
{
    /// <summary>The actor of a request nobody is signed in to (a failed sign-in, a password reset by emailed link).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The client's address of the current request, when there is one.</summary>
    public string? ClientAddress => http?.HttpContext?.Connection.RemoteIpAddress?.ToString();

    /// <summary>
    /// Who acts: the viewer the context acts for when an operation bound one, else the request's signed-in user,
    /// else <see cref="Anonymous"/> in a request and <see cref="Viewer.SystemUserId"/> outside one.
    /// </summary>
    public string Actor(Viewer? viewer)
    {
        if (viewer is not null && viewer.UserId.Length > 0)
        {
            return viewer.UserId;
        }

        var context = http?.HttpContext;
        if (context is null)
        {
            return Viewer.SystemUserId;
        }

        var id = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        return string.IsNullOrEmpty(id) ? Anonymous : id;
    }
}
