using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Frameworks;

/// <summary>A section (A–E) of the guide, holding its essential elements.</summary>
public class Section : Entity
{
    private readonly List<Element> _elements = [];

    private Section() { Code = Title = Summary = ProgressNote = string.Empty; }

    internal Section(FrameworkVersion framework, string code, string title, string summary, Audience audience, string progressNote, int order)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        FrameworkVersionId = framework.Id;
        Code = code;
        Title = title;
        Summary = summary;
        Audience = audience;
        ProgressNote = progressNote;
        Order = order;
    }

    public Guid FrameworkVersionId { get; private set; }
    public string Code { get; private set; }
    public string Title { get; private set; }
    public string Summary { get; private set; }
    public Audience Audience { get; private set; }

    /// <summary>The section's "Progress in California" note.</summary>
    public string ProgressNote { get; private set; }
    public int Order { get; private set; }

    public IReadOnlyList<Element> Elements => _elements;

    public Element AddElement(string code, string title, string description, Provenance provenance, string minimumText, string enhancementText)
    {
        var element = new Element(this, code, title, description, provenance, minimumText, enhancementText, _elements.Count + 1);
        _elements.Add(element);
        return element;
    }

    /// <summary>
    /// Whether an organization assessing as <paramref name="assessor"/> assesses this section on its own: a plan its
    /// sections and the joint one (its own view of the partnership), a provider its readiness (section B) only; a
    /// provider takes part in the joint section with a partner plan.
    /// </summary>
    public bool IsAssessedBy(Audience assessor) => Audience == assessor || (Audience == Audience.Joint && assessor == Audience.Plan);
}
