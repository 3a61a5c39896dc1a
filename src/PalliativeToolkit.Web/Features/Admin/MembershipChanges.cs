using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>Adding, changing and removing memberships, for administrators and managers alike. The caller has checked who may.</summary>
internal static class MembershipChanges
{
    /// <param name="expectedVersion">
    /// The version of the membership the page showed, or null when the page showed none (an addition). A membership that
    /// changed or appeared since is a conflict: the change is refused, never applied over someone else's.
    /// </param>
    public static async Task<OperationResult> ApplyAsync(
        ToolkitDbContext db, Guid organizationId, string userId, Guid? expectedVersion, Action<Organization> change, ILogger logger, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.Include(o => o.Memberships).SingleOrDefaultAsync(o => o.Id == organizationId, cancellationToken);
        if (organization is null || !await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            return OperationResult.Refused("That organization or account no longer exists. Reload the page.");
        }

        var current = organization.Memberships.FirstOrDefault(m => m.UserId == userId);
        if (current?.Version != expectedVersion)
        {
            return OperationResult.Conflict();
        }

        try
        {
            change(organization);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException ex)
        {
            return OperationResult.Refused(ex.Message);
        }
        catch (DbUpdateException)
        {
            return OperationResult.Conflict();
        }

        logger.LogInformation("Membership of {UserId} in {OrganizationId} changed", userId, organizationId);
        return OperationResult.Ok();
    }
}
