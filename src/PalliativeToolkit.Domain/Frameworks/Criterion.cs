using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Frameworks;

/// <summary>A checkable statement split from an element's minimum or enhancement prose.</summary>
public class Criterion : Entity
{
    private Criterion() { Code = Text = string.Empty; }

    internal Criterion(Element element, string code, CriterionKind kind, string text, Provenance provenance, string? aplReference, int order)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ElementId = element.Id;
        Code = code;
        Kind = kind;
        Text = text;
        Provenance = provenance;
        AplReference = aplReference;
        Order = order;
    }

    public Guid ElementId { get; private set; }
    public string Code { get; private set; }
    public CriterionKind Kind { get; private set; }
    public string Text { get; private set; }
    public Provenance Provenance { get; private set; }

    /// <summary>Set when the All Plan Letter requires this criterion (for example "APL 18-020").</summary>
    public string? AplReference { get; private set; }
    public int Order { get; private set; }
}
