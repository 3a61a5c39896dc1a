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
    public static async Task<UserContext> ForAsync(ToolkitDbContext db, ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(principal);
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(userId))
        {
            return UserContext.Anonymous;
        }

        // Roles and lockout are read from the database, not the cookie: a role taken away or a lock applies at once.
        // Identity sets and checks lockout on the system clock, so this compares with the same clock.
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.LockoutEnd }).SingleOrDefaultAsync(cancellationToken);
        if (account is null || account.LockoutEnd > DateTimeOffset.UtcNow)
        {
            return UserContext.Anonymous;
        }

        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name)
            .ToListAsync(cancellationToken);
        var memberships = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId)
            .ToDictionaryAsync(m => m.OrganizationId, m => m.Role, cancellationToken);
        return new UserContext(
            userId,
            roles.Contains(GlobalRoles.Administrator),
            roles.Contains(GlobalRoles.StatewideReviewer),
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
