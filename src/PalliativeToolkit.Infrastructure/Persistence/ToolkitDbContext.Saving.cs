using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Infrastructure.Persistence;

/// <summary>
/// Saves that write audit rows run in a transaction of their own (unless the caller opened one): the audit interceptor
/// appends the rows to the hash chain inside it, under the chain's lock, so that the change, its audit rows and their
/// place in the chain commit together or not at all.
/// </summary>
public partial class ToolkitDbContext
{
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (Database.CurrentTransaction is not null || !WritesAudit())
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }

        return Database.CreateExecutionStrategy().Execute(() =>
        {
            using var transaction = Database.BeginTransaction();
            var saved = base.SaveChanges(acceptAllChangesOnSuccess: false);
            transaction.Commit();
            if (acceptAllChangesOnSuccess)
            {
                ChangeTracker.AcceptAllChanges();
            }

            return saved;
        });
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (Database.CurrentTransaction is not null || !WritesAudit())
        {
            return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        return Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await Database.BeginTransactionAsync(ct);
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            await transaction.CommitAsync(ct);
            if (acceptAllChangesOnSuccess)
            {
                ChangeTracker.AcceptAllChanges();
            }

            return saved;
        }, cancellationToken);
    }

    /// <summary>Whether this save writes audit rows: a change to audited data, or a staged audit row (a security event).</summary>
    private bool WritesAudit() =>
        ChangeTracker.Entries().Any(e =>
            (e.Entity is IAudited && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            || (e.Entity is AuditEntry && e.State == EntityState.Added));
}
