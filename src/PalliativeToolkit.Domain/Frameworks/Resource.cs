using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Frameworks;

/// <summary>A tool or link from the guide's library (job description, workflow, worksheet, report...).</summary>
public class Resource : Entity
{
    private Resource() { Key = Title = Format = Publisher = Description = Url = string.Empty; }

    public Resource(string key, string title, string format, string publisher, string description, string url, Provenance provenance)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Key = key;
        Title = title;
        Format = format;
        Publisher = publisher;
        Description = description;
        Url = url;
        Provenance = provenance;
    }

    public Guid FrameworkVersionId { get; internal set; }
    public string Key { get; private set; }
    public string Title { get; private set; }
    public string Format { get; private set; }
    public string Publisher { get; private set; }
    public string Description { get; private set; }
    public string Url { get; private set; }
    public Provenance Provenance { get; private set; }

    public void AttachTo(FrameworkVersion framework) => FrameworkVersionId = framework.Id;
}

/// <summary>Link between an element and a resource of its Tools and Links.</summary>
public class ElementResource
{
    private ElementResource() { }

    public ElementResource(Guid elementId, Guid resourceId)
    {
        ElementId = elementId;
        ResourceId = resourceId;
    }

    public Guid ElementId { get; private set; }
    public Guid ResourceId { get; private set; }
    public Resource? Resource { get; private set; }
}
