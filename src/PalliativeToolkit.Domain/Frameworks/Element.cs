using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Frameworks;

/// <summary>An essential element: a minimum capability every program should adopt and enhancements beyond it.</summary>
public class Element : Entity
{
    private readonly List<Criterion> _criteria = [];
    private readonly List<ElementResource> _resources = [];

    private Element() { Code = Title = Description = MinimumText = EnhancementText = string.Empty; }

    internal Element(Section section, string code, string title, string description, Provenance provenance, string minimumText, string enhancementText, int order)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        SectionId = section.Id;
        Section = section;
        Code = code;
        Title = title;
        Description = description;
        Provenance = provenance;
        MinimumText = minimumText;
        EnhancementText = enhancementText;
        Order = order;
    }

    public Guid SectionId { get; private set; }
    public Section? Section { get; private set; }
    public string Code { get; private set; }
    public string Title { get; private set; }
    public string Description { get; private set; }
    public Provenance Provenance { get; private set; }
    public string MinimumText { get; private set; }
    public string EnhancementText { get; private set; }
    public int Order { get; private set; }

    public IReadOnlyList<Criterion> Criteria => _criteria;
    public IReadOnlyList<ElementResource> Resources => _resources;

    public Criterion AddCriterion(string code, CriterionKind kind, string text, Provenance provenance, string? aplReference)
    {
        var criterion = new Criterion(this, code, kind, text, provenance, aplReference, _criteria.Count + 1);
        _criteria.Add(criterion);
        return criterion;
    }

    public void LinkResource(Resource resource)
    {
        if (_resources.All(r => r.ResourceId != resource.Id))
        {
            _resources.Add(new ElementResource(Id, resource.Id));
        }
    }
}
