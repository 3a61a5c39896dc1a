using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using static PalliativeToolkit.Domain.Tests.Builders;

namespace PalliativeToolkit.Domain.Tests;

public class AssessmentLifecycleTests
{
    private static void AnswerAll(Assessment assessment, Answer answer)
    {
        foreach (var element in assessment.Elements)
        {
            assessment.RecordElement(element.Id, element.Criteria.ToDictionary(c => c.CriterionId, _ => answer), "notes", [], Priority.None);
        }
    }

    [Fact]
    public void A_plan_assesses_plan_and_joint_sections_and_a_provider_its_readiness_section_only()
    {
        var framework = Framework();
        var plan = Assessment.Start(Plan(), framework, "2026", Now, "u1");
        var provider = Assessment.Start(Provider(), framework, "2026", Now, "u2");

        Assert.Equal(["A1", "A2", "E1"], plan.Elements.Select(e => e.Element!.Code));
        Assert.Equal(["B1"], provider.Elements.Select(e => e.Element!.Code));
    }

    [Fact]
    public void A_new_assessment_starts_as_a_draft_with_every_criterion_open()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");

        Assert.Equal(AssessmentStatus.Draft, assessment.Status);
        Assert.All(assessment.Elements.SelectMany(e => e.Criteria), c => Assert.Equal(Answer.Open, c.Answer));
        Assert.All(assessment.Elements, e => Assert.Equal(Level.NotStarted, e.Level));
    }

    [Fact]
    public void Submit_is_refused_while_an_element_is_not_assessed_and_lists_what_is_missing()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        var first = assessment.Elements[0];
        assessment.RecordElement(first.Id, first.Criteria.ToDictionary(c => c.CriterionId, _ => Answer.Met), "", [], Priority.None);

        var error = Assert.Throws<DomainException>(() => assessment.Submit(Now, "u1"));

        Assert.Equal(["A2 Providers", "E1 Governance"], error.Details);
        Assert.Equal(AssessmentStatus.Draft, assessment.Status);
    }

    [Fact]
    public void A_submitted_assessment_is_read_only()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        AnswerAll(assessment, Answer.NotMet);
        assessment.Submit(Now, "u1");

        Assert.Equal(AssessmentStatus.Submitted, assessment.Status);
        Assert.False(assessment.IsEditable);
        Assert.Throws<DomainException>(assessment.EnsureEditable);
        Assert.Throws<DomainException>(() => assessment.Submit(Now, "u1"));
    }

    [Fact]
    public void Returning_with_feedback_makes_the_assessment_editable_and_keeps_the_feedback_on_its_element()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        AnswerAll(assessment, Answer.Met);
        assessment.Submit(Now, "u1");
        var a2 = assessment.Elements[1].ElementId;

        assessment.Return(Now.AddDays(1), "reviewer", [(a2, "Attach the contract"), (null, "Nearly there")]);

        Assert.Equal(AssessmentStatus.Returned, assessment.Status);
        Assert.True(assessment.IsEditable);
        var round = Assert.Single(assessment.Submissions);
        Assert.Equal(Decision.Returned, round.Decision);
        Assert.Contains(round.Feedback, f => f.ElementId == a2 && f.Text == "Attach the contract");
        Assert.Contains(round.Feedback, f => f.ElementId is null && f.Text == "Nearly there");
    }

    [Fact]
    public void Return_without_feedback_is_refused()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        AnswerAll(assessment, Answer.Met);
        assessment.Submit(Now, "u1");

        Assert.Throws<DomainException>(() => assessment.Return(Now, "reviewer", [(null, "  ")]));
        Assert.Equal(AssessmentStatus.Submitted, assessment.Status);
    }

    [Fact]
    public void Only_a_submitted_assessment_can_be_accepted_or_returned()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");

        Assert.Throws<DomainException>(() => assessment.Accept(Now, "reviewer"));
        Assert.Throws<DomainException>(() => assessment.Return(Now, "reviewer", [(null, "x")]));
    }

    [Fact]
    public void Accepting_closes_the_assessment()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        AnswerAll(assessment, Answer.Met);
        assessment.Submit(Now, "u1");
        assessment.Accept(Now, "reviewer");

        Assert.Equal(AssessmentStatus.Accepted, assessment.Status);
        Assert.False(assessment.IsEditable);
    }

    [Fact]
    public void A_new_cycle_copied_from_the_previous_one_carries_answers_evidence_and_priority()
    {
        var plan = Plan();
        var framework = Framework();
        var previous = Assessment.Start(plan, framework, "2025", Now, "u1");
        var a1 = previous.Elements[0];
        previous.RecordElement(a1.Id, a1.Criteria.ToDictionary(c => c.CriterionId, _ => Answer.Met), "Policy 12", ["https://example.org/p12"], Priority.High);

        var next = Assessment.Start(plan, framework, "2026", Now, "u1", previous);

        var copied = next.Elements[0];
        Assert.Equal(Level.MeetsEnhancement, copied.Level);
        Assert.Equal("Policy 12", copied.EvidenceNotes);
        Assert.Equal(["https://example.org/p12"], copied.EvidenceLinks);
        Assert.Equal(Priority.High, copied.Priority);
        Assert.Equal(previous.Id, next.PreviousAssessmentId);
        Assert.NotEqual(previous.Elements[0].Id, copied.Id);
    }

    [Fact]
    public void Copying_from_another_organizations_assessment_is_refused()
    {
        var framework = Framework();
        var other = Assessment.Start(Plan("Other"), framework, "2025", Now, "u1");

        Assert.Throws<DomainException>(() => Assessment.Start(Plan(), framework, "2026", Now, "u1", other));
    }

    [Fact]
    public void A_statewide_support_organization_does_not_self_assess()
    {
        var statewide = new Organization("Network", OrganizationKind.StatewideSupport, []);
        Assert.Throws<DomainException>(() => Assessment.Start(statewide, Framework(), "2026", Now, "u1"));
    }

    [Fact]
    public void Enhancements_adopted_are_counted_k_of_n()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        var a1 = assessment.Elements[0];
        assessment.RecordElement(a1.Id, a1.Criteria.ToDictionary(c => c.CriterionId, _ => Answer.Met), "", [], Priority.None);

        Assert.Equal((1, 1), a1.Enhancements);
        Assert.Equal(new Progress(3, 1, 1, 1), assessment.Progress());
        Assert.Equal(new Progress(2, 1, 1, 1), assessment.ProgressOf("A"));
    }

    [Fact]
    public void Recording_an_answer_for_a_criterion_of_another_element_is_refused()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        var foreign = assessment.Elements[1].Criteria[0].CriterionId;

        Assert.Throws<DomainException>(() => assessment.RecordElement(assessment.Elements[0].Id, new Dictionary<Guid, Answer> { [foreign] = Answer.Met }, "", [], Priority.None));
    }

    [Fact]
    public void Recording_is_refused_once_the_assessment_is_submitted_and_changes_nothing()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        AnswerAll(assessment, Answer.Met);
        assessment.Submit(Now, "u1");
        var a1 = assessment.Elements[0];

        var error = Assert.Throws<DomainException>(() => assessment.RecordElement(a1.Id, a1.Criteria.ToDictionary(c => c.CriterionId, _ => Answer.NotMet), "late", [], Priority.High));

        Assert.Contains("can no longer be changed", error.Message);
        Assert.All(a1.Criteria, c => Assert.Equal(Answer.Met, c.Answer));
        Assert.Equal("notes", a1.EvidenceNotes);
    }

    [Fact]
    public void An_element_of_another_assessment_cannot_be_recorded_through_this_one()
    {
        var framework = Framework();
        var mine = Assessment.Start(Plan(), framework, "2026", Now, "u1");
        var other = Assessment.Start(Plan("Other"), framework, "2026", Now, "u2");

        Assert.Throws<DomainException>(() => mine.RecordElement(other.Elements[0].Id, new Dictionary<Guid, Answer>(), "", [], Priority.None));
    }

    [Fact]
    public void Submitting_freezes_a_round_that_later_work_on_the_draft_does_not_change()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        AnswerAll(assessment, Answer.Met);
        assessment.Submit(Now, "u1");
        assessment.Return(Now.AddDays(1), "reviewer", [(null, "Add evidence")]);
        var a1 = assessment.Elements[0];

        assessment.RecordElement(a1.Id, a1.Criteria.ToDictionary(c => c.CriterionId, _ => Answer.NotMet), "rewritten after the return", [], Priority.High);

        var round = Assert.Single(assessment.Submissions);
        var frozen = round.Elements.Single(e => e.ElementId == a1.ElementId);
        Assert.Equal(1, round.Round);
        Assert.Equal("notes", frozen.EvidenceNotes);
        Assert.All(frozen.Answers, a => Assert.Equal(Answer.Met, a.Answer));
        Assert.Equal(Level.MeetsEnhancement, frozen.Level);
        Assert.Equal(Level.BelowMinimum, a1.Level);
    }

    [Fact]
    public void Submitting_again_after_a_return_opens_round_two_and_feedback_stays_with_round_one()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        AnswerAll(assessment, Answer.Met);
        assessment.Submit(Now, "u1");
        assessment.Return(Now.AddDays(1), "reviewer", [(null, "Add evidence")]);

        assessment.Submit(Now.AddDays(2), "u1");
        assessment.Accept(Now.AddDays(3), "reviewer");

        Assert.Equal(2, assessment.Round);
        Assert.Equal([Decision.Returned, Decision.Accepted], assessment.Submissions.OrderBy(s => s.Round).Select(s => s.Decision));
        Assert.Single(assessment.Submissions.Single(s => s.Round == 1).Feedback);
        Assert.Empty(assessment.Submissions.Single(s => s.Round == 2).Feedback);
        Assert.Equal(AssessmentStatus.Accepted, assessment.Status);
    }

    private static Assessment Submitted(string cycle = "2026")
    {
        var assessment = Assessment.Start(Plan(), Framework(), cycle, Now, "u1");
        AnswerAll(assessment, Answer.Met);
        assessment.Submit(Now, "u1");
        return assessment;
    }

    [Fact]
    public void A_cycle_that_is_not_a_reporting_year_is_refused_and_a_fiscal_year_is_stored_one_way()
    {
        Assert.Throws<DomainException>(() => Assessment.Start(Plan(), Framework(), "abc", Now, "u1"));
        Assert.Equal("FY 2026-27", Assessment.Start(Plan(), Framework(), "fy2026-27", Now, "u1").Cycle);
    }

    [Fact]
    public void Copying_from_a_later_or_the_same_cycle_is_refused()
    {
        var plan = Plan();
        var framework = Framework();
        var previous = Assessment.Start(plan, framework, "2026", Now, "u1");

        Assert.Throws<DomainException>(() => Assessment.Start(plan, framework, "2026", Now, "u1", previous));
        Assert.Throws<DomainException>(() => Assessment.Start(plan, framework, "FY 2025-26", Now, "u1", previous));
    }

    [Fact]
    public void Evidence_copied_from_the_previous_cycle_is_marked_until_confirmed_or_edited()
    {
        var plan = Plan();
        var framework = Framework();
        var previous = Assessment.Start(plan, framework, "2025", Now, "u1");
        var (a1, a2) = (previous.Elements[0], previous.Elements[1]);
        previous.RecordElement(a1.Id, new Dictionary<Guid, Answer>(), "Policy 12", [], Priority.None);
        previous.RecordElement(a2.Id, new Dictionary<Guid, Answer>(), "", ["https://example.org/contract"], Priority.None);

        var next = Assessment.Start(plan, framework, "2026", Now, "u1", previous);
        var (b1, b2, b3) = (next.Elements[0], next.Elements[1], next.Elements[2]);

        Assert.Equal(["2025", "2025", null], next.Elements.Select(e => e.EvidenceCarriedFrom));
        Assert.Equal(["A1 Eligibility", "A2 Providers"], next.UnconfirmedCarriedEvidence());

        next.ConfirmCarriedEvidence(b1.Id);
        next.RecordElement(b2.Id, b2.Criteria.ToDictionary(c => c.CriterionId, _ => Answer.Met), "", ["https://example.org/contract"], Priority.High);
        Assert.Equal("2025", b2.EvidenceCarriedFrom);

        next.RecordElement(b2.Id, new Dictionary<Guid, Answer>(), "Renewed contract", ["https://example.org/contract"], Priority.High);
        Assert.Null(b1.EvidenceCarriedFrom);
        Assert.Null(b2.EvidenceCarriedFrom);
        Assert.Null(b3.EvidenceCarriedFrom);
        Assert.Empty(next.UnconfirmedCarriedEvidence());
    }

    [Fact]
    public void Unconfirmed_carried_evidence_does_not_block_submission()
    {
        var plan = Plan();
        var framework = Framework();
        var previous = Assessment.Start(plan, framework, "2025", Now, "u1");
        AnswerAll(previous, Answer.Met);
        var next = Assessment.Start(plan, framework, "2026", Now, "u1", previous);

        next.Submit(Now, "u1");

        Assert.Equal(AssessmentStatus.Submitted, next.Status);
    }

    [Fact]
    public void Only_a_draft_never_submitted_can_be_deleted()
    {
        Assessment.Start(Plan(), Framework(), "2026", Now, "u1").EnsureDeletable();

        var submitted = Submitted();
        Assert.Throws<DomainException>(submitted.EnsureDeletable);
        submitted.Withdraw(Now, "u1");
        var error = Assert.Throws<DomainException>(submitted.EnsureDeletable);
        Assert.Equal("Only a draft that was never submitted can be deleted; this assessment is draft and was submitted before.", error.Message);
    }

    [Fact]
    public void Withdrawing_keeps_the_round_and_makes_the_assessment_a_draft_again()
    {
        var assessment = Submitted();

        assessment.Withdraw(Now.AddHours(1), "u1");

        Assert.Equal(AssessmentStatus.Draft, assessment.Status);
        Assert.True(assessment.IsEditable);
        Assert.False(assessment.WasSubmitted);
        Assert.Equal((1, Decision.Withdrawn), (assessment.Round, assessment.Submissions.Single().Decision));
        assessment.Submit(Now.AddHours(2), "u1");
        Assert.Equal(2, assessment.Round);
    }

    [Fact]
    public void Withdrawing_after_a_return_makes_it_returned_again_with_that_rounds_dates()
    {
        var assessment = Submitted();
        assessment.Return(Now.AddDays(1), "reviewer", [(null, "Add evidence")]);
        assessment.Submit(Now.AddDays(2), "u1");

        assessment.Withdraw(Now.AddDays(3), "u1");

        Assert.Equal(AssessmentStatus.Returned, assessment.Status);
        Assert.Equal((Now, Now.AddDays(1), "reviewer"), (assessment.SubmittedAt, assessment.ReviewedAt, assessment.ReviewedBy));
    }

    [Fact]
    public void A_submission_a_reviewer_acted_on_cannot_be_withdrawn()
    {
        var accepted = Submitted();
        accepted.Accept(Now, "reviewer");
        var draft = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");

        Assert.Throws<DomainException>(() => accepted.Withdraw(Now, "u1"));
        Assert.Throws<DomainException>(() => draft.Withdraw(Now, "u1"));
        Assert.Equal(Decision.Accepted, accepted.Submissions.Single().Decision);
    }
}
