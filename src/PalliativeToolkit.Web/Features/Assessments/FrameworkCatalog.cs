using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Assessments;

/// <summary>
/// The guide's framework versions as pages show them, read once per version and shared by every open page. A published
/// version never changes (a new edition is a new version), so the cache never goes stale and each circuit holds only
/// its own answers, not another copy of the guide's text.
/// </summary>
public sealed class FrameworkCatalog
{
    private readonly ConcurrentDictionary<Guid, FrameworkView> _versions = new();

    public async Task<FrameworkView> GetAsync(Operation operation, Guid frameworkVersionId)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (_versions.TryGetValue(frameworkVersionId, out var cached))
        {
            return cached;
        }

        var loaded = await LoadAsync(operation, frameworkVersionId);
        return _versions.GetOrAdd(frameworkVersionId, loaded);
    }

    private static async Task<FrameworkView> LoadAsync(Operation operation, Guid id)
    {
        var db = operation.Db;
        var token = operation.Cancellation;
        var version = await db.FrameworkVersions.AsNoTracking().Where(f => f.Id == id)
            .Select(f => new { f.Id, f.Label, f.Title }).SingleAsync(token);
        var sections = await db.Sections.AsNoTracking().Where(s => s.FrameworkVersionId == id).OrderBy(s => s.Order)
            .Select(s => new { s.Id, s.Code, s.Title, s.Summary, s.Audience, s.ProgressNote }).ToListAsync(token);
        var elements = await db.Elements.AsNoTracking().Where(e => e.Section!.FrameworkVersionId == id).OrderBy(e => e.Order)
            .Select(e => new { e.Id, e.SectionId, e.Code, e.Title, e.Description, e.Provenance, e.MinimumText, e.EnhancementText })
            .ToListAsync(token);
        var criteria = (await db.Criteria.AsNoTracking().Where(c => db.Elements.Any(e => e.Id == c.ElementId && e.Section!.FrameworkVersionId == id))
            .OrderBy(c => c.Kind).ThenBy(c => c.Order)
            .Select(c => new { c.ElementId, Definition = new CriterionDefinition(c.Id, c.Code, c.Kind, c.Text, c.Provenance, c.AplReference) })
            .ToListAsync(token)).ToLookup(c => c.ElementId, c => c.Definition);
        var resources = (await db.ElementResources.AsNoTracking().Where(r => db.Elements.Any(e => e.Id == r.ElementId && e.Section!.FrameworkVersionId == id))
            .OrderBy(r => r.Resource!.Provenance).ThenBy(r => r.Resource!.Title)
            .Select(r => new { r.ElementId, View = new ResourceView(r.Resource!.Title, r.Resource.Format, r.Resource.Publisher, r.Resource.Description, r.Resource.Url, r.Resource.Provenance) })
            .ToListAsync(token)).ToLookup(r => r.ElementId, r => r.View);

        return new FrameworkView(version.Id, version.Label, version.Title, sections
            .Select(s => new SectionDefinition(s.Code, s.Title, s.Summary, s.Audience, s.ProgressNote, elements
                .Where(e => e.SectionId == s.Id)
                .Select(e => new ElementDefinition(e.Id, s.Code, e.Code, e.Title, e.Description, e.Provenance, e.MinimumText, e.EnhancementText,
                    [.. criteria[e.Id]], [.. resources[e.Id]]))
                .ToList()))
            .ToList());
    }
}
