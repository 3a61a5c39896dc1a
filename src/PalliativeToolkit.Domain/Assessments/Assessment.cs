using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Domain.Assessments;

/// <summary>
/// An organization's self-assessment against one framework version for one cycle.
/// Lifecycle: draft → submitted → returned with feedback (editable again) or accepted. Each submission freezes a
/// <see cref="Submission"/> round; the working answers (<see cref="Elements"/>) stay private to the organization.
/// </summary>
public class Assessment : Entity, IAudited, IOrganizationOwned
{
    private readonly List<ElementResponse> _elements = [];
    private readonly List<Submission> _submissions = [];

    private Assessment() { Cycle = CreatedBy = string.Empty; }

    private Assessment(Guid organizationId, Guid frameworkVersionId, string cycle, Audience assessor, DateTime createdAt, string createdBy, Guid? previousAssessmentId)
    {
        OrganizationId = organizationId;
        FrameworkVersionId = frameworkVersionId;
        Cycle = cycle;
        Assessor = assessor;
        Status = AssessmentStatus.Draft;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
        PreviousAssessmentId = previousAssessmentId;
    }

    public Guid OrganizationId { get; private set; }
    public Organization? Organization { get; private set; }
    public Guid FrameworkVersionId { get; private set; }
    public FrameworkVersion? FrameworkVersion { get; private set; }
    public string Cycle { get; private set; }

    /// <summary>Whether the organization assesses as a plan or as a provider (decides which sections it covers).</summary>
    public Audience Assessor { get; private set; }

    /// <summary>
    /// The plan's model when it began this cycle's assessment, kept as it was: figures published as of a cycle's end group
    /// plans by it, so that moving a plan to another model later does not move the published figures (and give its standing away).
    /// </summary>
    public PlanModel PlanModel { get; private set; }
    public AssessmentStatus Status { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; }
    public DateTime? SubmittedAt { get; private set; }
    public string? SubmittedBy { get; private set; }
    public DateTime? ReviewedAt { get; private set; }
    public string? ReviewedBy { get; private set; }
    public Guid? PreviousAssessmentId { get; private set; }

    /// <summary>How many times the assessment has been submitted: the number of its latest round (0 before the first).</summary>
    public int Round { get; private set; }

    public IReadOnlyList<ElementResponse> Elements => _elements;

    /// <summary>The rounds loaded with the assessment (a command that reviews loads the current one).</summary>
    public IReadOnlyList<Submission> Submissions => _submissions;

    public bool IsEditable => Status is AssessmentStatus.Draft or AssessmentStatus.Returned;

    /// <summary>Whether the assessment has ever been submitted (and so is visible to statewide reviewers).</summary>
    public bool WasSubmitted => SubmittedAt is not null;

    /// <summary>
    /// Starts an assessment covering every element of <paramref name="framework"/> that the organization assesses.
    /// When <paramref name="previous"/> is given, answers, evidence and priorities are carried forward by criterion code.
    /// </summary>
    public static Assessment Start(Organization organization, FrameworkVersion framework, string cycle, DateTime now, string userId, Assessment? previous = null)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(framework);
        var reportingCycle = ReportingCycle.Parse(cycle);
        var assessor = organization.AssessesAs
            ?? throw new DomainException("Only managed care plans and palliative care providers complete self-assessments.");
        if (previous is not null && previous.OrganizationId != organization.Id)
        {
            throw new DomainException("An assessment can only be copied from the same organization's earlier cycle.");
        }

        if (previous is not null && !(ReportingCycle.Of(previous.Cycle) < reportingCycle))
        {
            throw new DomainException($"Answers can only be copied from an earlier cycle than {reportingCycle}.");
        }

        var assessment = new Assessment(organization.Id, framework.Id, reportingCycle.Label, assessor, now, userId, previous?.Id) { PlanModel = organization.PlanModel };
        var carried = previous?.Elements
            .Where(e => e.Element is not null)
            .ToDictionary(e => e.Element!.Code) ?? [];

        foreach (var element in framework.Sections.Where(s => s.IsAssessedBy(assessor)).SelectMany(s => s.Elements))
        {
            carried.TryGetValue(element.Code, out var before);
            assessment._elements.Add(ElementResponse.For(assessment, element, before, previous?.Cycle));
        }

        return assessment;
    }

    /// <summary>The assessment this one was copied from is being deleted (a draft): the link goes, the copied answers stay.</summary>
    public void ForgetPrevious() => PreviousAssessmentId = null;

    public void EnsureEditable()
    {
        if (!IsEditable)
        {
            throw new DomainException($"This assessment is {Status.Describe().ToLowerInvariant()} and can no longer be changed.");
        }
    }

    /// <summary>
    /// Records one element's answers, evidence and priority as the user left them. Refused when the assessment is not
    /// editable or the element is not part of it.
    /// </summary>
    public void RecordElement(Guid elementResponseId, IReadOnlyDictionary<Guid, Answer> answers, string evidenceNotes, IReadOnlyList<string> evidenceLinks, Priority priority, string? editedBy = null)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(evidenceLinks);
        EnsureEditable();
        var element = _elements.FirstOrDefault(e => e.Id == elementResponseId)
            ?? throw new DomainException("That element is not part of this assessment.");
        element.Record(answers, evidenceNotes, evidenceLinks, priority, editedBy);
    }

    /// <summary>
    /// Records one user's edit of an element made from the state <paramref name="base"/> their page showed, merged field by
    /// field with what others saved since (<see cref="ElementMerge"/>). Fields changed by both are left as saved and
    /// returned, with both versions, for the user to choose.
    /// </summary>
    public ElementConflicts MergeElement(Guid elementResponseId, ElementState @base, ElementState yours, string editedBy)
    {
        ArgumentNullException.ThrowIfNull(@base);
        ArgumentNullException.ThrowIfNull(yours);
        EnsureEditable();
        var element = _elements.FirstOrDefault(e => e.Id == elementResponseId)
            ?? throw new DomainException("That element is not part of this assessment.");
        var (merged, conflicts) = ElementMerge.Merge(@base, yours, element.State);
        if (merged.EvidenceLinks.Count > Limits.EvidenceLinks)
        {
            throw new DomainException(
                $"With the links someone else added meanwhile, this element would have {merged.EvidenceLinks.Count} evidence links; remove some first (at most {Limits.EvidenceLinks}).");
        }

        if (!element.Holds(merged))
        {
            // Only a real change is recorded: a save whose every change lost (or that changed nothing) leaves the
            // element, its version and its last editor as they were.
            element.Record(merged.Answers, merged.EvidenceNotes, merged.EvidenceLinks, merged.Priority, editedBy);
        }

        return conflicts;
    }

    /// <summary>Confirms that the evidence carried from the earlier cycle into one element still holds for this one.</summary>
    public void ConfirmCarriedEvidence(Guid elementResponseId, string? confirmedBy = null)
    {
        EnsureEditable();
        var element = _elements.FirstOrDefault(e => e.Id == elementResponseId)
            ?? throw new DomainException("That element is not part of this assessment.");
        element.ConfirmCarriedEvidence(confirmedBy);
    }

    /// <summary>Elements whose evidence was carried from the earlier cycle and nobody has confirmed or edited, as "A1 Title" lines.</summary>
    public IReadOnlyList<string> UnconfirmedCarriedEvidence() => Lines(_elements.Where(e => e.EvidenceCarriedFrom is not null));

    private static List<string> Lines(IEnumerable<ElementResponse> elements) =>
        elements.OrderBy(e => e.Element?.Section?.Order).ThenBy(e => e.Element?.Order)
            .Select(e => e.Element is null ? e.ElementId.ToString() : $"{e.Element.Code} {e.Element.Title}")
            .ToList();

    /// <summary>The elements that still need an answer to every minimum criterion, as "A1 Title" lines.</summary>
    public IReadOnlyList<string> MissingForSubmission() => Lines(_elements.Where(e => !e.IsAssessed));

    public void Submit(DateTime now, string userId)
    {
        EnsureEditable();
        var missing = MissingForSubmission();
        if (missing.Count > 0)
        {
            throw new DomainException(
                $"{missing.Count} element(s) still need an answer to every minimum criterion before this assessment can be submitted.",
                missing);
        }

        Round++;
        _submissions.Add(Submission.Freeze(this, Round, now, userId));
        Status = AssessmentStatus.Submitted;
        SubmittedAt = now;
        SubmittedBy = userId;
        ReviewedAt = null;
        ReviewedBy = null;
    }

    /// <summary>The round now under review or last reviewed, when it was loaded with the assessment.</summary>
    public Submission? CurrentSubmission => _submissions.FirstOrDefault(s => s.Round == Round);

    private Submission RoundUnderReview()
    {
        if (Status != AssessmentStatus.Submitted)
        {
            throw new DomainException("Only a submitted assessment can be reviewed.");
        }

        return CurrentSubmission
            ?? throw new InvalidOperationException($"Load round {Round} of assessment {Id} before reviewing it.");
    }

    /// <summary>A reviewer returns a submitted assessment with feedback; it becomes editable again.</summary>
    public void Return(DateTime now, string reviewerId, IReadOnlyCollection<(Guid? ElementId, string Text)> feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var round = RoundUnderReview();
        var items = feedback.Where(f => !string.IsNullOrWhiteSpace(f.Text)).ToList();
        if (items.Count == 0)
        {
            throw new DomainException("Write the feedback that explains why the assessment is returned.");
        }

        round.Return(now, reviewerId, items);
        Status = AssessmentStatus.Returned;
        ReviewedAt = now;
        ReviewedBy = reviewerId;
    }

    public void Accept(DateTime now, string reviewerId)
    {
        RoundUnderReview().Accept(now, reviewerId);
        Status = AssessmentStatus.Accepted;
        ReviewedAt = now;
        ReviewedBy = reviewerId;
    }

    /// <summary>
    /// Refuses unless the assessment may be deleted: a draft never submitted. Anything a reviewer could have seen is kept.
    /// </summary>
    public void EnsureDeletable()
    {
        if (Status != AssessmentStatus.Draft || Round > 0)
        {
            throw new DomainException(
                $"Only a draft that was never submitted can be deleted; this assessment is {Status.Describe().ToLowerInvariant()}"
                + (Round > 0 && Status == AssessmentStatus.Draft ? " and was submitted before." : "."));
        }
    }

    /// <summary>
    /// The organization takes back a submission no reviewer has acted on: the round is kept, marked withdrawn, and the
    /// assessment is editable again — returned when an earlier round was returned (its feedback still applies), else a
    /// draft. Needs every round loaded.
    /// </summary>
    public void Withdraw(DateTime now, string userId)
    {
        if (Status != AssessmentStatus.Submitted)
        {
            throw new DomainException("Only a submitted assessment that no reviewer has acted on can be withdrawn.");
        }

        if (_submissions.Count != Round)
        {
            throw new InvalidOperationException($"Load every round of assessment {Id} before withdrawing it.");
        }

        CurrentSubmission!.Withdraw(now, userId);
        var standing = _submissions.Where(s => s.Decision != Decision.Withdrawn).MaxBy(s => s.Round);
        Status = standing?.Decision == Decision.Returned ? AssessmentStatus.Returned : AssessmentStatus.Draft;
        SubmittedAt = standing?.SubmittedAt;
        SubmittedBy = standing?.SubmittedBy;
        ReviewedAt = standing?.DecidedAt;
        ReviewedBy = standing?.DecidedBy;
    }

    public Progress Progress() => Scoring.Summarize(_elements.Select(e => e.Level), _elements.Select(e => e.IsAssessed));

    public Progress ProgressOf(string sectionCode) =>
        Scoring.Summarize(
            _elements.Where(e => e.Element?.Section?.Code == sectionCode).Select(e => e.Level),
            _elements.Where(e => e.Element?.Section?.Code == sectionCode).Select(e => e.IsAssessed));
}
