using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Resources;

/// <summary>A resource matched by a search, with its rank (higher is better).</summary>
public sealed record ResourceMatch(Guid Id, double Rank);

/// <summary>
/// Full-text search over the library's titles, summaries, publishers and tags, in the database's own engine:
/// on SQLite an FTS5 index kept by triggers (see the migration LibraryResources), ranked with bm25 weighting title over
/// tags over summary over publisher, with stemming ("metric" finds "metrics") and the last word as a prefix (as typed);
/// on SQL Server, until a full-text catalog is set up (docs/decisions/0016), every word must appear in one of the four
/// fields, ranked by where the words appear. Typed text is reduced to words, so no input can break the query.
/// </summary>
public static partial class ResourceSearch
{
    public const string IndexTable = "LibraryResourceSearch";

    /// <summary>The words of a search, lower-cased (letters and digits; punctuation and operators dropped).</summary>
    public static IReadOnlyList<string> WordsOf(string? text) =>
        text is null ? [] : Words().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct().Take(12).ToList();

    /// <summary>The resources that match every word of <paramref name="text"/>, best first; empty when it has no word.</summary>
    public static async Task<IReadOnlyList<ResourceMatch>> MatchAsync(ToolkitDbContext db, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var words = WordsOf(text);
        if (words.Count == 0)
        {
            return [];
        }

        return db.Database.IsSqlite() ? await Fts5Async(db, words, cancellationToken) : await FallbackAsync(db, words, cancellationToken);
    }

    private static async Task<IReadOnlyList<ResourceMatch>> Fts5Async(ToolkitDbContext db, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        // Each word quoted (a phrase of one token: never an operator); the last also as a prefix of a longer word.
        var match = string.Join(" ", words.Select((w, i) => i == words.Count - 1 ? $"\"{w}\"*" : $"\"{w}\""));
        var rows = await db.Database.SqlQueryRaw<FtsRow>(
            $"SELECT r.Id AS Id, bm25({IndexTable}, 10.0, 2.0, 1.0, 4.0) AS Score FROM {IndexTable} JOIN LibraryResources r ON r.rowid = {IndexTable}.rowid WHERE {IndexTable} MATCH {{0}} ORDER BY Score",
            match).ToListAsync(cancellationToken);

        // bm25 is lower for better matches (and negative): the rank turns it round.
        return rows.Select(r => new ResourceMatch(r.Id, -r.Score)).ToList();
    }

    private static async Task<IReadOnlyList<ResourceMatch>> FallbackAsync(ToolkitDbContext db, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var query = db.LibraryResources.AsNoTracking();
        foreach (var word in words)
        {
            query = query.Where(r => r.Title.Contains(word) || r.Summary.Contains(word) || r.Publisher.Contains(word) || r.Tags.Any(t => t.Contains(word)));
        }

        var found = await query.Select(r => new { r.Id, r.Title, r.Summary, r.Publisher, r.Tags }).ToListAsync(cancellationToken);
        return found
            .Select(r => new ResourceMatch(r.Id, words.Sum(w =>
                (r.Title.Contains(w, StringComparison.OrdinalIgnoreCase) ? 10 : 0) + (r.Tags.Any(t => t.Contains(w, StringComparison.OrdinalIgnoreCase)) ? 4 : 0)
                + (r.Summary.Contains(w, StringComparison.OrdinalIgnoreCase) ? 2 : 0) + (r.Publisher.Contains(w, StringComparison.OrdinalIgnoreCase) ? 1 : 0))))
            .OrderByDescending(r => r.Rank)
            .ToList();
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Words();

    private sealed record FtsRow(Guid Id, double Score);
}
