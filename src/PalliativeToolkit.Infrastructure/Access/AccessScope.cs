using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Access;

/// <summary>
/// The one place where the isolation rule lives. A user sees the organizations they belong to and their work;
/// statewide reviewers also see the submitted work of every organization. Drafts stay private to their organization.
/// Every feature query for organization data starts here.
/// </summary>
public static class AccessScope
{
    /// <summary>
    /// What the signed-in user may see now. Roles and lockout are read from the database, not the cookie, so a role taken
    /// away or a lock applies at once; <paramref name="clock"/> decides whether a lockout is still running.
    /// </summary>
    public static async Task<UserContext> ForAsync(ToolkitDbContext db, ClaimsPrincipal principal, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(clock);
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(userId))
        {
            return UserContext.Anonymous;
        }

        // One row per global role (one row with no role when there is none): lockout and roles in a single query.
        var rows = await (from u in db.Users
                          where u.Id == userId
                          from ur in db.UserRoles.Where(ur => ur.UserId == u.Id).DefaultIfEmpty()
                          from r in db.Roles.Where(r => ur != null && r.Id == ur.RoleId).DefaultIfEmpty()
                          select new { u.LockoutEnd, Role = r != null ? r.Name : null })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (rows.Count == 0 || rows[0].LockoutEnd > clock.GetUtcNow())
        {
            return UserContext.Anonymous;
        }

        var memberships = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId)
            .ToDictionaryAsync(m => m.OrganizationId, m => m.Role, cancellationToken);
        return new UserContext(
            userId,
            rows.Any(r => r.Role == GlobalRoles.Administrator),
            rows.Any(r => r.Role == GlobalRoles.StatewideReviewer),
            memberships);
    }

    /// <summary>Assessments the user may read.</summary>
    public static IQueryable<Assessment> VisibleAssessments(this ToolkitDbContext db, UserContext user)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        var own = user.Memberships.Keys.ToList();
        var seesSubmitted = user.SeesSubmittedWork;
        return db.Assessments.Where(a => own.Contains(a.OrganizationId) || (seesSubmitted && a.SubmittedAt != null));
    }

    /// <summary>Organizations the user may read.</summary>
    public static IQueryable<Organization> VisibleOrganizations(this ToolkitDbContext db, UserContext user)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        var own = user.Memberships.Keys.ToList();
        return user.SeesSubmittedWork ? db.Organizations : db.Organizations.Where(o => own.Contains(o.Id));
    }
}
