using System.Text.Json;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Resources;

namespace PalliativeToolkit.Infrastructure.Seeding;

#pragma warning disable CA1002, CA2227 // plain data-transfer shapes for System.Text.Json
/// <summary>The shape of the resource library's data file (Seeding/Data/resources-*.json).</summary>
public sealed class ResourceLibraryFile
{
    public string? Version { get; set; }
    public List<LibraryResourceFile> Resources { get; set; } = [];
}

public sealed class LibraryResourceFile
{
    public string? Key { get; set; }
    public string? Title { get; set; }
    public string? Publisher { get; set; }
    public string? Kind { get; set; }
    public string? Audience { get; set; }
    public List<string> Elements { get; set; } = [];
    public string? Summary { get; set; }
    public string? Url { get; set; }
    public List<string> Tags { get; set; } = [];
    public string? Origin { get; set; }
}
#pragma warning restore CA1002, CA2227

/// <summary>Reads the resource library's data file: the guide's Tools and Links, and what the editors added, as resources.</summary>
public static class ResourceLibraryLoader
{
    public const string CurrentFile = "resources-2026.1.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    public static IReadOnlyList<LibraryResource> LoadEmbedded(string fileName = CurrentFile)
    {
        var assembly = typeof(ResourceLibraryLoader).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidDataException($"Resource library file '{fileName}' is not embedded in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return Load(fileName, reader.ReadToEnd());
    }

    /// <summary>Every resource of the file, or an error naming the resource and what is wrong with it.</summary>
    public static IReadOnlyList<LibraryResource> Load(string fileName, string json)
    {
        ResourceLibraryFile file;
        try
        {
            file = JsonSerializer.Deserialize<ResourceLibraryFile>(json, Json) ?? new ResourceLibraryFile();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Resource library file '{fileName}' is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        var resources = new List<LibraryResource>();
        foreach (var (entry, index) in file.Resources.Select((r, i) => (r, i)))
        {
            var where = $"resource {index + 1} ({entry.Key ?? "no key"}) of '{fileName}'";
            if (string.IsNullOrWhiteSpace(entry.Key) || string.IsNullOrWhiteSpace(entry.Title) || string.IsNullOrWhiteSpace(entry.Url))
            {
                throw new InvalidDataException($"The {where} needs a key, a title and a url.");
            }

            if (!Enum.TryParse<ResourceKind>(entry.Kind, out var kind) || !Enum.TryParse<ResourceAudience>(entry.Audience, out var audience)
                || !Enum.TryParse<ResourceOrigin>(entry.Origin, out var origin))
            {
                throw new InvalidDataException($"The {where} has a kind, audience or origin that is none of the known ones.");
            }

            try
            {
                resources.Add(new LibraryResource(entry.Key, entry.Title, entry.Publisher ?? string.Empty, kind, audience, entry.Summary ?? string.Empty,
                    entry.Url, entry.Elements, entry.Tags, origin));
            }
            catch (DomainException ex)
            {
                throw new InvalidDataException($"The {where}: {ex.Message}", ex);
            }
        }

        var twice = resources.GroupBy(r => r.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? resources : throw new InvalidDataException($"The key '{twice.Key}' is used twice in '{fileName}'.");
    }
}
