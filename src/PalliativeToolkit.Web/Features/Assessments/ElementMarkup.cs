using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Web.Features.Assessments;

/// <summary>
/// The parts of an element card that never change for a framework version, HTML-encoded once and shared by every page
/// that shows the element. A page renders each as one markup frame instead of dozens of elements and attributes, which
/// keeps an open page's render tree (and so the memory its circuit holds) small.
/// </summary>
public sealed class ElementMarkup
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    internal ElementMarkup(ElementDefinition element)
    {
        TitleId = $"title-{element.Code}";
        NotesId = $"notes-{element.Code}";
        NotesHelpId = $"notes-{element.Code}-help";
        PriorityId = $"priority-{element.Code}";
        LinkId = $"link-{element.Code}";
        LinkErrorId = $"link-{element.Code}-error";
        AddLinkLabel = $"Add link to {element.Code}";
        var provisional = element.Provenance == Provenance.Provisional
            ? "<p class=\"mud-typography mud-typography-caption provisional\">Provisional wording, pending review against the published guide.</p>"
            : string.Empty;
        Header = new(
            $"<h3 class=\"mud-typography mud-typography-h6\" id=\"{E(TitleId)}\">{E(element.Code)} {E(element.Title)}</h3>"
            + $"<p class=\"mud-typography mud-typography-body2\">{E(element.Description)}</p>{provisional}");
        MinimumProse = Prose(element.MinimumText);
        EnhancementProse = Prose(element.EnhancementText);
        Criteria = element.Criteria.ToDictionary(c => c.Id, Criterion);
        var library = $"<p class=\"mud-typography mud-typography-body2 library-link\"><a href=\"resources?element={Uri.EscapeDataString(element.Code)}\" data-testid=\"library-link\">Resources for {E(element.Code)} in the library</a></p>";
        Resources = new(element.Resources.Count == 0 ? $"<div class=\"tools mt-2\">{library}</div>" : string.Concat(
            "<div class=\"tools mt-2\"><h4 class=\"mud-typography mud-typography-subtitle2\">Tools and Links</h4><ul class=\"resources\">",
            string.Concat(element.Resources.Select(Resource)),
            "</ul>", library, "</div>"));
    }

    public MarkupString Header { get; }
    public MarkupString MinimumProse { get; }
    public MarkupString EnhancementProse { get; }

    /// <summary>Each criterion's text and its tags (APL requirement, provisional wording), by criterion id.</summary>
    public IReadOnlyDictionary<Guid, MarkupString> Criteria { get; }

    /// <summary>The element's Tools and Links, each with its summary and provenance, and a link to the library filtered on the element.</summary>
    public MarkupString Resources { get; }

    public string TitleId { get; }
    public string NotesId { get; }
    public string NotesHelpId { get; }
    public string PriorityId { get; }
    public string LinkId { get; }
    public string LinkErrorId { get; }
    public string AddLinkLabel { get; }

    private static string E(string text) => Encoder.Encode(text);

    private static MarkupString Prose(string text) => new($"<p class=\"mud-typography mud-typography-body2 criteria-prose\">{E(text)}</p>");

    private static MarkupString Criterion(CriterionDefinition criterion)
    {
        var apl = criterion.AplReference is null ? string.Empty : $"<span class=\"tag\">Required by {E(criterion.AplReference)}</span>";
        var provisional = criterion.Provenance == Provenance.Provisional
            ? "<span class=\"provisional-tag\" title=\"The portal's editorial wording, pending review against the published guide\">provisional wording</span>"
            : string.Empty;
        return new($"<span class=\"criterion-text\" id=\"{E(criterion.TextId)}\">{E(criterion.Text)}</span>{apl}{provisional}");
    }

    private static string Resource(ResourceView resource)
    {
        var summary = string.IsNullOrWhiteSpace(resource.Description) ? string.Empty : $"<span class=\"resource-summary\"> — {E(resource.Description)}</span>";
        var provenance = resource.Provenance == Provenance.Guide ? "Listed in the guide's Tools and Links" : "Added by the portal, not listed in the guide";
        return $"<li data-testid=\"resource\"><a href=\"{E(resource.Url)}\" target=\"_blank\" rel=\"noopener\">{E(resource.Title)}</a> "
            + $"<span class=\"resource-meta\">({E(resource.Format)}, {E(resource.Publisher)})</span>{summary} <span class=\"resource-provenance\">{E(provenance)}</span></li>";
    }
}
