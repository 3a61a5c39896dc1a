using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Auditing;

/// <summary>What is wrong at the first broken link of the audit chain.</summary>
public enum AuditBreakKind
{
    /// <summary>The row's content (or its sequence number) no longer matches its hash: it was changed.</summary>
    ContentChanged,

    /// <summary>Sequence numbers are missing before this row: rows were deleted.</summary>
    RowsMissing,

    /// <summary>The row does not name the hash of the row before it: rows were reordered, or the row before was replaced (and re-hashed).</summary>
    LinkBroken,

    /// <summary>The row has no hash: written around the portal, or a row from before the chain that start-up did not seal.</summary>
    NotSealed,

    /// <summary>The row an anchor names is gone or has another hash: the chain was rewritten or cut after the anchor was taken.</summary>
    AnchorMismatch,
}

/// <summary>The first broken link: the row (database id and sequence number) and what is wrong with it.</summary>
public sealed record AuditBreak(long RowId, long Sequence, AuditBreakKind Kind, string Description);

/// <summary>The result of walking the chain: intact or the first break, how many rows were checked, and the head to anchor.</summary>
public sealed record AuditVerification(long RowsChecked, long HeadSequence, string HeadHash, AuditBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;

    /// <summary>The head as an anchor for <see cref="AuditVerifier.VerifyAsync"/>: <c>sequence:hash</c>.</summary>
    public string Anchor => $"{HeadSequence}:{HeadHash}";

    public override string ToString() => FirstBreak is { } broken
        ? $"Audit chain BROKEN at row {broken.RowId} (sequence {broken.Sequence}): {broken.Kind}. {broken.Description} ({RowsChecked} rows checked before it.)"
        : $"Audit chain intact: {RowsChecked} rows. Head: sequence {HeadSequence}, hash {HeadHash}.";
}

/// <summary>
/// Walks the audit chain from its first row and reports the first broken link. Reads in pages of
/// <see cref="PageSize"/> rows, so memory stays flat however long the trail. The chain proves that no row was changed,
/// removed or moved without rewriting every row after it; checking against an anchor (a head exported earlier) also
/// catches a rewrite or a cut tail (ADR 0012).
/// </summary>
public sealed class AuditVerifier(IDbContextFactory<ToolkitDbContext> contexts)
{
    public const int PageSize = 2000;

    /// <param name="anchor">An earlier head, <c>sequence:hash</c> (<see cref="AuditVerification.Anchor"/>), that must still be in the chain.</param>
    public async Task<AuditVerification> VerifyAsync(string? anchor = null, CancellationToken cancellationToken = default)
    {
        var (anchorSequence, anchorHash) = ParseAnchor(anchor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ActAs(Viewer.System);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;

        long expected = 1, checkedRows = 0, last = 0;
        var previous = AuditEntry.Genesis;
        var anchorSeen = false;
        while (true)
        {
            var page = await db.AuditEntries.Where(a => a.Sequence > last).OrderBy(a => a.Sequence).Take(PageSize).ToListAsync(cancellationToken);
            foreach (var row in page)
            {
                if (Check(row, expected, previous) is { } broken)
                {
                    return new AuditVerification(checkedRows, last, previous, broken);
                }

                if (row.Sequence == anchorSequence)
                {
                    anchorSeen = true;
                    if (!string.Equals(row.Hash, anchorHash, StringComparison.OrdinalIgnoreCase))
                    {
                        return new AuditVerification(checkedRows, last, previous, new AuditBreak(row.Id, row.Sequence, AuditBreakKind.AnchorMismatch,
                            $"The anchor says row {anchorSequence} had hash {anchorHash}; it now has {row.Hash}: the chain was rewritten from here on or before."));
                    }
                }

                checkedRows++;
                expected = row.Sequence + 1;
                previous = row.Hash;
                last = row.Sequence;
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        if (anchorSequence > 0 && !anchorSeen)
        {
            return new AuditVerification(checkedRows, last, previous, new AuditBreak(0, anchorSequence, AuditBreakKind.AnchorMismatch,
                $"The anchor names row {anchorSequence}, but the chain ends at {last}: rows at its end were deleted."));
        }

        return new AuditVerification(checkedRows, last, previous, null);
    }

    private static AuditBreak? Check(AuditEntry row, long expected, string previous)
    {
        if (!row.IsSealed)
        {
            return new AuditBreak(row.Id, row.Sequence, AuditBreakKind.NotSealed, "The row has no hash: it was written around the portal.");
        }

        if (row.Sequence != expected)
        {
            return new AuditBreak(row.Id, row.Sequence, AuditBreakKind.RowsMissing, row.Sequence == expected + 1
                ? $"Row {expected} is missing before it: it was deleted."
                : $"Rows {expected} to {row.Sequence - 1} are missing before it: they were deleted.");
        }

        if (!string.Equals(row.ComputeHash(), row.Hash, StringComparison.Ordinal))
        {
            return new AuditBreak(row.Id, row.Sequence, AuditBreakKind.ContentChanged, "Its content no longer matches its hash: the row was changed after it was written.");
        }

        if (!string.Equals(row.PreviousHash, previous, StringComparison.Ordinal))
        {
            return new AuditBreak(row.Id, row.Sequence, AuditBreakKind.LinkBroken, expected == 1
                ? "The first row does not start from the genesis hash: rows before it were removed and the chain renumbered."
                : $"It does not follow row {expected - 1}: rows were reordered, or row {expected - 1} was replaced.");
        }

        return null;
    }

    private static (long Sequence, string? Hash) ParseAnchor(string? anchor)
    {
        if (string.IsNullOrWhiteSpace(anchor))
        {
            return (0, null);
        }

        var parts = anchor.Trim().Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var sequence) && sequence > 0 && parts[1].Length == 64
            ? (sequence, parts[1])
            : throw new FormatException("An anchor is 'sequence:hash', as the verification prints it (for example 1024:3f…).");
    }
}
