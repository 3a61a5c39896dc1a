using CsCheck;
using PalliativeToolkit.Domain.Assessments;

namespace PalliativeToolkit.Domain.Tests;

/// <summary>The per-field merge of two people's edits to one element.</summary>
public sealed class ElementMergeTests
{
    private static readonly Guid C1 = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid C2 = Guid.Parse("00000000-0000-0000-0000-000000000002");

    private static ElementState State(Answer c1 = Answer.Open, Answer c2 = Answer.Open, string notes = "", string[]? links = null, Priority priority = Priority.None) =>
        new(new Dictionary<Guid, Answer> { [C1] = c1, [C2] = c2 }, notes, links ?? [], priority);

    [Fact]
    public void Ticking_a_criterion_never_conflicts_with_someone_elses_notes()
    {
        var start = State(notes: "Policy draft");
        var mine = State(c1: Answer.Met, notes: "Policy draft");
        var theirs = State(notes: "Policy approved in March");

        var (merged, conflicts) = ElementMerge.Merge(start, mine, theirs);

        Assert.False(conflicts.Any);
        Assert.Equal(Answer.Met, merged.AnswerTo(C1));
        Assert.Equal("Policy approved in March", merged.EvidenceNotes);
    }

    [Fact]
    public void Different_criteria_ticked_by_two_people_are_both_kept()
    {
        var (merged, conflicts) = ElementMerge.Merge(State(), State(c1: Answer.Met), State(c2: Answer.NotMet));

        Assert.False(conflicts.Any);
        Assert.Equal(Answer.Met, merged.AnswerTo(C1));
        Assert.Equal(Answer.NotMet, merged.AnswerTo(C2));
    }

    [Fact]
    public void The_same_notes_changed_by_both_is_a_conflict_that_keeps_the_saved_text_and_reports_both()
    {
        var (merged, conflicts) = ElementMerge.Merge(State(notes: "v1"), State(notes: "mine"), State(notes: "theirs"));

        Assert.Equal("theirs", merged.EvidenceNotes);
        Assert.Equal(new FieldConflict<string>("theirs", "mine"), conflicts.EvidenceNotes);
    }

    [Fact]
    public void The_same_criterion_answered_differently_is_a_conflict_with_both_answers()
    {
        var (merged, conflicts) = ElementMerge.Merge(State(), State(c1: Answer.Met, c2: Answer.Met), State(c1: Answer.NotMet));

        Assert.Equal(Answer.NotMet, merged.AnswerTo(C1));
        Assert.Equal(Answer.Met, merged.AnswerTo(C2));
        Assert.Equal(new FieldConflict<Answer>(Answer.NotMet, Answer.Met), conflicts.Answers[C1]);
        Assert.False(conflicts.Answers.ContainsKey(C2));
    }

    [Fact]
    public void Both_making_the_same_change_agree()
    {
        var (merged, conflicts) = ElementMerge.Merge(State(priority: Priority.Low), State(c1: Answer.Met, priority: Priority.High), State(c1: Answer.Met, priority: Priority.High));

        Assert.False(conflicts.Any);
        Assert.Equal(Priority.High, merged.Priority);
    }

    [Fact]
    public void Priority_changed_by_both_is_a_conflict()
    {
        var (merged, conflicts) = ElementMerge.Merge(State(), State(priority: Priority.High), State(priority: Priority.Low));

        Assert.Equal(Priority.Low, merged.Priority);
        Assert.Equal(new FieldConflict<Priority>(Priority.Low, Priority.High), conflicts.Priority);
    }

    [Fact]
    public void Trailing_spaces_while_typing_are_no_change_and_the_stored_notes_are_trimmed()
    {
        var (unchanged, none) = ElementMerge.Merge(State(notes: "v1"), State(notes: "v1  "), State(notes: "theirs"));
        Assert.False(none.Any);
        Assert.Equal("theirs", unchanged.EvidenceNotes);

        var (typed, _) = ElementMerge.Merge(State(notes: "v1"), State(notes: "v2 "), State(notes: "v1"));
        Assert.Equal("v2", typed.EvidenceNotes);
    }

    [Fact]
    public void Links_merge_as_a_set_of_additions_and_removals()
    {
        var start = State(links: ["https://a", "https://b"]);
        var mine = State(links: ["https://a", "https://c"]);          // removed b, added c
        var theirs = State(links: ["https://a", "https://b", "https://d"]); // added d

        var (merged, conflicts) = ElementMerge.Merge(start, mine, theirs);

        Assert.False(conflicts.Any);
        Assert.Equal(["https://a", "https://d", "https://c"], merged.EvidenceLinks);
    }

    private static Gen<T> OneOf<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<ElementState> States =
        Gen.Select(Gen.Enum<Answer>(), Gen.Enum<Answer>(), OneOf("", "a", "b", "a "), Gen.Enum<Priority>(), OneOf<string[]>([], ["https://x"], ["https://x", "https://y"]),
            (c1, c2, notes, priority, links) => State(c1, c2, notes, links, priority));

    [Fact]
    public void Without_a_concurrent_change_the_user_gets_exactly_what_they_left()
    {
        Gen.Select(States, States).Sample((start, mine) =>
        {
            var (merged, conflicts) = ElementMerge.Merge(start, mine, start);
            return !conflicts.Any
                && merged.EvidenceNotes.Trim() == mine.EvidenceNotes.Trim()
                && merged.Priority == mine.Priority
                && merged.Answers.All(a => a.Value == mine.AnswerTo(a.Key))
                && merged.EvidenceLinks.Order().SequenceEqual(mine.EvidenceLinks.Order());
        });
    }

    [Fact]
    public void A_save_that_changed_nothing_keeps_everything_the_other_saved()
    {
        Gen.Select(States, States).Sample((start, theirs) =>
        {
            var (merged, conflicts) = ElementMerge.Merge(start, start, theirs);
            return !conflicts.Any && merged.EvidenceNotes == theirs.EvidenceNotes && merged.Priority == theirs.Priority
                && merged.Answers.All(a => a.Value == theirs.AnswerTo(a.Key)) && merged.EvidenceLinks.SequenceEqual(theirs.EvidenceLinks);
        });
    }

    [Fact]
    public void Every_field_ends_as_one_of_the_two_versions_and_a_conflict_is_reported_exactly_when_both_changed_it_differently()
    {
        Gen.Select(States, States, States).Sample((start, mine, theirs) =>
        {
            var (merged, conflicts) = ElementMerge.Merge(start, mine, theirs);
            var c1Mine = mine.AnswerTo(C1) != start.AnswerTo(C1);
            var c1Theirs = theirs.AnswerTo(C1) != start.AnswerTo(C1);
            var expectConflict = c1Mine && c1Theirs && mine.AnswerTo(C1) != theirs.AnswerTo(C1);
            return conflicts.Answers.ContainsKey(C1) == expectConflict
                && (merged.AnswerTo(C1) == mine.AnswerTo(C1) || merged.AnswerTo(C1) == theirs.AnswerTo(C1))
                && (!expectConflict || merged.AnswerTo(C1) == theirs.AnswerTo(C1));
        });
    }
}
