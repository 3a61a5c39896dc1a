using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Resources;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Resources;

/// <summary>
/// A contribution approved for everyone names the organization that made it, even to people who otherwise do not see
/// that organization (a provider reading another provider's contribution). Only names of organizations with an approved
/// contribution among <c>ids</c> are answered; nothing else of them.
/// </summary>
public static class ContributorNames
{
    public static Task<Dictionary<Guid, string>> OfAsync(ToolkitDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Organizations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => ids.Contains(o.Id)
                && db.OrganizationDocuments.IgnoreQueryFilters().Any(d => d.OrganizationId == o.Id && d.Contribution == ContributionStatus.Approved))
            .ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
    }
}
