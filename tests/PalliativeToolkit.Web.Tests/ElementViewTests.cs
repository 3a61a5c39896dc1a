using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Web.Features.Assessments;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// The page's side of per-field merging: what a card shows and merges from after its save comes back, and after someone
/// else's change arrives — while its user keeps working. Nothing the user did since sending is lost or silently applied
/// over someone else's change.
/// </summary>
public sealed class ElementViewTests
{
    private static readonly Guid C1 = Guid.NewGuid();
    private static readonly Guid C2 = Guid.NewGuid();

    private static readonly ElementDefinition Definition = new(
        Guid.NewGuid(), "A", "A1", "Eligibility", "", Provenance.Guide, "", "",
        [new CriterionDefinition(C1, "A1-M1", CriterionKind.Minimum, "One", Provenance.Guide, null), new CriterionDefinition(C2, "A1-M2", CriterionKind.Minimum, "Two", Provenance.Guide, null)],
        []);

    private static ElementView Loaded(string notes = "old", params string[] links) =>
        new ElementView(Definition, Guid.NewGuid(), new Dictionary<Guid, Answer>()) { EvidenceNotes = notes, EvidenceLinks = [.. links] }.Loaded();

    private static ElementState State(Answer c1 = Answer.Open, Answer c2 = Answer.Open, string notes = "old", string[]? links = null, Priority priority = Priority.None) =>
        new(new Dictionary<Guid, Answer> { [C1] = c1, [C2] = c2 }, notes, links ?? [], priority);

    private static ElementSaved Came(ElementState saved, ElementConflicts? conflicts = null) => new(Guid.NewGuid(), saved, conflicts ?? ElementConflicts.None, null);

    [Fact]
    public void A_link_added_while_a_save_was_on_its_way_is_kept_and_a_colleagues_link_is_not_removed()
    {
        var card = Loaded("old");
        card.EvidenceLinks.Add("https://l1");
        var sent = card.Current;
        card.EvidenceLinks.Add("https://l2");

        // The server merged the colleague's link LB with L1.
        card.Saved(sent, Came(State(links: ["https://lb", "https://l1"])));

        Assert.Equal(["https://lb", "https://l1", "https://l2"], card.EvidenceLinks);
        var (merged, _) = ElementMerge.Merge(card.Base, card.Current, State(links: ["https://lb", "https://l1"]));
        Assert.Equal(["https://lb", "https://l1", "https://l2"], merged.EvidenceLinks);
    }

    [Fact]
    public void Notes_typed_while_a_tick_was_saving_over_a_colleagues_new_notes_end_in_a_conflict_not_an_overwrite()
    {
        var card = Loaded("old");
        card.Answers[C1] = Answer.Met;
        var sent = card.Current;
        card.EvidenceNotes = "old, and mine";

        card.Saved(sent, Came(State(c1: Answer.Met, notes: "colleague's")));

        Assert.Equal("old, and mine", card.EvidenceNotes);
        var (merged, conflicts) = ElementMerge.Merge(card.Base, card.Current, State(c1: Answer.Met, notes: "colleague's"));
        Assert.Equal("colleague's", merged.EvidenceNotes);
        Assert.Equal(new FieldConflict<string>("colleague's", "old, and mine"), conflicts.EvidenceNotes);
    }

    [Fact]
    public void A_criterion_ticked_and_unticked_while_the_tick_was_saving_is_saved_unticked_next()
    {
        var card = Loaded();
        card.Answers[C1] = Answer.Met;
        var sent = card.Current;
        card.Answers[C1] = Answer.Open;

        card.Saved(sent, Came(State(c1: Answer.Met)));

        Assert.Equal(Answer.Open, card.Answers[C1]);
        var (merged, conflicts) = ElementMerge.Merge(card.Base, card.Current, State(c1: Answer.Met));
        Assert.False(conflicts.Any);
        Assert.Equal(Answer.Open, merged.AnswerTo(C1));
    }

    [Fact]
    public void A_save_brings_in_what_others_saved_to_fields_the_user_left_alone_keeping_a_trailing_space()
    {
        var card = Loaded("old");
        card.EvidenceNotes = "old, more ";
        var sent = card.Current;

        card.Saved(sent, Came(State(c2: Answer.NotMet, notes: "old, more", priority: Priority.High)));

        Assert.Equal("old, more ", card.EvidenceNotes);
        Assert.Equal(Answer.NotMet, card.Answers[C2]);
        Assert.Equal(Priority.High, card.Priority);
    }

    [Fact]
    public void A_live_change_shows_on_fields_left_alone_but_never_on_one_just_edited()
    {
        var card = Loaded("old");
        card.EvidenceNotes = "old";
        card.Edited(ElementView.NotesField);

        var changed = card.Remote(Guid.NewGuid(), State(c1: Answer.Met, notes: "colleague's"), null);

        Assert.True(changed);
        Assert.Equal(Answer.Met, card.Answers[C1]);
        Assert.Equal("old", card.EvidenceNotes);
        Assert.True(card.RemoteDeferred);
        var (_, conflicts) = ElementMerge.Merge(card.Base, State(c1: Answer.Met, notes: "old, and a keystroke that was on its way"), State(c1: Answer.Met, notes: "colleague's"));
        Assert.NotNull(conflicts.EvidenceNotes);
    }

    [Fact]
    public void Keeping_mine_after_a_conflict_makes_my_value_the_next_change_and_using_saved_adopts_theirs()
    {
        var mine = Loaded("old");
        mine.EvidenceNotes = "mine";
        var sent = mine.Current;
        mine.Saved(sent, Came(State(notes: "theirs"), new ElementConflicts(new Dictionary<Guid, FieldConflict<Answer>>(), new("theirs", "mine"), null)));
        Assert.Equal("theirs", mine.NotesConflict?.Saved);

        mine.ResolveNotes(keepMine: true);
        var (kept, none) = ElementMerge.Merge(mine.Base, mine.Current, State(notes: "theirs"));
        Assert.False(none.Any);
        Assert.Equal("mine", kept.EvidenceNotes);

        var other = Loaded("old");
        other.EvidenceNotes = "mine";
        other.Saved(other.Current, Came(State(notes: "theirs"), new ElementConflicts(new Dictionary<Guid, FieldConflict<Answer>>(), new("theirs", "mine"), null)));
        other.ResolveNotes(keepMine: false);
        Assert.Equal("theirs", other.EvidenceNotes);
        Assert.Null(other.NotesConflict);
    }

    [Fact]
    public void A_conflict_shows_the_newest_saved_version_when_the_other_saves_again_and_ends_when_they_agree()
    {
        static ElementConflicts Notes(string saved, string yours) => new(new Dictionary<Guid, FieldConflict<Answer>>(), new(saved, yours), null);
        var taking = Loaded("old");
        taking.EvidenceNotes = "mine";
        taking.Saved(taking.Current, Came(State(notes: "theirs"), Notes("theirs", "mine")));
        var keeping = Loaded("old");
        keeping.EvidenceNotes = "mine";
        keeping.Saved(keeping.Current, Came(State(notes: "theirs"), Notes("theirs", "mine")));

        // They save again while the conflict shows: each page shows their newest notes beside the user's, and names them.
        Assert.True(taking.Remote(Guid.NewGuid(), State(notes: "theirs, again"), null, "Casey"));
        Assert.True(keeping.Remote(Guid.NewGuid(), State(notes: "theirs, again"), null, "Casey"));
        Assert.Equal("theirs, again", taking.NotesConflict?.Saved);
        Assert.Equal("mine", taking.EvidenceNotes);
        Assert.Equal("Casey", taking.ConflictAuthor);

        // "Use saved version" takes what the user was shown; "Keep mine" saves over it without another conflict.
        taking.ResolveNotes(keepMine: false);
        Assert.Equal("theirs, again", taking.EvidenceNotes);
        var (taken, noneTaken) = ElementMerge.Merge(taking.Base, taking.Current, State(notes: "theirs, again"));
        Assert.False(noneTaken.Any);
        Assert.Equal("theirs, again", taken.EvidenceNotes);
        keeping.ResolveNotes(keepMine: true);
        var (kept, noneKept) = ElementMerge.Merge(keeping.Base, keeping.Current, State(notes: "theirs, again"));
        Assert.False(noneKept.Any);
        Assert.Equal("mine", kept.EvidenceNotes);

        // A conflict whose saved value becomes the user's own ends by itself.
        var agreeing = Loaded("old");
        agreeing.Answers[C1] = Answer.NotMet;
        agreeing.Priority = Priority.High;
        agreeing.Saved(agreeing.Current, Came(State(c1: Answer.Met, priority: Priority.Low),
            new ElementConflicts(new Dictionary<Guid, FieldConflict<Answer>> { [C1] = new(Answer.Met, Answer.NotMet) }, null, new(Priority.Low, Priority.High))));
        Assert.True(agreeing.HasConflicts);
        Assert.True(agreeing.Remote(Guid.NewGuid(), State(c1: Answer.NotMet, priority: Priority.High), null, "Casey"));
        Assert.False(agreeing.HasConflicts);
        var (agreed, noneAgreed) = ElementMerge.Merge(agreeing.Base, agreeing.Current, State(c1: Answer.NotMet, priority: Priority.High));
        Assert.False(noneAgreed.Any);
        Assert.Equal((Answer.NotMet, Priority.High), (agreed.AnswerTo(C1), agreed.Priority));
    }
}
