using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Domain.Assessments;

/// <summary>An assessment's answer for one essential element: criteria answers, evidence and priority. Its level is derived.</summary>
public class ElementResponse : Entity, IAudited
{
    private readonly List<CriterionResponse> _criteria = [];

    private ElementResponse() { EvidenceNotes = string.Empty; }

    private ElementResponse(Guid assessmentId, Element element)
    {
        AssessmentId = assessmentId;
        ElementId = element.Id;
        Element = element;
        EvidenceNotes = string.Empty;
    }

    public Guid AssessmentId { get; private set; }
    public Guid ElementId { get; private set; }
    public Element? Element { get; private set; }
    public string EvidenceNotes { get; private set; }
    public List<string> EvidenceLinks { get; private set; } = [];
    public Priority Priority { get; private set; }

    public IReadOnlyList<CriterionResponse> Criteria => _criteria;

    public Level Level => Scoring.LevelOf(Answers());

    public bool IsAssessed => Scoring.IsAssessed(Answers());

    /// <summary>Enhancements adopted (k) out of those offered (n), shown beside "meets enhancement".</summary>
    public (int Adopted, int Offered) Enhancements =>
        (_criteria.Count(c => c.Kind == CriterionKind.Enhancement && c.Answer == Answer.Met),
         _criteria.Count(c => c.Kind == CriterionKind.Enhancement));

    internal static ElementResponse For(Guid assessmentId, Element element, ElementResponse? before)
    {
        var response = new ElementResponse(assessmentId, element);
        var previousAnswers = before?.Criteria
            .Where(c => c.Criterion is not null)
            .ToDictionary(c => c.Criterion!.Code, c => c.Answer) ?? [];
        foreach (var criterion in element.Criteria)
        {
            var answer = previousAnswers.GetValueOrDefault(criterion.Code, Answer.Open);
            response._criteria.Add(new CriterionResponse(response.Id, criterion, answer));
        }

        if (before is not null)
        {
            response.EvidenceNotes = before.EvidenceNotes;
            response.EvidenceLinks = [.. before.EvidenceLinks];
            response.Priority = before.Priority;
        }

        return response;
    }

    /// <summary>Records the element's state as the user left it. The caller has checked the assessment is editable.</summary>
    public void Record(IReadOnlyDictionary<Guid, Answer> answers, string evidenceNotes, IReadOnlyList<string> evidenceLinks, Priority priority)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(evidenceLinks);
        foreach (var (criterionId, answer) in answers)
        {
            var criterion = _criteria.FirstOrDefault(c => c.CriterionId == criterionId)
                ?? throw new DomainException("That criterion does not belong to this element.");
            criterion.Set(answer);
        }

        EvidenceNotes = evidenceNotes.Trim();
        EvidenceLinks = evidenceLinks.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        Priority = priority;

        // The element is the unit of concurrency: a change to any of its criteria makes older copies stale.
        RenewVersion();
    }

    private List<(CriterionKind, Answer)> Answers() => _criteria.Select(c => (c.Kind, c.Answer)).ToList();
}

/// <summary>The answer to one criterion. Its kind is copied from the (immutable) framework version.</summary>
public class CriterionResponse : Entity, IAudited
{
    private CriterionResponse() { }

    internal CriterionResponse(Guid elementResponseId, Criterion criterion, Answer answer)
    {
        ElementResponseId = elementResponseId;
        CriterionId = criterion.Id;
        Criterion = criterion;
        Kind = criterion.Kind;
        Answer = answer;
    }

    public Guid ElementResponseId { get; private set; }
    public Guid CriterionId { get; private set; }
    public Criterion? Criterion { get; private set; }
    public CriterionKind Kind { get; private set; }
    public Answer Answer { get; private set; }

    internal void Set(Answer answer) => Answer = answer;
}

/// <summary>A reviewer's feedback on a returned assessment, on the whole or on one element.</summary>
public class Feedback : Entity, IAudited
{
    private Feedback() { Text = AuthorId = string.Empty; }

    internal Feedback(Guid assessmentId, Guid? elementId, string text, string authorId, DateTime createdAt)
    {
        AssessmentId = assessmentId;
        ElementId = elementId;
        Text = text;
        AuthorId = authorId;
        CreatedAt = createdAt;
    }

    public Guid AssessmentId { get; private set; }
    public Guid? ElementId { get; private set; }
    public string Text { get; private set; }
    public string AuthorId { get; private set; }
    public DateTime CreatedAt { get; private set; }
}
