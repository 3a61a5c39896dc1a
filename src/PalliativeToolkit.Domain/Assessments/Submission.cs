using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Domain.Assessments;

/// <summary>What a reviewer decided about a round.</summary>
public enum Decision
{
    Pending,
    Returned,
    Accepted,

    /// <summary>The organization took the round back before any reviewer acted on it.</summary>
    Withdrawn,
}

/// <summary>
/// One round of review: the assessment frozen as it was submitted (answers, evidence, priorities). Reviewers, reports
/// and statewide figures read rounds, never the organization's working draft, and feedback belongs to a round.
/// </summary>
public class Submission : Entity, IAudited, IOrganizationOwned
{
    private readonly List<SubmittedElement> _elements = [];
    private readonly List<Feedback> _feedback = [];

    private Submission() { SubmittedBy = string.Empty; }

    private Submission(Assessment assessment, int round, DateTime submittedAt, string submittedBy)
    {
        AssessmentId = assessment.Id;
        OrganizationId = assessment.OrganizationId;
        Round = round;
        SubmittedAt = submittedAt;
        SubmittedBy = submittedBy;
        Decision = Decision.Pending;
    }

    public Guid AssessmentId { get; private set; }
    public Guid OrganizationId { get; private set; }

    /// <summary>1 for the first submission of the assessment, 2 after it was returned and submitted again, and so on.</summary>
    public int Round { get; private set; }
    public DateTime SubmittedAt { get; private set; }
    public string SubmittedBy { get; private set; }
    public Decision Decision { get; private set; }
    public DateTime? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }

    public IReadOnlyList<SubmittedElement> Elements => _elements;
    public IReadOnlyList<Feedback> Feedback => _feedback;

    internal static Submission Freeze(Assessment assessment, int round, DateTime now, string userId)
    {
        var submission = new Submission(assessment, round, now, userId);
        foreach (var element in assessment.Elements)
        {
            submission._elements.Add(new SubmittedElement(submission, element));
        }

        return submission;
    }

    internal void Return(DateTime now, string reviewerId, IReadOnlyCollection<(Guid? ElementId, string Text)> feedback)
    {
        foreach (var (elementId, text) in feedback)
        {
            if (elementId is not null && _elements.All(e => e.ElementId != elementId))
            {
                throw new DomainException("Feedback can only concern an element of this assessment.");
            }

            _feedback.Add(new Feedback(this, elementId, text.Trim(), reviewerId, now));
        }

        Decide(Decision.Returned, now, reviewerId);
    }

    internal void Accept(DateTime now, string reviewerId) => Decide(Decision.Accepted, now, reviewerId);

    internal void Withdraw(DateTime now, string userId)
    {
        if (Decision != Decision.Pending)
        {
            throw new DomainException("A reviewer has already acted on this submission; it can no longer be withdrawn.");
        }

        Decision = Decision.Withdrawn;
        DecidedAt = now;
        DecidedBy = userId;
    }

    private void Decide(Decision decision, DateTime now, string reviewerId)
    {
        if (Decision != Decision.Pending)
        {
            throw new DomainException("This round has already been reviewed.");
        }

        Decision = decision;
        DecidedAt = now;
        DecidedBy = reviewerId;
    }
}

/// <summary>One element of a submitted round, frozen: its answers, evidence and priority. Its level is derived.</summary>
public class SubmittedElement : Entity, IOrganizationOwned
{
    private readonly List<SubmittedAnswer> _answers = [];

    private SubmittedElement() { EvidenceNotes = string.Empty; }

    internal SubmittedElement(Submission submission, ElementResponse response)
    {
        SubmissionId = submission.Id;
        OrganizationId = submission.OrganizationId;
        ElementId = response.ElementId;
        EvidenceNotes = response.EvidenceNotes;
        EvidenceLinks = [.. response.EvidenceLinks];
        Priority = response.Priority;
        foreach (var criterion in response.Criteria)
        {
            _answers.Add(new SubmittedAnswer(this, criterion));
        }
    }

    public Guid SubmissionId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid ElementId { get; private set; }
    public string EvidenceNotes { get; private set; }
    public IReadOnlyList<string> EvidenceLinks { get; private set; } = [];
    public Priority Priority { get; private set; }

    public IReadOnlyList<SubmittedAnswer> Answers => _answers;

    public Level Level => Scoring.LevelOf(_answers.Select(a => (a.Kind, a.Answer)).ToList());
}

/// <summary>A criterion's answer as it was submitted.</summary>
public class SubmittedAnswer : IOrganizationOwned
{
    private SubmittedAnswer() { }

    internal SubmittedAnswer(SubmittedElement element, CriterionResponse response)
    {
        SubmittedElementId = element.Id;
        OrganizationId = element.OrganizationId;
        CriterionId = response.CriterionId;
        Kind = response.Kind;
        Answer = response.Answer;
    }

    public Guid SubmittedElementId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid CriterionId { get; private set; }
    public CriterionKind Kind { get; private set; }
    public Answer Answer { get; private set; }
}

/// <summary>A reviewer's feedback on a returned round, on the whole assessment or on one element.</summary>
public class Feedback : Entity, IAudited, IOrganizationOwned
{
    private Feedback() { Text = AuthorId = string.Empty; }

    internal Feedback(Submission submission, Guid? elementId, string text, string authorId, DateTime createdAt)
    {
        SubmissionId = submission.Id;
        OrganizationId = submission.OrganizationId;
        ElementId = elementId;
        Text = text;
        AuthorId = authorId;
        CreatedAt = createdAt;
    }

    public Guid SubmissionId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid? ElementId { get; private set; }
    public string Text { get; private set; }
    public string AuthorId { get; private set; }
    public DateTime CreatedAt { get; private set; }
}
