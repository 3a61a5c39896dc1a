using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using static PalliativeToolkit.Domain.Tests.Builders;

namespace PalliativeToolkit.Domain.Tests;

public class JointAssessmentTests
{
    private static Partnership Partnership(PartnershipStatus status = PartnershipStatus.Active) =>
        Organizations.Partnership.Start(Plan(), Provider(), status, new DateOnly(2026, 1, 1),
            new PartnershipTerms(CaliforniaCounties.Named("Alameda"), [], null, null, null, []), Now, "u1");

    private static (JointAssessment Joint, Criterion E1M1) Started()
    {
        var framework = Framework();
        var criterion = framework.Sections.Single(s => s.Code == "E").Elements[0].Criteria[0];
        return (JointAssessment.Start(Partnership(), framework, "2026", Now, "plan-manager"), criterion);
    }

    [Fact]
    public void Both_sides_answer_the_joint_section_only_and_start_open()
    {
        var (joint, e1m1) = Started();

        Assert.Equal(2, joint.Answers.Count);
        Assert.All(joint.Answers, a => Assert.Equal((e1m1.Id, Answer.Open), (a.CriterionId, a.Answer)));
        Assert.Equal([PartnerSide.Plan, PartnerSide.Provider], joint.Answers.Select(a => a.Side).Order());
        Assert.Throws<DomainException>(() => JointAssessment.Start(Partnership(PartnershipStatus.Prospective), Framework(), "2026", Now, "u1"));
    }

    [Fact]
    public void Each_side_answers_for_itself_and_different_answers_are_a_disagreement_kept_in_the_history()
    {
        var (joint, e1m1) = Started();

        Assert.True(joint.Answer(PartnerSide.Plan, e1m1.Id, Answer.Open, Answer.Met, Now, "plan-contributor", "E1-M1: open → met"));
        Assert.Empty(joint.Disagreements());
        Assert.True(joint.Answer(PartnerSide.Provider, e1m1.Id, Answer.Open, Answer.NotMet, Now.AddMinutes(1), "provider-manager", "E1-M1: open → not met"));

        Assert.Equal([e1m1.Id], joint.Disagreements());
        Assert.Equal([(PartnerSide.Plan, "plan-contributor"), (PartnerSide.Provider, "provider-manager")], joint.Changes.Select(c => (c.Side, c.By)));
    }

    [Fact]
    public void A_change_from_a_value_someone_else_already_changed_is_refused_and_overwrites_nothing()
    {
        var (joint, e1m1) = Started();
        joint.Answer(PartnerSide.Plan, e1m1.Id, Answer.Open, Answer.Met, Now, "casey", "x");

        var stale = joint.Answer(PartnerSide.Plan, e1m1.Id, Answer.Open, Answer.NotMet, Now, "morgan", "y");
        joint.WriteNotes(PartnerSide.Plan, e1m1.ElementId, "", "Casey's notes", Now, "casey", "notes");
        var staleNotes = joint.WriteNotes(PartnerSide.Plan, e1m1.ElementId, "", "Morgan's notes", Now, "morgan", "notes");

        Assert.False(stale);
        Assert.False(staleNotes);
        Assert.Equal(Answer.Met, joint.Answers.Single(a => a.Side == PartnerSide.Plan).Answer);
        Assert.Equal("Casey's notes", Assert.Single(joint.Notes).Text);
    }

    [Fact]
    public void It_is_submitted_only_once_both_sides_marked_it_ready_and_a_change_takes_the_marks_back()
    {
        var (joint, e1m1) = Started();
        Assert.Throws<DomainException>(() => joint.MarkReady(PartnerSide.Plan, Now, "m"));
        joint.Answer(PartnerSide.Plan, e1m1.Id, Answer.Open, Answer.Met, Now, "m", "x");
        joint.Answer(PartnerSide.Provider, e1m1.Id, Answer.Open, Answer.Met, Now, "p", "x");
        joint.MarkReady(PartnerSide.Plan, Now, "m");
        Assert.Throws<DomainException>(() => joint.Submit(PartnerSide.Plan, Now, "m"));

        joint.Answer(PartnerSide.Provider, e1m1.Id, Answer.Met, Answer.NotMet, Now, "p", "changed");
        Assert.Null(joint.PlanReadyAt);
        joint.MarkReady(PartnerSide.Plan, Now, "m");
        joint.MarkReady(PartnerSide.Provider, Now, "p");
        joint.Submit(PartnerSide.Provider, Now, "p");

        Assert.True(joint.IsSubmitted);
        Assert.Throws<DomainException>(() => joint.Answer(PartnerSide.Plan, e1m1.Id, Answer.Met, Answer.NotMet, Now, "m", "late"));
        Assert.Contains(joint.Changes, c => c.What == "changed (ready marks taken back)");
    }

    [Fact]
    public void One_persons_run_of_notes_edits_is_one_history_entry_and_another_persons_is_its_own()
    {
        var (joint, e1m1) = Started();

        joint.WriteNotes(PartnerSide.Plan, e1m1.ElementId, "", "Monthly", Now, "casey", "changed the notes");
        joint.WriteNotes(PartnerSide.Plan, e1m1.ElementId, "Monthly", "Monthly meetings", Now.AddMinutes(1), "casey", "changed the notes");
        joint.WriteNotes(PartnerSide.Plan, e1m1.ElementId, "Monthly meetings", "Monthly meetings, minuted", Now.AddMinutes(2), "morgan", "changed the notes");
        joint.WriteNotes(PartnerSide.Plan, e1m1.ElementId, "Monthly meetings, minuted", "Monthly meetings, minuted.", Now.AddMinutes(30), "morgan", "changed the notes");

        Assert.Equal([("casey", Now.AddMinutes(1)), ("morgan", Now.AddMinutes(2)), ("morgan", Now.AddMinutes(30))], joint.Changes.Select(c => (c.By, c.At)));
        Assert.Equal("Monthly meetings, minuted.", Assert.Single(joint.Notes).Text);
    }
}
