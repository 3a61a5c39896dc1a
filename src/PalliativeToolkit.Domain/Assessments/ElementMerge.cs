namespace PalliativeToolkit.Domain.Assessments;

/// <summary>What one element holds that people edit: each criterion's answer, the evidence notes and links, the priority.</summary>
public sealed record ElementState(IReadOnlyDictionary<Guid, Answer> Answers, string EvidenceNotes, IReadOnlyList<string> EvidenceLinks, Priority Priority)
{
    public Answer AnswerTo(Guid criterionId) => Answers.GetValueOrDefault(criterionId, Answer.Open);
}

/// <summary>A field two people changed to different values: the saved one (kept) and the one this save brought (not applied).</summary>
public sealed record FieldConflict<T>(T Saved, T Yours);

/// <summary>The fields a save could not apply because someone else changed them first, each with both versions.</summary>
public sealed record ElementConflicts(
    IReadOnlyDictionary<Guid, FieldConflict<Answer>> Answers, FieldConflict<string>? EvidenceNotes, FieldConflict<Priority>? Priority)
{
    public static readonly ElementConflicts None = new(new Dictionary<Guid, FieldConflict<Answer>>(), null, null);

    public bool Any => Answers.Count > 0 || EvidenceNotes is not null || Priority is not null;
}

/// <summary>
/// The merge rules of concurrent edits to one element, at the grain people work at. A save carries the state its page
/// started from (<c>base</c>) and the state the user left (<c>yours</c>); the element may have moved on since (<c>saved</c>).
/// <list type="bullet">
/// <item>Each criterion's answer, the notes and the priority are separate fields: a field the user did not change keeps the
/// saved value; a field only the user changed takes theirs; a field both changed to the same value is agreed.</item>
/// <item>A field both changed to different values is a conflict: the saved value stays and both versions are reported, so
/// the one who loses chooses and their text is never lost.</item>
/// <item>Evidence links merge as a set: the links the user added are added, those they removed are removed, whatever
/// others did to the rest.</item>
/// </list>
/// Notes compare as stored (trimmed), so trailing spaces while typing are no change.
/// </summary>
public static class ElementMerge
{
    public static (ElementState Merged, ElementConflicts Conflicts) Merge(ElementState @base, ElementState yours, ElementState saved)
    {
        ArgumentNullException.ThrowIfNull(@base);
        ArgumentNullException.ThrowIfNull(yours);
        ArgumentNullException.ThrowIfNull(saved);

        var answers = new Dictionary<Guid, Answer>(saved.Answers);
        var answerConflicts = new Dictionary<Guid, FieldConflict<Answer>>();
        foreach (var (criterion, mine) in yours.Answers)
        {
            switch (Field(@base.AnswerTo(criterion), mine, saved.AnswerTo(criterion), EqualityComparer<Answer>.Default))
            {
                case Resolution.Yours:
                    answers[criterion] = mine;
                    break;
                case Resolution.Conflict:
                    answerConflicts[criterion] = new FieldConflict<Answer>(saved.AnswerTo(criterion), mine);
                    break;
            }
        }

        var notes = saved.EvidenceNotes;
        FieldConflict<string>? notesConflict = null;
        switch (Field(@base.EvidenceNotes, yours.EvidenceNotes, saved.EvidenceNotes, NotesComparer.Instance))
        {
            case Resolution.Yours:
                notes = yours.EvidenceNotes.Trim();
                break;
            case Resolution.Conflict:
                notesConflict = new FieldConflict<string>(saved.EvidenceNotes, yours.EvidenceNotes);
                break;
        }

        var priority = saved.Priority;
        FieldConflict<Priority>? priorityConflict = null;
        switch (Field(@base.Priority, yours.Priority, saved.Priority, EqualityComparer<Priority>.Default))
        {
            case Resolution.Yours:
                priority = yours.Priority;
                break;
            case Resolution.Conflict:
                priorityConflict = new FieldConflict<Priority>(saved.Priority, yours.Priority);
                break;
        }

        var removed = @base.EvidenceLinks.Except(yours.EvidenceLinks, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var added = yours.EvidenceLinks.Except(@base.EvidenceLinks, StringComparer.Ordinal);
        var links = saved.EvidenceLinks.Where(l => !removed.Contains(l)).Concat(added).Distinct(StringComparer.Ordinal).ToList();

        return (new ElementState(answers, notes, links, priority), new ElementConflicts(answerConflicts, notesConflict, priorityConflict));
    }

    private enum Resolution
    {
        /// <summary>The user did not change the field, or changed it to what is saved: the saved value stands.</summary>
        Saved,

        /// <summary>Only the user changed it: theirs is applied.</summary>
        Yours,

        /// <summary>Both changed it, differently: the saved value stays, both are reported.</summary>
        Conflict,
    }

    private static Resolution Field<T>(T @base, T yours, T saved, IEqualityComparer<T> same)
    {
        if (same.Equals(yours, @base) || same.Equals(yours, saved))
        {
            return Resolution.Saved;
        }

        return same.Equals(saved, @base) ? Resolution.Yours : Resolution.Conflict;
    }

    private sealed class NotesComparer : IEqualityComparer<string>
    {
        public static readonly NotesComparer Instance = new();

        public bool Equals(string? x, string? y) => string.Equals((x ?? string.Empty).Trim(), (y ?? string.Empty).Trim(), StringComparison.Ordinal);

        public int GetHashCode(string obj) => (obj ?? string.Empty).Trim().GetHashCode(StringComparison.Ordinal);
    }
}
