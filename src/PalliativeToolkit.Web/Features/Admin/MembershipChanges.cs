using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>Adding, changing and removing memberships, for administrators and managers alike. The caller has checked who may.</summary>
internal static class MembershipChanges
{
    /// <param name="expectedVersion">
    /// The version of the membership the page showed, or null when the page showed none (an addition). A membership that
    /// changed or appeared since is a conflict: the change is refused, never applied over someone else's.
    /// </param>
    public static async Task<Outcome<Done>> ApplyAsync(Operation op, Guid organizationId, string userId, Guid? expectedVersion, Action<Organization> change, ILogger logger)
    {
        var organization = await op.Db.Organizations.Include(o => o.Memberships).SingleOrDefaultAsync(o => o.Id == organizationId, op.Cancellation);
        if (organization is null || !await op.Db.Users.AnyAsync(u => u.Id == userId, op.Cancellation))
        {
            return Failure.Refuse("That organization or account no longer exists. Reload the page.");
        }

        var current = organization.Memberships.FirstOrDefault(m => m.UserId == userId);
        if (current?.Version != expectedVersion)
        {
            return Failure.Stale();
        }

        change(organization);
        try
        {
            await op.SaveAsync();
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            // The same membership was added a moment ago (unique index).
            return Failure.Stale();
        }

        logger.LogInformation("Membership of {UserId} in {OrganizationId} changed", userId, organizationId);
        return Done.Value;
    }
}
