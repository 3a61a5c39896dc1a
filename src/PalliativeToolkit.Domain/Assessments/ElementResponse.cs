using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Domain.Assessments;

/// <summary>
/// An assessment's working answer for one essential element: criteria answers, evidence and priority. Its level is
/// derived. It changes only through its <see cref="Assessment"/>, which refuses when it is not editable.
/// </summary>
public class ElementResponse : Entity, IAudited, IOrganizationOwned
{
    private readonly List<CriterionResponse> _criteria = [];

    private ElementResponse() { EvidenceNotes = string.Empty; }

    private ElementResponse(Guid assessmentId, Guid organizationId, Element element)
    {
        AssessmentId = assessmentId;
        OrganizationId = organizationId;
        ElementId = element.Id;
        Element = element;
        EvidenceNotes = string.Empty;
    }

    public Guid AssessmentId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid ElementId { get; private set; }
    public Element? Element { get; private set; }
    public string EvidenceNotes { get; private set; }
    public IReadOnlyList<string> EvidenceLinks { get; private set; } = [];
    public Priority Priority { get; private set; }

    /// <summary>
    /// The cycle whose evidence (notes and links) was copied into this element and that nobody has confirmed or edited
    /// since — "carried forward from 2025, still valid?" — or null.
    /// </summary>
    public string? EvidenceCarriedFrom { get; private set; }

    /// <summary>The user who last changed the element's answers or evidence (null until someone does).</summary>
    public string? LastEditedBy { get; private set; }

    public IReadOnlyList<CriterionResponse> Criteria => _criteria;

    public Level Level => Scoring.LevelOf(Answers());

    public bool IsAssessed => Scoring.IsAssessed(Answers());

    /// <summary>Enhancements adopted (k) out of those offered (n), shown beside "meets enhancement".</summary>
    public (int Adopted, int Offered) Enhancements => Scoring.Enhancements(Answers());

    internal static ElementResponse For(Assessment assessment, Element element, ElementResponse? before, string? beforeCycle)
    {
        var response = new ElementResponse(assessment.Id, assessment.OrganizationId, element);
        var previousAnswers = before?.Criteria
            .Where(c => c.Criterion is not null)
            .ToDictionary(c => c.Criterion!.Code, c => c.Answer) ?? [];
        foreach (var criterion in element.Criteria)
        {
            var answer = previousAnswers.GetValueOrDefault(criterion.Code, Answer.Open);
            response._criteria.Add(new CriterionResponse(response, criterion, answer));
        }

        if (before is not null)
        {
            response.EvidenceNotes = before.EvidenceNotes;
            response.EvidenceLinks = [.. before.EvidenceLinks];
            response.Priority = before.Priority;
            response.EvidenceCarriedFrom = response.HasEvidence ? beforeCycle : null;
        }

        return response;
    }

    /// <summary>Records the element's state as the user left it. Only <see cref="Assessment.RecordElement"/> calls it.</summary>
    internal void Record(IReadOnlyDictionary<Guid, Answer> answers, string evidenceNotes, IReadOnlyList<string> evidenceLinks, Priority priority, string? editedBy)
    {
        foreach (var (criterionId, answer) in answers)
        {
            if (!Enum.IsDefined(answer))
            {
                throw new DomainException("An answer is met, not met or open.");
            }

            var criterion = _criteria.FirstOrDefault(c => c.CriterionId == criterionId)
                ?? throw new DomainException("That criterion does not belong to this element.");
            criterion.Set(answer);
        }

        var notes = (evidenceNotes ?? string.Empty).Trim();
        var links = evidenceLinks.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (notes != EvidenceNotes || !links.SequenceEqual(EvidenceLinks))
        {
            // Editing carried evidence is standing behind it for this cycle.
            EvidenceCarriedFrom = null;
        }

        EvidenceNotes = notes;
        EvidenceLinks = links;
        Priority = priority;
        LastEditedBy = editedBy ?? LastEditedBy;

        // The element is the unit of concurrency: a change to any of its criteria makes older copies stale.
        Touch();
    }

    /// <summary>What the element holds now, as the merge of concurrent edits compares it.</summary>
    public ElementState State => new(_criteria.ToDictionary(c => c.CriterionId, c => c.Answer), EvidenceNotes, [.. EvidenceLinks], Priority);

    /// <summary>Whether the element already holds exactly <paramref name="state"/> (notes compared as stored, trimmed).</summary>
    internal bool Holds(ElementState state) =>
        state.EvidenceNotes.Trim() == EvidenceNotes
        && state.Priority == Priority
        && state.EvidenceLinks.Select(l => l.Trim()).Where(l => l.Length > 0).SequenceEqual(EvidenceLinks)
        && _criteria.All(c => state.AnswerTo(c.CriterionId) == c.Answer)
        && state.Answers.Keys.All(id => _criteria.Any(c => c.CriterionId == id));

    public bool HasEvidence => EvidenceNotes.Length > 0 || EvidenceLinks.Count > 0;

    /// <summary>Someone confirmed that the evidence carried from the earlier cycle still holds.</summary>
    internal void ConfirmCarriedEvidence(string? confirmedBy)
    {
        if (EvidenceCarriedFrom is null)
        {
            return;
        }

        EvidenceCarriedFrom = null;
        LastEditedBy = confirmedBy ?? LastEditedBy;
        Touch();
    }

    internal List<(CriterionKind Kind, Answer Answer)> Answers() => _criteria.Select(c => (c.Kind, c.Answer)).ToList();
}

/// <summary>The answer to one criterion. Its kind is copied from the (immutable) framework version.</summary>
public class CriterionResponse : Entity, IAudited, IOrganizationOwned
{
    private CriterionResponse() { }

    internal CriterionResponse(ElementResponse element, Criterion criterion, Answer answer)
    {
        ElementResponseId = element.Id;
        OrganizationId = element.OrganizationId;
        CriterionId = criterion.Id;
        Criterion = criterion;
        Kind = criterion.Kind;
        Answer = answer;
    }

    public Guid ElementResponseId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid CriterionId { get; private set; }
    public Criterion? Criterion { get; private set; }
    public CriterionKind Kind { get; private set; }
    public Answer Answer { get; private set; }

    internal void Set(Answer answer) => Answer = answer;
}
