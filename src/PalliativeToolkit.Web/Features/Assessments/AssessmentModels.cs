using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Web.Features.Live;

namespace PalliativeToolkit.Web.Features.Assessments;

public sealed record AssessmentListItem(
    Guid Id, Guid OrganizationId, string OrganizationName, string Cycle, string FrameworkLabel, AssessmentStatus Status, Progress Progress, DateTime CreatedAt);

/// <summary>An organization the user may start an assessment for, with its assessments (to name the one a new cycle copies).</summary>
public sealed record StartableOrganization(Guid Id, string Name, IReadOnlyList<CycleCandidate> Assessments)
{
    public IEnumerable<string> ExistingCycles => Assessments.Select(a => a.Cycle);

    /// <summary>The assessment "start from the previous cycle's answers" copies for <paramref name="cycle"/>, or none.</summary>
    public CycleCandidate? CopiedFor(string cycle) => PreviousCycle.Choose(cycle, Assessments);
}

public sealed record AssessmentListView(IReadOnlyList<AssessmentListItem> Assessments, IReadOnlyList<StartableOrganization> CanStartFor);

public sealed record ResourceView(string Title, string Format, string Publisher, string Description, string Url, Provenance Provenance);

/// <summary>A criterion of the framework, as the guide states it. Shared by every open page (framework versions never change).</summary>
public sealed record CriterionDefinition(Guid Id, string Code, CriterionKind Kind, string Text, Provenance Provenance, string? AplReference)
{
    /// <summary>The id of the element that names the criterion (its text), for the answer control's aria-labelledby.</summary>
    public string TextId { get; } = $"text-{Code}";

    /// <summary>The id of the element that states its answer, for aria-describedby.</summary>
    public string AnswerId { get; } = $"answer-{Code}";
}

/// <summary>An essential element of the framework: its texts, criteria and Tools and Links. Shared by every open page.</summary>
public sealed record ElementDefinition(
    Guid Id, string SectionCode, string Code, string Title, string Description, Provenance Provenance, string MinimumText, string EnhancementText,
    IReadOnlyList<CriterionDefinition> Criteria, IReadOnlyList<ResourceView> Resources)
{
    private ElementMarkup? _markup;

    /// <summary>The element's unchanging text as HTML, built once and shared by every page that shows it.</summary>
    public ElementMarkup Markup => _markup ??= new ElementMarkup(this);
}

public sealed record SectionDefinition(
    string Code, string Title, string Summary, Audience Audience, string ProgressNote, IReadOnlyList<ElementDefinition> Elements);

/// <summary>One framework version, read once and cached: what every assessment page of that version shows of the guide.</summary>
public sealed record FrameworkView(Guid Id, string Label, string Title, IReadOnlyList<SectionDefinition> Sections)
{
    public IReadOnlyDictionary<Guid, ElementDefinition> ElementsById { get; } =
        Sections.SelectMany(s => s.Elements).ToDictionary(e => e.Id);
}

/// <summary>
/// One element of an assessment on a page: the shared definition, and this assessment's answers, evidence and priority
/// (which the element card changes as the user works).
/// </summary>
public sealed class ElementView
{
    public ElementView(ElementDefinition definition, Guid responseId, IReadOnlyDictionary<Guid, Answer> answers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(answers);
        Definition = definition;
        ElementResponseId = responseId;
        Answers = definition.Criteria.ToDictionary(c => c.Id, c => answers.GetValueOrDefault(c.Id, Answer.Open));
    }

    public ElementDefinition Definition { get; }

    /// <summary>The working element response (or, on a submitted round, the submitted element).</summary>
    public Guid ElementResponseId { get; }

    public Dictionary<Guid, Answer> Answers { get; }
    /// <summary>The reviewer's feedback on this element in the round that applies now.</summary>
    public IReadOnlyList<string> Feedback { get; set; } = [];
    public string EvidenceNotes { get; set; } = string.Empty;
    public List<string> EvidenceLinks { get; init; } = [];
    public Priority Priority { get; set; }
    public Guid Version { get; set; }

    /// <summary>The earlier cycle whose evidence was copied here and is not yet confirmed or edited, or null.</summary>
    public string? EvidenceCarriedFrom { get; set; }

    /// <summary>The element as the previous cycle submitted it, when there is a previous cycle that had it.</summary>
    public PreviousElementView? Previous { get; init; }

    public string Code => Definition.Code;
    public Guid ElementId => Definition.Id;

    public Answer AnswerTo(Guid criterionId) => Answers.GetValueOrDefault(criterionId, Answer.Open);

    private List<(CriterionKind, Answer)> KindsAndAnswers => Definition.Criteria.Select(c => (c.Kind, AnswerTo(c.Id))).ToList();

    public Level Level => Scoring.LevelOf(KindsAndAnswers);
    public bool IsAssessed => Scoring.IsAssessed(KindsAndAnswers);
    public (int Adopted, int Offered) Enhancements => Scoring.Enhancements(KindsAndAnswers);

    private IEnumerable<(string Code, Answer Answer)> AnswersByCode => Definition.Criteria.Select(c => (c.Code, AnswerTo(c.Id)));

    /// <summary>How the element moved since the previous cycle (<see cref="LevelChange.New"/> without one).</summary>
    public LevelChange Change => CycleChange.Of(Previous?.Answers.Level, Level, IsAssessed);

    /// <summary>Criteria met now and not in the previous cycle, as their definitions.</summary>
    public IReadOnlyList<CriterionDefinition> Gained => Previous is null ? [] : ByCode(CycleChange.Gained(Previous.Answers, AnswersByCode));

    /// <summary>Criteria met in the previous cycle and not now.</summary>
    public IReadOnlyList<CriterionDefinition> Lost => Previous is null ? [] : ByCode(CycleChange.Lost(Previous.Answers, AnswersByCode));

    private List<CriterionDefinition> ByCode(IReadOnlyList<string> codes) => Definition.Criteria.Where(c => codes.Contains(c.Code)).ToList();

    // What the server last had, as far as this page knows: the base a save is merged from (see ElementMerge). A field
    // in conflict keeps its older base until the user chooses, so that their version is never applied over the other.
    private Dictionary<Guid, Answer> _baseAnswers = [];
    private string _baseNotes = string.Empty;
    private List<string> _baseLinks = [];
    private Priority _basePriority;
    private readonly Dictionary<Guid, FieldConflict<Answer>> _answerConflicts = [];

    /// <summary>Who last changed the element from another page, and what, while this page was open.</summary>
    public string? RemoteNote { get; set; }

    /// <summary>Who last changed the element from another page, by name (a conflict then names them).</summary>
    public string? RemoteAuthor { get; set; }

    /// <summary>The element as this page last had it from the server.</summary>
    public ElementState Base => new(new Dictionary<Guid, Answer>(_baseAnswers), _baseNotes, [.. _baseLinks], _basePriority);

    /// <summary>The element as the user has it on the page now.</summary>
    public ElementState Current => new(new Dictionary<Guid, Answer>(Answers), EvidenceNotes, [.. EvidenceLinks], Priority);

    /// <summary>Criteria someone else answered differently while this user changed them: the saved answer and theirs.</summary>
    public IReadOnlyDictionary<Guid, FieldConflict<Answer>> AnswerConflicts => _answerConflicts;

    /// <summary>The notes, when someone else changed them differently while this user did.</summary>
    public FieldConflict<string>? NotesConflict { get; private set; }

    /// <summary>The priority, when someone else set it differently while this user did.</summary>
    public FieldConflict<Priority>? PriorityConflict { get; private set; }

    /// <summary>Who saved the other version, when known.</summary>
    public string? ConflictAuthor { get; private set; }

    public bool HasConflicts => _answerConflicts.Count > 0 || NotesConflict is not null || PriorityConflict is not null;

    /// <summary>Takes what was just loaded as the state the server has.</summary>
    public ElementView Loaded()
    {
        _baseAnswers = new Dictionary<Guid, Answer>(Answers);
        _baseNotes = EvidenceNotes;
        _baseLinks = [.. EvidenceLinks];
        _basePriority = Priority;
        return this;
    }

    /// <summary>How long after the user last changed a field a live update leaves it alone (their keystrokes may still be on the way).</summary>
    public static readonly TimeSpan QuietAfterEditing = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, long> _editedAt = [];

    /// <summary>A save of this element is on its way to the server (set by the card).</summary>
    public bool SaveInFlight { get; set; }

    /// <summary>Someone else changed the element while a save was on its way: the card reads it again once the save is back.</summary>
    public bool RemoteMissed { get; set; }

    /// <summary>The user changed a field: a live update leaves it alone for a while (<see cref="QuietAfterEditing"/>).</summary>
    public void Edited(string field) => _editedAt[field] = System.Diagnostics.Stopwatch.GetTimestamp();

    public static string AnswerField(Guid criterionId) => $"answer:{criterionId}";

    public const string NotesField = "notes";
    public const string LinksField = "links";
    public const string PriorityField = "priority";

    private bool RecentlyEdited(string field) =>
        _editedAt.TryGetValue(field, out var at) && System.Diagnostics.Stopwatch.GetElapsedTime(at) < QuietAfterEditing;

    /// <summary>Whether a live update leaves the field alone for now because it was just edited; it is then read again later.</summary>
    private bool Quiet(string field)
    {
        var quiet = RecentlyEdited(field);
        RemoteDeferred |= quiet;
        return quiet;
    }

    /// <summary>The last live update left a just-edited field alone: the page reads the element again once it is quiet.</summary>
    public bool RemoteDeferred { get; private set; }

    /// <summary>
    /// A save of <paramref name="sent"/> came back. For each field:
    /// <list type="bullet">
    /// <item>in conflict: the user's value stays beside the saved one, and the base stays where it was, so that a later
    /// save cannot apply theirs over the other's before they choose;</item>
    /// <item>not changed by the user since sending: it shows the saved value (which includes what others saved);</item>
    /// <item>changed since sending: the user's value stays; the base moves to the saved value only when what was sent is
    /// what was saved (their new change builds on it), else it stays, so the next save merges against the older base
    /// and reports a conflict rather than overwrite what someone else saved meanwhile;</item>
    /// <item>links: the user's additions and removals since sending are replayed on the saved list.</item>
    /// </list>
    /// </summary>
    public void Saved(ElementState sent, ElementSaved result)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(result);
        var saved = result.Saved;
        var conflicts = result.Conflicts;
        Version = result.Version;
        ConflictAuthor = result.ConflictingAuthor ?? (conflicts.Any ? ConflictAuthor : null);
        foreach (var criterion in Answers.Keys.ToList())
        {
            if (conflicts.Answers.TryGetValue(criterion, out var conflict))
            {
                _answerConflicts[criterion] = conflict;
                continue;
            }

            _answerConflicts.Remove(criterion);
            var (value, @base) = Settle(Answers[criterion], sent.AnswerTo(criterion), saved.AnswerTo(criterion), _baseAnswers.GetValueOrDefault(criterion), (a, b) => a == b);
            (Answers[criterion], _baseAnswers[criterion]) = (value, @base);
        }

        NotesConflict = conflicts.EvidenceNotes;
        if (NotesConflict is null)
        {
            var (value, @base) = Settle(EvidenceNotes, sent.EvidenceNotes, saved.EvidenceNotes, _baseNotes, SameNotes);
            (EvidenceNotes, _baseNotes) = (SameNotes(value, EvidenceNotes) ? EvidenceNotes : value, @base);
        }

        PriorityConflict = conflicts.Priority;
        if (PriorityConflict is null)
        {
            (Priority, _basePriority) = Settle(Priority, sent.Priority, saved.Priority, _basePriority, (a, b) => a == b);
        }

        var added = EvidenceLinks.Except(sent.EvidenceLinks, StringComparer.Ordinal).ToList();
        var removed = sent.EvidenceLinks.Except(EvidenceLinks, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var links = saved.EvidenceLinks.Where(l => !removed.Contains(l)).Concat(added).Distinct(StringComparer.Ordinal).ToList();
        EvidenceLinks.Clear();
        EvidenceLinks.AddRange(links);
        _baseLinks = [.. saved.EvidenceLinks];
    }

    /// <summary>
    /// One field's conflict after someone saved <paramref name="saved"/>: unchanged when that is the side already shown;
    /// over when it is the user's own value (which becomes the base); else showing it as the saved side, the base kept.
    /// </summary>
    private static (FieldConflict<T>? Conflict, T Base) Follow<T>(FieldConflict<T> conflict, T saved, T mine, T @base, Func<T, T, bool> same, ref bool changed)
    {
        if (same(conflict.Saved, saved))
        {
            return (conflict, @base);
        }

        changed = true;
        return same(mine, saved) ? (null, saved) : (conflict with { Saved = saved }, @base);
    }

    /// <summary>Notes compare as stored (trimmed): a trailing space just typed is no change and stays in the box.</summary>
    private static bool SameNotes(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);

    /// <summary>What a field shows and merges from after a save: see <see cref="Saved"/>.</summary>
    private static (T Value, T Base) Settle<T>(T current, T sent, T saved, T oldBase, Func<T, T, bool> same)
    {
        if (same(current, sent))
        {
            return (saved, saved);
        }

        return (current, same(saved, sent) ? saved : oldBase);
    }

    /// <summary>
    /// Someone else saved the element (a live update), read fresh after any save of this page's. Every field the user is
    /// not changing shows their value. A field with an unsaved change, or changed in the last few seconds (a keystroke
    /// may still be on its way), keeps the user's value and its base, so its save merges against what they saved. A field
    /// in conflict shows the newest saved value beside the user's (so "use saved" takes what the user sees), and the
    /// conflict ends when the saved value is now the user's own.
    /// </summary>
    /// <param name="author">Who saved it, when the live change named someone else.</param>
    /// <returns>Whether anything the page shows changed.</returns>
    public bool Remote(Guid version, ElementState remote, string? carriedFrom, string? author = null)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var changed = false;
        RemoteDeferred = false;
        Version = version;
        changed |= RefreshConflicts(remote, author);
        foreach (var criterion in Answers.Keys.ToList())
        {
            if (Answers[criterion] == _baseAnswers.GetValueOrDefault(criterion) && !_answerConflicts.ContainsKey(criterion) && !Quiet(AnswerField(criterion)))
            {
                changed |= Answers[criterion] != remote.AnswerTo(criterion);
                Answers[criterion] = _baseAnswers[criterion] = remote.AnswerTo(criterion);
            }
        }

        var notesUntouched = EvidenceNotes == _baseNotes && NotesConflict is null && !Quiet(NotesField);
        if (notesUntouched)
        {
            changed |= EvidenceNotes != remote.EvidenceNotes;
            EvidenceNotes = _baseNotes = remote.EvidenceNotes;
        }

        if (Priority == _basePriority && PriorityConflict is null && !Quiet(PriorityField))
        {
            changed |= Priority != remote.Priority;
            Priority = _basePriority = remote.Priority;
        }

        var linksUntouched = EvidenceLinks.SequenceEqual(_baseLinks) && !Quiet(LinksField);
        if (linksUntouched)
        {
            changed |= !EvidenceLinks.SequenceEqual(remote.EvidenceLinks);
            EvidenceLinks.Clear();
            EvidenceLinks.AddRange(remote.EvidenceLinks);
            _baseLinks = [.. remote.EvidenceLinks];
        }

        if (notesUntouched && linksUntouched)
        {
            EvidenceCarriedFrom = carriedFrom;
        }

        return changed;
    }

    /// <summary>Moves each open conflict's saved side to <paramref name="remote"/>'s value; returns whether any moved.</summary>
    private bool RefreshConflicts(ElementState remote, string? author)
    {
        var changed = false;
        foreach (var (criterion, conflict) in _answerConflicts.ToList())
        {
            var (next, @base) = Follow(conflict, remote.AnswerTo(criterion), Answers[criterion], _baseAnswers.GetValueOrDefault(criterion), (a, b) => a == b, ref changed);
            _baseAnswers[criterion] = @base;
            if (next is null)
            {
                _answerConflicts.Remove(criterion);
            }
            else
            {
                _answerConflicts[criterion] = next;
            }
        }

        if (NotesConflict is { } notes)
        {
            (NotesConflict, _baseNotes) = Follow(notes, remote.EvidenceNotes, EvidenceNotes, _baseNotes, SameNotes, ref changed);
        }

        if (PriorityConflict is { } priority)
        {
            (PriorityConflict, _basePriority) = Follow(priority, remote.Priority, Priority, _basePriority, (a, b) => a == b, ref changed);
        }

        if (changed)
        {
            // The newest saved side is the newest saver's (unnamed when it was this user in another window).
            ConflictAuthor = HasConflicts ? author : null;
        }

        return changed;
    }

    /// <summary>The user chose between their answer and the saved one; keeping theirs makes it the next save's change.</summary>
    public void ResolveAnswer(Guid criterionId, bool keepMine)
    {
        if (_answerConflicts.Remove(criterionId, out var conflict))
        {
            _baseAnswers[criterionId] = conflict.Saved;
            Answers[criterionId] = keepMine ? Answers[criterionId] : conflict.Saved;
        }
    }

    /// <summary>The user chose between their notes and the saved ones.</summary>
    public void ResolveNotes(bool keepMine)
    {
        if (NotesConflict is { } conflict)
        {
            _baseNotes = conflict.Saved;
            EvidenceNotes = keepMine ? EvidenceNotes : conflict.Saved;
            NotesConflict = null;
        }
    }

    /// <summary>The user chose between their priority and the saved one.</summary>
    public void ResolvePriority(bool keepMine)
    {
        if (PriorityConflict is { } conflict)
        {
            _basePriority = conflict.Saved;
            Priority = keepMine ? Priority : conflict.Saved;
            PriorityConflict = null;
        }
    }
}

/// <summary>One element as the previous cycle's assessment submitted it: its answers (by criterion code) and evidence.</summary>
/// <param name="EvidenceShown">False where the reader may see the earlier cycle's answers only (a plan reading a provider's shared readiness).</param>
public sealed record PreviousElementView(string Cycle, PreviousAnswers Answers, string EvidenceNotes, IReadOnlyList<string> EvidenceLinks, bool EvidenceShown = true)
{
    public Level Level => Answers.Level;
}

/// <summary>The assessment a cycle is compared with: the organization's latest accepted or submitted one of an earlier cycle.</summary>
public sealed record PreviousCycleView(Guid Id, string Cycle, AssessmentStatus Status);

public sealed record SectionView(SectionDefinition Definition, IReadOnlyList<ElementView> Elements)
{
    public string Code => Definition.Code;
    public string Title => Definition.Title;

    public Progress Progress => Scoring.Summarize(Elements.Select(e => e.Level), Elements.Select(e => e.IsAssessed));

    /// <summary>The change since the previous cycle (only meaningful when the assessment has one).</summary>
    public ProgressChange Change => ChangeOf(Elements);

    internal static ProgressChange ChangeOf(IEnumerable<ElementView> elements) =>
        ProgressChange.Between(elements.Select(e => (e.Previous?.Level, e.Level, e.IsAssessed)));
}

public sealed record FeedbackView(string? ElementCode, string Text, DateTime CreatedAt);

/// <summary>One return: its round number, when and by whom, and what the reviewer wrote (line breaks kept).</summary>
public sealed record FeedbackRound(int Round, DateTime ReturnedAt, string Reviewer, IReadOnlyList<FeedbackView> Items);

/// <summary>An assessment as one user sees it: the organization's working draft, or, for reviewers, its latest submitted round.</summary>
public sealed class AssessmentView
{
    public required Guid Id { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationName { get; init; }
    public required string Cycle { get; init; }
    public required FrameworkView Framework { get; init; }
    public AssessmentStatus Status { get; set; }
    public DateTime? SubmittedAt { get; init; }
    public DateTime? ReviewedAt { get; init; }

    /// <summary>Set when the page shows a submitted round (frozen) rather than the organization's working answers.</summary>
    public int? ShowsRound { get; init; }
    public required IReadOnlyList<SectionView> Sections { get; init; }

    /// <summary>Feedback of the round the page refers to (the last returned round, for the organization).</summary>
    public required IReadOnlyList<FeedbackView> Feedback { get; init; }

    /// <summary>
    /// Every returned round, newest first. While the assessment is returned the first is the current one; the rest
    /// (and all of them otherwise) are earlier rounds, readable but apart.
    /// </summary>
    public IReadOnlyList<FeedbackRound> FeedbackRounds { get; init; } = [];

    /// <summary>The round whose feedback the organization is answering now, if the assessment is returned.</summary>
    public FeedbackRound? CurrentFeedback => Status == AssessmentStatus.Returned && ShowsRound is null && FeedbackRounds.Count > 0 ? FeedbackRounds[0] : null;

    public IEnumerable<FeedbackRound> EarlierFeedback => FeedbackRounds.Where(r => r != CurrentFeedback);

    /// <summary>The signed-in user may change answers (member with edit rights, assessment draft or returned).</summary>
    public bool CanEdit { get; init; }
    public bool CanSubmit { get; init; }
    public bool CanReview { get; init; }

    /// <summary>A manager may delete it: a draft never submitted.</summary>
    public bool CanDelete { get; init; }

    /// <summary>A manager may take back the submission: submitted, and no reviewer has acted on it.</summary>
    public bool CanWithdraw { get; init; }

    /// <summary>The earlier cycle this one is compared with, or null.</summary>
    public PreviousCycleView? PreviousCycle { get; init; }

    /// <summary>The signed-in user, as others on the page see them; null for someone who reads a submitted round.</summary>
    public PresentUser? Viewer { get; init; }

    public Progress Progress => Sections.Aggregate(default(Progress), (total, s) => total + s.Progress);

    public ProgressChange Change => SectionView.ChangeOf(Sections.SelectMany(s => s.Elements));

    /// <summary>Elements whose evidence was carried from the earlier cycle and not yet confirmed, as "A1 Title".</summary>
    public IReadOnlyList<string> UnconfirmedCarriedEvidence =>
        Sections.SelectMany(s => s.Elements).Where(e => e.EvidenceCarriedFrom is not null).Select(e => $"{e.Code} {e.Definition.Title}").ToList();
}
