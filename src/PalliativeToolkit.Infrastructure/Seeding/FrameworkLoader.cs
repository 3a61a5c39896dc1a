using System.Reflection;
using System.Text.Json;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Infrastructure.Seeding;

/// <summary>A framework data file could not be loaded. The message names the file, the element and the problem.</summary>
public sealed class InvalidFrameworkFileException : Exception
{
    public InvalidFrameworkFileException(string message) : base(message) { }

    public InvalidFrameworkFileException(string message, Exception inner) : base(message, inner) { }

    public InvalidFrameworkFileException() { }
}

/// <summary>Reads, validates and builds a framework version from its JSON data file.</summary>
public static class FrameworkLoader
{
    public const string CurrentFrameworkFile = "framework-2026.1.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads a framework file embedded in this assembly (Seeding/Data/).</summary>
    public static (FrameworkVersion Framework, IReadOnlyList<Resource> Resources) LoadEmbedded(string fileName = CurrentFrameworkFile)
    {
        var assembly = typeof(FrameworkLoader).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidFrameworkFileException($"Framework file '{fileName}' is not embedded in {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return Load(fileName, reader.ReadToEnd());
    }

    public static (FrameworkVersion Framework, IReadOnlyList<Resource> Resources) Load(string fileName, string json)
    {
        FrameworkFile? file;
        try
        {
            file = JsonSerializer.Deserialize<FrameworkFile>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidFrameworkFileException(
                $"Framework file '{fileName}' is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}): {ex.Message}", ex);
        }

        if (file is null)
        {
            throw new InvalidFrameworkFileException($"Framework file '{fileName}' is empty.");
        }

        var result = new FrameworkFileValidator().Validate(file);
        if (!result.IsValid)
        {
            var problems = string.Join(Environment.NewLine, result.Errors.Select(e => " - " + e.ErrorMessage).Distinct());
            throw new InvalidFrameworkFileException($"Framework file '{fileName}' is invalid:{Environment.NewLine}{problems}");
        }

        return Build(file);
    }

    private static (FrameworkVersion, IReadOnlyList<Resource>) Build(FrameworkFile file)
    {
        var framework = new FrameworkVersion(file.Version!, file.Title!, file.PublishedOn!.Value);
        var resources = file.Resources.ToDictionary(
            r => r.Key!,
            r =>
            {
                var resource = new Resource(r.Key!, r.Title!, r.Format ?? string.Empty, r.Publisher ?? string.Empty, r.Description ?? string.Empty, r.Url!, Enum.Parse<Provenance>(r.Provenance!));
                resource.AttachTo(framework);
                return resource;
            },
            StringComparer.Ordinal);

        foreach (var s in file.Sections.OrderBy(s => s.Code, StringComparer.Ordinal))
        {
            var section = framework.AddSection(s.Code!, s.Title!, s.Summary ?? string.Empty, Enum.Parse<Audience>(s.Audience!), s.ProgressNote ?? string.Empty);
            foreach (var e in s.Elements)
            {
                var element = section.AddElement(e.Code!, e.Title!, e.Description ?? string.Empty, Enum.Parse<Provenance>(e.Provenance!), e.MinimumText ?? string.Empty, e.EnhancementText ?? string.Empty);
                foreach (var c in e.Criteria)
                {
                    element.AddCriterion(c.Code!, Enum.Parse<CriterionKind>(c.Kind!), c.Text!, Enum.Parse<Provenance>(c.Provenance!), string.IsNullOrWhiteSpace(c.AplReference) ? null : c.AplReference);
                }

                foreach (var key in e.Resources)
                {
                    element.LinkResource(resources[key]);
                }
            }
        }

        return (framework, resources.Values.ToList());
    }
}
