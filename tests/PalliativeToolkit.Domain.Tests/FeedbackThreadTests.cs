using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using static PalliativeToolkit.Domain.Tests.Builders;

namespace PalliativeToolkit.Domain.Tests;

public class FeedbackThreadTests
{
    private static Assessment Submitted()
    {
        var assessment = Assessment.Start(Plan(), Framework(), "2026", Now, "u1");
        foreach (var element in assessment.Elements)
        {
            assessment.RecordElement(element.Id, element.Criteria.ToDictionary(c => c.CriterionId, _ => Answer.Met), "notes", [], Priority.None);
        }

        assessment.Submit(Now, "u1");
        return assessment;
    }

    [Fact]
    public void A_reviewer_opens_a_thread_on_an_element_and_it_waits_on_the_organization_until_it_answers()
    {
        var assessment = Submitted();
        var element = assessment.Elements[0].ElementId;

        var thread = FeedbackThread.Start(assessment.CurrentSubmission!, element, "  Which policy?  ", "reviewer", Now);
        var opened = thread.Version;

        Assert.Equal((assessment.OrganizationId, assessment.Id, element, 1), (thread.OrganizationId, thread.AssessmentId, thread.ElementId, thread.Round));
        Assert.True(thread.IsOpen);
        Assert.Equal(ThreadSide.Organization, thread.AwaitedSide);
        var first = Assert.Single(thread.Messages);
        Assert.Equal(("Which policy?", ThreadSide.Reviewer, "reviewer"), (first.Text, first.Side, first.AuthorId));

        thread.Reply(ThreadSide.Organization, "The one attached.", "manager", Now.AddHours(1));

        Assert.Equal(ThreadSide.Reviewer, thread.AwaitedSide);
        Assert.Equal(Now.AddHours(1), thread.LastMessageAt);
        Assert.Equal(2, thread.Messages.Count);
        Assert.NotEqual(opened, thread.Version);
    }

    [Fact]
    public void A_resolved_thread_refuses_replies_until_it_is_reopened()
    {
        var assessment = Submitted();
        var thread = FeedbackThread.Start(assessment.CurrentSubmission!, assessment.Elements[0].ElementId, "Which policy?", "reviewer", Now);

        thread.Resolve("manager", Now.AddDays(1));
        var refused = Assert.Throws<DomainException>(() => thread.Reply(ThreadSide.Reviewer, "One more thing", "reviewer", Now.AddDays(2)));
        Assert.Throws<DomainException>(() => thread.Resolve("reviewer", Now.AddDays(2)));

        Assert.Equal("This thread is resolved: reopen it to reply.", refused.Message);
        Assert.Equal((ThreadStatus.Resolved, "manager"), (thread.Status, thread.ResolvedBy));
        Assert.Single(thread.Messages);

        thread.Reopen();
        thread.Reply(ThreadSide.Reviewer, "One more thing", "reviewer", Now.AddDays(2));

        Assert.True(thread.IsOpen);
        Assert.Null(thread.ResolvedAt);
        Assert.Equal(2, thread.Messages.Count);
        Assert.Throws<DomainException>(thread.Reopen);
    }

    [Fact]
    public void A_thread_needs_text_within_the_limit_an_element_of_the_round_and_a_round_that_stands()
    {
        var assessment = Submitted();
        var round = assessment.CurrentSubmission!;
        var element = assessment.Elements[0].ElementId;

        Assert.Equal("Write a message.", Assert.Throws<DomainException>(() => FeedbackThread.Start(round, element, "   ", "reviewer", Now)).Message);
        Assert.Contains($"at most {Limits.FeedbackText}", Assert.Throws<DomainException>(() => FeedbackThread.Start(round, element, new string('x', Limits.FeedbackText + 1), "reviewer", Now)).Message);
        Assert.Throws<DomainException>(() => FeedbackThread.Start(round, Guid.NewGuid(), "Which policy?", "reviewer", Now));

        assessment.Withdraw(Now, "u1");
        Assert.Throws<DomainException>(() => FeedbackThread.Start(round, element, "Which policy?", "reviewer", Now));
    }
}
