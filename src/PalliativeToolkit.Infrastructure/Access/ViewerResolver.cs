using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Access;

/// <summary>
/// Works out the viewer of an operation from its principal. Roles, lockout, memberships and grants are read from the
/// database, never from the cookie, so a role taken away, a lock or a revoked share applies to the next operation, and a
/// role that requires a second factor counts only once the account has one.
/// </summary>
internal static class ViewerResolver
{
    public static async Task<Viewer> ResolveAsync(ToolkitDbContext db, ClaimsPrincipal principal, TimeProvider clock, SecondFactorRule secondFactor, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(userId) || userId == Viewer.SystemUserId)
        {
            return Viewer.Nobody;
        }

        // One row per global role (one row with no role when there is none): lockout and roles in a single query.
        var rows = await (from u in db.Users
                          where u.Id == userId
                          from ur in db.UserRoles.Where(ur => ur.UserId == u.Id).DefaultIfEmpty()
                          from r in db.Roles.Where(r => ur != null && r.Id == ur.RoleId).DefaultIfEmpty()
                          select new { u.LockoutEnd, u.TwoFactorEnabled, u.DisplayName, Role = r != null ? r.Name : null })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (rows.Count == 0 || rows[0].LockoutEnd > clock.GetUtcNow())
        {
            return Viewer.Nobody;
        }

        // The viewer is not known yet, so the access filters are set aside here, in the one place that decides them.
        var memberships = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId == userId)
            .Select(m => new { m.OrganizationId, m.Role, m.Organization!.Kind })
            .ToListAsync(cancellationToken);
        var partners = await (from p in db.Partnerships.IgnoreQueryFilters()
                              join m in db.Memberships.IgnoreQueryFilters() on p.PlanOrganizationId equals m.OrganizationId
                              where m.UserId == userId
                              select p.ProviderOrganizationId)
            .Concat(from p in db.Partnerships.IgnoreQueryFilters()
                    join m in db.Memberships.IgnoreQueryFilters() on p.ProviderOrganizationId equals m.OrganizationId
                    where m.UserId == userId
                    select p.PlanOrganizationId)
            .Distinct()
            .ToListAsync(cancellationToken);
        var grants = await (from g in db.ShareGrants.IgnoreQueryFilters()
                            join m in db.Memberships.IgnoreQueryFilters() on g.GranteeOrganizationId equals m.OrganizationId
                            where m.UserId == userId && g.RevokedAt == null
                            select new { g.OwnerOrganizationId, g.Kind })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        // A role that requires a second factor gives nothing to an account without one (an open circuit of someone who was
        // granted the role, or whose authenticator was reset, included): the person must enrol first.
        bool Holds(string role) => rows.Any(r => r.Role == role) && (rows[0].TwoFactorEnabled || !secondFactor.IsRequiredFor([role]));
        return new Viewer(
            userId,
            Holds(GlobalRoles.Administrator),
            Holds(GlobalRoles.StatewideReviewer),
            memberships.ToDictionary(m => m.OrganizationId, m => m.Role),
            grants.Select(g => (g.OwnerOrganizationId, g.Kind)))
        {
            DisplayName = rows[0].DisplayName,
            PartnerOrganizationIds = partners,
            BelongsToAPlan = memberships.Any(m => m.Kind == OrganizationKind.ManagedCarePlan),
        };
    }
}
