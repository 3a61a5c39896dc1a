using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Frameworks;

/// <summary>One published version of the guide's framework. Assessments keep pointing at the version they were made on.</summary>
public class FrameworkVersion : Entity
{
    private readonly List<Section> _sections = [];

    private FrameworkVersion() { Label = Title = string.Empty; }

    public FrameworkVersion(string label, string title, DateOnly publishedOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Label = label;
        Title = title;
        PublishedOn = publishedOn;
    }

    public string Label { get; private set; }
    public string Title { get; private set; }
    public DateOnly PublishedOn { get; private set; }
    public bool IsCurrent { get; private set; }

    public IReadOnlyList<Section> Sections => _sections;

    public IEnumerable<Element> Elements => _sections.SelectMany(s => s.Elements);

    public Section AddSection(string code, string title, string summary, Audience audience, string progressNote)
    {
        if (_sections.Any(s => s.Code == code))
        {
            throw new DomainException($"Section {code} appears twice in framework {Label}.");
        }

        var section = new Section(this, code, title, summary, audience, progressNote, _sections.Count + 1);
        _sections.Add(section);
        return section;
    }

    public void MarkCurrent() => IsCurrent = true;

    public void MarkSuperseded() => IsCurrent = false;
}
