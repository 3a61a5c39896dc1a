using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Resources;
using PalliativeToolkit.Infrastructure.Files;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Infrastructure.Resources;

namespace PalliativeToolkit.Web.Features.Resources;

/// <summary>What the library is searched and filtered by.</summary>
public sealed record ResourceQuery(string? Text = null, string? Section = null, string? Element = null, ResourceKind? Kind = null, ResourceAudience? Audience = null, bool IncludeRetired = false);

public sealed record ResourceCard(
    Guid Id, string Title, string Publisher, ResourceKind Kind, ResourceAudience Audience, string Summary, string Url,
    IReadOnlyList<string> ElementCodes, IReadOnlyList<string> Tags, ResourceOrigin Origin, bool Retired, string? FileName = null, string? FileType = null)
{
    /// <summary>Where the resource opens: its link, or its uploaded file.</summary>
    public string Address => AddressOf(Id, Url, FileName);

    /// <summary>The address of a resource's uploaded file.</summary>
    public string FileAddress => FileAddressOf(Id);

    public static string FileAddressOf(Guid id) => $"library/{id}/file";

    /// <summary>A resource's link, or the address of its file when it has no link.</summary>
    public static string AddressOf(Guid id, string url, string? file) => string.IsNullOrWhiteSpace(url) && file is not null ? FileAddressOf(id) : url;
}

/// <summary>The resources found, best first, and how many of the text's matches each filter value holds.</summary>
public sealed record ResourceResults(
    IReadOnlyList<ResourceCard> Items,
    IReadOnlyDictionary<string, int> BySection,
    IReadOnlyDictionary<ResourceKind, int> ByKind,
    IReadOnlyDictionary<ResourceAudience, int> ByAudience,
    IReadOnlyList<string> Elements);

/// <summary>
/// The resource library, for every signed-in user: the database's full-text search (ranked) over titles, summaries,
/// publishers and tags, with filters by section, element, kind and audience and a count for each. Retired resources
/// are left out unless asked for.
/// </summary>
public sealed class ResourceService(OperationRunner operations, IFileStore files)
{
    /// <summary>A library resource's uploaded file, for any signed-in user; not found for anyone else or a resource with none.</summary>
    public Task<Outcome<DocumentFile>> OpenFileAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<DocumentFile>(principal, async op =>
        {
            var resource = op.Viewer.IsAuthenticated
                ? await op.Db.LibraryResources.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.FileKey, r.FileName, r.FileContentType }).SingleOrDefaultAsync(op.Cancellation)
                : null;
            if (resource?.FileKey is null || files.OpenRead(resource.FileKey) is not { } stream)
            {
                return Failure.Missing("That resource has no file, or it does not exist.");
            }

            return new DocumentFile(stream, resource.FileName!, resource.FileContentType!);
        }, cancellationToken);

    public Task<Outcome<ResourceResults>> SearchAsync(ClaimsPrincipal principal, ResourceQuery query, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ResourceResults>(principal, async op =>
        {
            ArgumentNullException.ThrowIfNull(query);
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to use the resource library.");
            }

            var words = ResourceSearch.WordsOf(query.Text);
            var matches = await ResourceSearch.MatchAsync(op.Db, query.Text, op.Cancellation);
            var rank = matches.ToDictionary(m => m.Id, m => m.Rank);
            var candidates = op.Db.LibraryResources.AsNoTracking();
            if (words.Count > 0)
            {
                var ids = matches.Select(m => m.Id).ToList();
                candidates = candidates.Where(r => ids.Contains(r.Id));
            }

            if (!query.IncludeRetired)
            {
                candidates = candidates.Where(r => r.RetiredAt == null);
            }

            // The library holds tens to hundreds of resources: the text's matches are counted per filter value here.
            var found = (await candidates.ToListAsync(op.Cancellation))
                .OrderByDescending(r => rank.GetValueOrDefault(r.Id)).ThenBy(r => r.Title, StringComparer.OrdinalIgnoreCase).ToList();
            static string SectionOf(string code) => code[..1];
            var bySection = found.SelectMany(r => r.ElementCodes.Select(SectionOf).Distinct()).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
            var byKind = found.GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Count());
            var byAudience = Enum.GetValues<ResourceAudience>().ToDictionary(a => a, a => found.Count(r => Serves(r.Audience, a)));
            var elements = found.SelectMany(r => r.ElementCodes).Distinct().Order(StringComparer.Ordinal).ToList();

            var section = string.IsNullOrWhiteSpace(query.Section) ? null : query.Section.Trim().ToUpperInvariant();
            var element = string.IsNullOrWhiteSpace(query.Element) ? null : query.Element.Trim().ToUpperInvariant();
            var items = found
                .Where(r => section is null || r.ElementCodes.Any(c => SectionOf(c) == section))
                .Where(r => element is null || r.ElementCodes.Contains(element))
                .Where(r => query.Kind is null || r.Kind == query.Kind)
                .Where(r => query.Audience is not { } audience || Serves(r.Audience, audience))
                .Select(r => new ResourceCard(r.Id, r.Title, r.Publisher, r.Kind, r.Audience, r.Summary, r.Url, r.ElementCodes, r.Tags, r.Origin, r.IsRetired, r.FileName, r.FileType))
                .ToList();
            return new ResourceResults(items, bySection, byKind, byAudience, elements);
        }, cancellationToken);

    /// <summary>A resource for plans and providers serves either; one for plans serves plans only.</summary>
    private static bool Serves(ResourceAudience resource, ResourceAudience wanted) =>
        resource == wanted || (resource == ResourceAudience.Both && wanted != ResourceAudience.Both);
}
