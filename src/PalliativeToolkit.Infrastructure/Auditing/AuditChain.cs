using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Auditing;

/// <summary>
/// Appends to the hash chain: gives every audit row a context is about to insert its sequence number, the hash of the
/// row before and its own hash. Runs inside the saving transaction, after taking the chain's lock, so concurrent
/// writers append one after another (ADR 0012):
/// - SQL Server: an exclusive application lock (<c>sp_getapplock</c>) owned by the transaction;
/// - SQLite: the transaction is <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), which already holds the
///   database's one write lock.
/// The unique index on <see cref="AuditEntry.Sequence"/> refuses any writer that would not take the lock.
/// </summary>
internal static class AuditChain
{
    public const string LockResource = "PalliativeToolkit.AuditChain";

    private const string SqlServerLock = $"""
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = N'{LockResource}', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000;
        IF @result < 0 THROW 51000, N'The audit chain could not be locked for appending.', 1;
        """;

    public static List<AuditEntry> Pending(DbContext db) =>
        db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();

    public static async Task SealAsync(DbContext db, IReadOnlyList<AuditEntry> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        RequireTransaction(db);
        if (db.Database.IsSqlServer())
        {
            await db.Database.ExecuteSqlRawAsync(SqlServerLock, cancellationToken);
        }

        var head = await Head(db).FirstOrDefaultAsync(cancellationToken);
        Link(pending, head);
    }

    public static void Seal(DbContext db, IReadOnlyList<AuditEntry> pending)
    {
        if (pending.Count == 0)
        {
            return;
        }

        RequireTransaction(db);
        if (db.Database.IsSqlServer())
        {
            db.Database.ExecuteSqlRaw(SqlServerLock);
        }

        Link(pending, Head(db).FirstOrDefault());
    }

    /// <summary>
    /// Seals the rows written before the chain existed (the upgrade numbered them 1, 2, 3… by id and left their hash
    /// empty), in their order, before anything new is appended: the chain's genesis is the trail as it stood at the first
    /// start after the upgrade. Legacy rows are the first of the chain, so only a first row without a hash means there is
    /// work (one lookup by the unique sequence index at every start, whatever the trail's size); a row left unsealed
    /// later, by a hand outside the portal, stays for <see cref="AuditVerifier"/> to report, never sealed over.
    /// </summary>
    public static async Task<int> SealLegacyAsync(ToolkitDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.AuditEntries.IgnoreQueryFilters().AnyAsync(a => a.Sequence == 1 && a.Hash == string.Empty, cancellationToken))
        {
            return 0;
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (db.Database.IsSqlServer())
            {
                await db.Database.ExecuteSqlRawAsync(SqlServerLock, ct);
            }

            var rows = await db.AuditEntries.IgnoreQueryFilters().OrderBy(a => a.Sequence).ToListAsync(ct);
            var previous = AuditEntry.Genesis;
            var sealedRows = 0;
            foreach (var row in rows)
            {
                if (!row.IsSealed)
                {
                    row.Seal(row.Sequence, previous);
                    sealedRows++;
                }

                previous = row.Hash;
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return sealedRows;
        }, cancellationToken);
    }

    /// <summary>The last row of the chain (every row, whoever the context acts for).</summary>
    private static IQueryable<ChainHead> Head(DbContext db) =>
        db.Set<AuditEntry>().IgnoreQueryFilters().AsNoTracking()
            .OrderByDescending(a => a.Sequence)
            .Select(a => new ChainHead(a.Sequence, a.Hash));

    private static void Link(IReadOnlyList<AuditEntry> pending, ChainHead? head)
    {
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditEntry.Genesis;
        foreach (var entry in pending)
        {
            entry.Seal(++sequence, previous);
            previous = entry.Hash;
        }
    }

    private static void RequireTransaction(DbContext db)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException(
                $"Audit rows are appended to the chain inside the saving transaction; save them through {nameof(ToolkitDbContext)}.SaveChanges, which opens one.");
        }
    }

    private sealed record ChainHead(long Sequence, string Hash);
}
