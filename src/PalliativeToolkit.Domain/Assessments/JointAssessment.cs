using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Domain.Assessments;

/// <summary>
/// Section E, assessed by a plan and one of its active provider partners together for a cycle. Each side answers every
/// criterion and writes its own notes, so where they see the partnership differently both views stand side by side.
/// Every change is kept (who, from which side, what). Either side's manager submits once both sides marked it ready;
/// a change after a side marked it ready takes both marks back.
/// </summary>
public class JointAssessment : Entity, IAudited
{
    private readonly List<JointAnswer> _answers = [];
    private readonly List<JointNote> _notes = [];
    private readonly List<JointChange> _changes = [];

    private JointAssessment() { Cycle = CreatedBy = string.Empty; }

    private JointAssessment(Partnership partnership, Guid frameworkVersionId, string cycle, DateTime now, string userId)
    {
        PartnershipId = partnership.Id;
        PlanOrganizationId = partnership.PlanOrganizationId;
        ProviderOrganizationId = partnership.ProviderOrganizationId;
        FrameworkVersionId = frameworkVersionId;
        Cycle = cycle;
        CreatedAt = now;
        CreatedBy = userId;
    }

    public Guid PartnershipId { get; private set; }
    public Guid PlanOrganizationId { get; private set; }
    public Guid ProviderOrganizationId { get; private set; }
    public Guid FrameworkVersionId { get; private set; }
    public string Cycle { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; }
    public DateTime? PlanReadyAt { get; private set; }
    public string? PlanReadyBy { get; private set; }
    public DateTime? ProviderReadyAt { get; private set; }
    public string? ProviderReadyBy { get; private set; }
    public DateTime? SubmittedAt { get; private set; }
    public string? SubmittedBy { get; private set; }

    public bool IsSubmitted => SubmittedAt is not null;

    public IReadOnlyList<JointAnswer> Answers => _answers;
    public IReadOnlyList<JointNote> Notes => _notes;

    /// <summary>Every change, oldest first (as loaded: a command loads the latest only, to extend a run of notes edits).</summary>
    public IReadOnlyList<JointChange> Changes => _changes;

    /// <summary>Starts the joint assessment of the framework's joint section(s) for an active partnership, every answer open.</summary>
    public static JointAssessment Start(Partnership partnership, FrameworkVersion framework, string cycle, DateTime now, string userId)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        ArgumentNullException.ThrowIfNull(framework);
        if (!partnership.IsActive)
        {
            throw new DomainException("A joint assessment is run with an active partner.");
        }

        var reportingCycle = ReportingCycle.Parse(cycle);
        var joint = new JointAssessment(partnership, framework.Id, reportingCycle.Label, now, userId);
        foreach (var criterion in framework.Sections.Where(s => s.Audience == Audience.Joint).SelectMany(s => s.Elements).SelectMany(e => e.Criteria))
        {
            foreach (var side in Enum.GetValues<PartnerSide>())
            {
                joint._answers.Add(new JointAnswer(joint, criterion, side));
            }
        }

        if (joint._answers.Count == 0)
        {
            throw new DomainException("This framework version has no section to assess together.");
        }

        return joint;
    }

    /// <summary>
    /// One side's answer to a criterion, changed from what the person saw (<paramref name="from"/>). Answers whether it
    /// changed: false when someone of that side changed it meanwhile (nothing is overwritten; the page reads again).
    /// </summary>
    public bool Answer(PartnerSide side, Guid criterionId, Answer from, Answer to, DateTime now, string userId, string what)
    {
        EnsureOpen();
        var answer = _answers.FirstOrDefault(a => a.CriterionId == criterionId && a.Side == side)
            ?? throw new DomainException("That criterion is not part of this joint assessment.");
        if (answer.Answer != from)
        {
            return false;
        }

        if (from == to)
        {
            return true;
        }

        answer.Set(to, now, userId);
        Changed(side, answer.ElementId, now, userId, what);
        return true;
    }

    /// <summary>One side's notes on an element, changed from what the person saw; false when they changed meanwhile.</summary>
    public bool WriteNotes(PartnerSide side, Guid elementId, string from, string to, DateTime now, string userId, string what)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        EnsureOpen();
        if (_answers.All(a => a.ElementId != elementId))
        {
            throw new DomainException("That element is not part of this joint assessment.");
        }

        var note = _notes.FirstOrDefault(n => n.ElementId == elementId && n.Side == side);
        if ((note?.Text ?? string.Empty) != from)
        {
            return false;
        }

        if (from == to)
        {
            return true;
        }

        if (note is null)
        {
            note = new JointNote(this, elementId, side);
            _notes.Add(note);
        }

        note.Set(to, now, userId);

        // Notes are saved as they are typed: one person's run of edits to one element's notes is one entry of the history.
        var last = _changes.Count > 0 ? _changes[^1] : null;
        if (last is not null && last.By == userId && last.Side == side && last.ElementId == elementId && last.What == what
            && now - last.At < NotesEditRun && PlanReadyAt is null && ProviderReadyAt is null)
        {
            last.Extend(now);
            Touch();
            return true;
        }

        Changed(side, elementId, now, userId, what);
        return true;
    }

    /// <summary>How long after one edit of notes the next by the same person still belongs to the same history entry.</summary>
    public static readonly TimeSpan NotesEditRun = TimeSpan.FromMinutes(10);

    /// <summary>A side says its view is complete. Needs every minimum criterion answered by that side.</summary>
    public void MarkReady(PartnerSide side, DateTime now, string userId)
    {
        EnsureOpen();
        var open = _answers.Count(a => a.Side == side && a.Kind == CriterionKind.Minimum && a.Answer == Assessments.Answer.Open);
        if (open > 0)
        {
            throw new DomainException(open == 1
                ? $"1 minimum criterion still needs the {side.Describe().ToLowerInvariant()}'s answer before it can mark this ready."
                : $"{open} minimum criteria still need the {side.Describe().ToLowerInvariant()}'s answer before it can mark this ready.");
        }

        if (side == PartnerSide.Plan)
        {
            (PlanReadyAt, PlanReadyBy) = (now, userId);
        }
        else
        {
            (ProviderReadyAt, ProviderReadyBy) = (now, userId);
        }

        _changes.Add(new JointChange(this, side, null, now, userId, "marked it ready"));
        Touch();
    }

    /// <summary>A side takes its ready mark back.</summary>
    public void Unready(PartnerSide side, DateTime now, string userId)
    {
        EnsureOpen();
        if (ReadyAt(side) is null)
        {
            return;
        }

        ClearReady(side);
        _changes.Add(new JointChange(this, side, null, now, userId, "took back its ready mark"));
        Touch();
    }

    public DateTime? ReadyAt(PartnerSide side) => side == PartnerSide.Plan ? PlanReadyAt : ProviderReadyAt;

    /// <summary>Submits the joint view for review: only once both sides marked it ready.</summary>
    public void Submit(PartnerSide side, DateTime now, string userId)
    {
        EnsureOpen();
        if (PlanReadyAt is null || ProviderReadyAt is null)
        {
            throw new DomainException("Both the plan and the provider must mark the joint assessment ready before it is submitted.");
        }

        SubmittedAt = now;
        SubmittedBy = userId;
        _changes.Add(new JointChange(this, side, null, now, userId, "submitted it"));
        Touch();
    }

    /// <summary>The criteria the two sides answered differently (both answered), by criterion id.</summary>
    public IReadOnlyList<Guid> Disagreements() =>
        _answers.GroupBy(a => a.CriterionId)
            .Where(g => g.Select(a => a.Answer).Distinct().Count() > 1 && g.All(a => a.Answer != Assessments.Answer.Open))
            .Select(g => g.Key)
            .ToList();

    private void Changed(PartnerSide side, Guid elementId, DateTime now, string userId, string what)
    {
        var hadMarks = PlanReadyAt is not null || ProviderReadyAt is not null;
        ClearReady(PartnerSide.Plan);
        ClearReady(PartnerSide.Provider);
        _changes.Add(new JointChange(this, side, elementId, now, userId, hadMarks ? $"{what} (ready marks taken back)" : what));
        Touch();
    }

    private void ClearReady(PartnerSide side)
    {
        if (side == PartnerSide.Plan)
        {
            (PlanReadyAt, PlanReadyBy) = (null, null);
        }
        else
        {
            (ProviderReadyAt, ProviderReadyBy) = (null, null);
        }
    }

    private void EnsureOpen()
    {
        if (IsSubmitted)
        {
            throw new DomainException("This joint assessment was submitted and can no longer be changed.");
        }
    }
}

/// <summary>One side's answer to one criterion of a joint assessment.</summary>
public class JointAnswer : Entity, IAudited
{
    private JointAnswer() { }

    internal JointAnswer(JointAssessment joint, Criterion criterion, PartnerSide side)
    {
        JointAssessmentId = joint.Id;
        PlanOrganizationId = joint.PlanOrganizationId;
        ProviderOrganizationId = joint.ProviderOrganizationId;
        ElementId = criterion.ElementId;
        CriterionId = criterion.Id;
        Kind = criterion.Kind;
        Side = side;
        Answer = Answer.Open;
    }

    public Guid JointAssessmentId { get; private set; }
    public Guid PlanOrganizationId { get; private set; }
    public Guid ProviderOrganizationId { get; private set; }
    public Guid ElementId { get; private set; }
    public Guid CriterionId { get; private set; }
    public CriterionKind Kind { get; private set; }
    public PartnerSide Side { get; private set; }
    public Answer Answer { get; private set; }
    public DateTime? ChangedAt { get; private set; }
    public string? ChangedBy { get; private set; }

    internal void Set(Answer answer, DateTime now, string userId)
    {
        if (!Enum.IsDefined(answer))
        {
            throw new DomainException("Choose met, not met or open.");
        }

        Answer = answer;
        ChangedAt = now;
        ChangedBy = userId;
    }
}

/// <summary>One side's notes on one element of a joint assessment.</summary>
public class JointNote : Entity, IAudited
{
    private JointNote() { Text = string.Empty; }

    internal JointNote(JointAssessment joint, Guid elementId, PartnerSide side)
    {
        JointAssessmentId = joint.Id;
        PlanOrganizationId = joint.PlanOrganizationId;
        ProviderOrganizationId = joint.ProviderOrganizationId;
        ElementId = elementId;
        Side = side;
        Text = string.Empty;
    }

    public Guid JointAssessmentId { get; private set; }
    public Guid PlanOrganizationId { get; private set; }
    public Guid ProviderOrganizationId { get; private set; }
    public Guid ElementId { get; private set; }
    public PartnerSide Side { get; private set; }
    public string Text { get; private set; }
    public DateTime? ChangedAt { get; private set; }
    public string? ChangedBy { get; private set; }

    internal void Set(string text, DateTime now, string userId)
    {
        if (text.Length > Limits.EvidenceNotes)
        {
            throw new DomainException($"Notes can be at most {Limits.EvidenceNotes} characters.");
        }

        Text = text;
        ChangedAt = now;
        ChangedBy = userId;
    }
}

/// <summary>One change to a joint assessment: when, who, from which side, on which element (if any), and what.</summary>
public class JointChange : Entity
{
    private JointChange() { By = What = string.Empty; }

    internal JointChange(JointAssessment joint, PartnerSide side, Guid? elementId, DateTime at, string by, string what)
    {
        JointAssessmentId = joint.Id;
        PlanOrganizationId = joint.PlanOrganizationId;
        ProviderOrganizationId = joint.ProviderOrganizationId;
        Side = side;
        ElementId = elementId;
        At = at;
        By = by;
        What = what;
    }

    public Guid JointAssessmentId { get; private set; }
    public Guid PlanOrganizationId { get; private set; }
    public Guid ProviderOrganizationId { get; private set; }
    public PartnerSide Side { get; private set; }
    public Guid? ElementId { get; private set; }
    public DateTime At { get; private set; }
    public string By { get; private set; }
    public string What { get; private set; }

    internal void Extend(DateTime at) => At = at;
}
