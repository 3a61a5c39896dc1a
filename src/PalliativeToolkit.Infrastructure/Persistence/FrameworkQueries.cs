using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Infrastructure.Persistence;

public static class FrameworkQueries
{
    /// <summary>The current framework version with its sections, elements and criteria (tracked, ready to start an assessment).</summary>
    public static Task<FrameworkVersion> CurrentFrameworkAsync(this ToolkitDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.FrameworkVersions
            .Include(f => f.Sections).ThenInclude(s => s.Elements).ThenInclude(e => e.Criteria)
            .SingleAsync(f => f.IsCurrent, cancellationToken);
    }
}
