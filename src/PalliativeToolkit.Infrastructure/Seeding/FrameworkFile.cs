namespace PalliativeToolkit.Infrastructure.Seeding;

// The shape of a framework data file (Seeding/Data/framework-*.json).
#pragma warning disable CA1002, CA2227 // plain data-transfer shapes for System.Text.Json

public sealed class FrameworkFile
{
    public string? Version { get; set; }
    public string? Title { get; set; }
    public DateOnly? PublishedOn { get; set; }
    public List<SectionFile> Sections { get; set; } = [];
    public List<ResourceFile> Resources { get; set; } = [];
}

public sealed class SectionFile
{
    public string? Code { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? Audience { get; set; }
    public string? ProgressNote { get; set; }
    public List<ElementFile> Elements { get; set; } = [];
}

public sealed class ElementFile
{
    public string? Code { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Provenance { get; set; }
    public string? MinimumText { get; set; }
    public string? EnhancementText { get; set; }
    public List<CriterionFile> Criteria { get; set; } = [];
    public List<string> Resources { get; set; } = [];
}

public sealed class CriterionFile
{
    public string? Code { get; set; }
    public string? Kind { get; set; }
    public string? Text { get; set; }
    public string? Provenance { get; set; }
    public string? AplReference { get; set; }
}

public sealed class ResourceFile
{
    public string? Key { get; set; }
    public string? Title { get; set; }
    public string? Format { get; set; }
    public string? Publisher { get; set; }
    public string? Description { get; set; }
    public string? Url { get; set; }
    public string? Provenance { get; set; }
}
#pragma warning restore CA1002, CA2227
