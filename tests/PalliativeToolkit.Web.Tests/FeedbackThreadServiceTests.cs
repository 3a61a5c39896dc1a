using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Feedback;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Feedback threads: a reviewer opens one on an element of a submitted assessment at any time, the organization's
/// managers and contributors answer, a reviewer or a manager resolves; each side is told; concurrent replies are all
/// kept; and nobody outside the organization and the reviewers reaches any of it.
/// </summary>
public class FeedbackThreadServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly Uri Portal = new("http://portal.test/");

    private FeedbackThreadService Threads => factory.Services.CreateScope().ServiceProvider.GetRequiredService<FeedbackThreadService>();

    private AssessmentService Assessments => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AssessmentService>();

    private TestData Data => factory.Data;

    private sealed record Plan(Organization Organization, TestUser Manager, TestUser Contributor, TestUser Viewer, TestUser Reviewer, TestUser OtherReviewer, Assessment Assessment, Guid ElementId, string ElementCode);

    /// <summary>A plan with a manager, a contributor and a viewer, its assessment submitted; two reviewers.</summary>
    private async Task<Plan> SubmittedPlanAsync(string cycle = "2026")
    {
        var organization = await Data.PlanAsync();
        var assessment = await Data.AssessmentAsync(organization, cycle, Answer.Met, submit: true);
        var element = await Data.StoredAsync(db => (from s in db.SubmittedElements
                                                    join e in db.Elements on s.ElementId equals e.Id
                                                    join r in db.Submissions on s.SubmissionId equals r.Id
                                                    where r.AssessmentId == assessment.Id
                                                    orderby e.Code
                                                    select new { e.Id, e.Code }).FirstAsync());
        return new Plan(
            organization,
            await Data.UserAsync(organization, OrganizationRole.Manager),
            await Data.UserAsync(organization, OrganizationRole.Contributor),
            await Data.UserAsync(organization, OrganizationRole.Viewer),
            await Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer),
            await Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer),
            assessment, element.Id, element.Code);
    }

    private async Task<ThreadChange> OpenAsync(Plan plan, string text = "Which policy documents eligibility?")
    {
        var opened = await Threads.OpenAsync(plan.Reviewer.Principal, new OpenThreadCommand { AssessmentId = plan.Assessment.Id, ElementId = plan.ElementId, Text = text }, Portal);
        Assert.True(opened.Succeeded, opened.Message);
        return opened.Value;
    }

    private Task<List<Notification>> NotificationsOfAsync(TestUser user, NotificationKind kind) =>
        Data.StoredAsync(db => db.Notifications.Where(n => n.RecipientId == user.Id && n.Kind == kind).OrderBy(n => n.CreatedAt).ToListAsync());

    private async Task<ThreadView> ThreadAsSeenByAsync(TestUser user, Plan plan)
    {
        var threads = await Threads.ForAssessmentAsync(user.Principal, plan.Assessment.Id);
        Assert.True(threads.Succeeded, threads.Message);
        return Assert.Single(threads.Value.On(plan.ElementId));
    }

    [Fact]
    public async Task A_reviewer_opens_a_thread_on_an_element_and_the_plans_managers_and_contributors_are_told_with_the_message()
    {
        var plan = await SubmittedPlanAsync();

        var opened = await OpenAsync(plan, "Which policy documents eligibility?\nPlease link it.");

        foreach (var member in new[] { plan.Manager, plan.Contributor })
        {
            var told = Assert.Single(await NotificationsOfAsync(member, NotificationKind.FeedbackFromReviewer));
            Assert.Equal($"{plan.Organization.Name} 2026, {plan.ElementCode}: {plan.Reviewer.DisplayName} opened a feedback thread", told.Title);
            Assert.Contains("Which policy documents eligibility?\nPlease link it.", told.Body, StringComparison.Ordinal);
            Assert.Equal($"assessments/{plan.Assessment.Id}?element={plan.ElementCode}#element-{plan.ElementCode}", told.Link);
            Assert.Equal(plan.Assessment.Id, told.AssessmentId);
        }

        Assert.Empty(await NotificationsOfAsync(plan.Viewer, NotificationKind.FeedbackFromReviewer));
        Assert.Empty(await Data.StoredAsync(db => db.Notifications.Where(n => n.RecipientId == plan.Reviewer.Id || n.RecipientId == plan.OtherReviewer.Id).Where(n => n.Kind == NotificationKind.FeedbackFromReviewer || n.Kind == NotificationKind.FeedbackFromOrganization).ToListAsync()));
        await Mailbox.WaitForAsync(factory.MailFolder, plan.Manager.Email, $"PalliativeToolkit: {plan.Organization.Name} 2026, {plan.ElementCode}: {plan.Reviewer.DisplayName} opened a feedback thread");

        // On the element: the message, its author and side; who may do what.
        var asManager = await ThreadAsSeenByAsync(plan.Manager, plan);
        var message = Assert.Single(asManager.Messages);
        Assert.Equal((plan.Reviewer.DisplayName, ThreadSide.Reviewer, "Statewide reviewer", "Which policy documents eligibility?\nPlease link it."), (message.Author, message.Side, message.SideName, message.Text));
        Assert.Equal((opened.ThreadId, opened.Version, ThreadStatus.Open, ThreadSide.Organization, plan.Organization.Name), (asManager.Id, asManager.Version, asManager.Status, asManager.AwaitedSide, asManager.AwaitedName));
        Assert.Equal((true, true), (asManager.CanReply, asManager.CanResolve));
        var asContributor = await ThreadAsSeenByAsync(plan.Contributor, plan);
        Assert.Equal((true, false), (asContributor.CanReply, asContributor.CanResolve));
        var asViewer = await ThreadAsSeenByAsync(plan.Viewer, plan);
        Assert.Equal((false, false), (asViewer.CanReply, asViewer.CanResolve));
        Assert.False((await Threads.ForAssessmentAsync(plan.Manager.Principal, plan.Assessment.Id)).Value.CanOpen);
        Assert.True((await Threads.ForAssessmentAsync(plan.Reviewer.Principal, plan.Assessment.Id)).Value.CanOpen);

        // In the plan's list of open threads, waiting on it.
        var row = Assert.Single((await Threads.ListAsync(plan.Manager.Principal, new ThreadListQuery())).Value.Rows);
        Assert.Equal((plan.ElementCode, "2026", plan.Reviewer.DisplayName, ThreadSide.Organization, true, 1), (row.ElementCode, row.Cycle, row.LastAuthor, row.AwaitedSide, row.AwaitsYou, row.Messages));
        Assert.Equal($"assessments/{plan.Assessment.Id}?element={plan.ElementCode}#element-{plan.ElementCode}", row.Link);
        Assert.False(Assert.Single((await Threads.ListAsync(plan.Viewer.Principal, new ThreadListQuery())).Value.Rows).AwaitsYou);
    }

    [Fact]
    public async Task The_plan_answers_the_reviewers_in_the_thread_are_told_and_the_thread_then_waits_on_them()
    {
        var plan = await SubmittedPlanAsync();
        var opened = await OpenAsync(plan);

        var reply = await Threads.ReplyAsync(plan.Contributor.Principal, new ReplyCommand { ThreadId = opened.ThreadId, Text = "  It is linked in the evidence now.  " }, Portal);

        Assert.True(reply.Succeeded, reply.Message);
        var told = Assert.Single(await NotificationsOfAsync(plan.Reviewer, NotificationKind.FeedbackFromOrganization));
        Assert.Equal($"{plan.Organization.Name} 2026, {plan.ElementCode}: {plan.Contributor.DisplayName} replied in the feedback thread", told.Title);
        Assert.Contains("It is linked in the evidence now.", told.Body, StringComparison.Ordinal);
        Assert.Empty(await NotificationsOfAsync(plan.OtherReviewer, NotificationKind.FeedbackFromOrganization));
        Assert.Empty(await NotificationsOfAsync(plan.Manager, NotificationKind.FeedbackFromOrganization));

        var thread = await ThreadAsSeenByAsync(plan.Reviewer, plan);
        Assert.Equal(ThreadSide.Reviewer, thread.AwaitedSide);
        Assert.Equal(["Which policy documents eligibility?", "It is linked in the evidence now."], thread.Messages.Select(m => m.Text));
        Assert.Equal([ThreadSide.Reviewer, ThreadSide.Organization], thread.Messages.Select(m => m.Side));
        Assert.Equal(plan.Organization.Name, thread.Messages[1].SideName);
        var reviewerRow = Assert.Single((await Threads.ListAsync(plan.Reviewer.Principal, new ThreadListQuery(plan.Organization.Id))).Value.Rows);
        Assert.Equal((ThreadSide.Reviewer, true, "It is linked in the evidence now."), (reviewerRow.AwaitedSide, reviewerRow.AwaitsYou, reviewerRow.LastText));
        Assert.False(Assert.Single((await Threads.ListAsync(plan.Manager.Principal, new ThreadListQuery())).Value.Rows).AwaitsYou);

        // Another reviewer answers: the plan's managers and contributors are told again.
        Assert.True((await Threads.ReplyAsync(plan.OtherReviewer.Principal, new ReplyCommand { ThreadId = opened.ThreadId, Text = "Thank you. And the date it was approved?" }, Portal)).Succeeded);
        Assert.Equal(2, (await NotificationsOfAsync(plan.Manager, NotificationKind.FeedbackFromReviewer)).Count);
        Assert.Equal(ThreadSide.Organization, (await ThreadAsSeenByAsync(plan.Manager, plan)).AwaitedSide);
    }

    [Fact]
    public async Task Viewers_read_only_contributors_do_not_resolve_and_a_resolved_thread_refuses_replies_until_it_is_reopened()
    {
        var plan = await SubmittedPlanAsync();
        var opened = await OpenAsync(plan);

        var byViewer = await Threads.ReplyAsync(plan.Viewer.Principal, new ReplyCommand { ThreadId = opened.ThreadId, Text = "I think so" });
        var resolvedByContributor = await Threads.ResolveAsync(plan.Contributor.Principal, opened.ThreadId, opened.Version);
        var openedByManager = await Threads.OpenAsync(plan.Manager.Principal, new OpenThreadCommand { AssessmentId = plan.Assessment.Id, ElementId = plan.ElementId, Text = "Us too" });

        Assert.Contains("read this thread but not write", Assert.IsType<Failure.Refused>(byViewer.Failure).Message, StringComparison.Ordinal);
        Assert.IsType<Failure.Refused>(resolvedByContributor.Failure);
        Assert.Equal("Only a statewide reviewer can open a feedback thread.", Assert.IsType<Failure.Refused>(openedByManager.Failure).Message);

        var resolved = await Threads.ResolveAsync(plan.Manager.Principal, opened.ThreadId, opened.Version, Portal);
        Assert.True(resolved.Succeeded, resolved.Message);
        Assert.Single(await NotificationsOfAsync(plan.Reviewer, NotificationKind.FeedbackFromOrganization));
        Assert.Empty((await Threads.ListAsync(plan.Manager.Principal, new ThreadListQuery())).Value.Rows);
        Assert.Single((await Threads.ListAsync(plan.Manager.Principal, new ThreadListQuery(Status: ThreadStatus.Resolved))).Value.Rows);

        var late = await Threads.ReplyAsync(plan.Reviewer.Principal, new ReplyCommand { ThreadId = opened.ThreadId, Text = "One more thing" });
        var refusal = Assert.IsType<Failure.Refused>(late.Failure).Message;
        Assert.StartsWith($"This thread was resolved by {plan.Manager.DisplayName} on ", refusal, StringComparison.Ordinal);
        Assert.EndsWith(": reopen it to reply.", refusal, StringComparison.Ordinal);
        Assert.Single(await Data.StoredAsync(db => db.FeedbackMessages.Where(m => m.ThreadId == opened.ThreadId).ToListAsync()));

        // Resolving again what the page showed before is a conflict, not a second resolution.
        Assert.IsType<Failure.Conflict>((await Threads.ResolveAsync(plan.Reviewer.Principal, opened.ThreadId, opened.Version)).Failure);

        var reopened = await Threads.ReopenAsync(plan.Reviewer.Principal, opened.ThreadId, resolved.Value.Version, Portal);
        Assert.True(reopened.Succeeded, reopened.Message);
        Assert.True((await Threads.ReplyAsync(plan.Reviewer.Principal, new ReplyCommand { ThreadId = opened.ThreadId, Text = "One more thing" })).Succeeded);
        var thread = await ThreadAsSeenByAsync(plan.Manager, plan);
        Assert.Equal((ThreadStatus.Open, 2), (thread.Status, thread.Messages.Count));
        Assert.Null(thread.ResolvedBy);
    }

    [Theory]
    [InlineData("   ", "Write a message.")]
    [InlineData("Text with a right-to-left \u202E override", TextRules.HiddenCharactersMessage)]
    [InlineData("Zero\u200Bwidth space", TextRules.HiddenCharactersMessage)]
    [InlineData(null, "A message can be at most 2000 characters.")]
    public async Task A_message_that_breaks_a_rule_is_refused_next_to_its_box_and_nothing_is_written(string? text, string expected)
    {
        var plan = await SubmittedPlanAsync();
        text ??= new string('x', Limits.FeedbackText + 1);
        var opened = await OpenAsync(plan);

        var open = await Threads.OpenAsync(plan.Reviewer.Principal, new OpenThreadCommand { AssessmentId = plan.Assessment.Id, ElementId = plan.ElementId, Text = text });
        var reply = await Threads.ReplyAsync(plan.Manager.Principal, new ReplyCommand { ThreadId = opened.ThreadId, Text = text });

        Assert.Equal(expected, open.ErrorFor(nameof(OpenThreadCommand.Text)));
        Assert.Equal(expected, reply.ErrorFor(nameof(ReplyCommand.Text)));
        Assert.Single(await Data.StoredAsync(db => db.FeedbackThreads.Where(t => t.AssessmentId == plan.Assessment.Id).ToListAsync()));
        Assert.Single(await Data.StoredAsync(db => db.FeedbackMessages.Where(m => m.ThreadId == opened.ThreadId).ToListAsync()));
    }

    [Fact]
    public async Task Threads_open_on_any_round_that_stands_awaiting_review_returned_or_accepted_never_on_a_draft_or_another_element()
    {
        var plan = await SubmittedPlanAsync();
        await OpenAsync(plan, "While it awaits review");
        var returned = await Data.AssessmentAsync(plan.Organization, "2027", Answer.Met, submit: true);
        await Data.ReviewAsync(returned.Id, "Add the policy.");
        var accepted = await Data.AssessmentAsync(plan.Organization, "2028", Answer.Met, submit: true);
        await Data.ReviewAsync(accepted.Id, null);
        var draft = await Data.AssessmentAsync(plan.Organization, "2029", Answer.Met);

        foreach (var assessment in new[] { returned, accepted })
        {
            var opened = await Threads.OpenAsync(plan.Reviewer.Principal, new OpenThreadCommand { AssessmentId = assessment.Id, ElementId = plan.ElementId, Text = "A question" });
            Assert.True(opened.Succeeded, opened.Message);
        }

        var onDraft = await Threads.OpenAsync(plan.Reviewer.Principal, new OpenThreadCommand { AssessmentId = draft.Id, ElementId = plan.ElementId, Text = "A question" });
        var onOtherElement = await Threads.OpenAsync(plan.Reviewer.Principal, new OpenThreadCommand { AssessmentId = returned.Id, ElementId = Guid.NewGuid(), Text = "A question" });

        Assert.IsType<Failure.NotFound>(onDraft.Failure);
        Assert.Equal("A feedback thread can only concern an element of this assessment.", Assert.IsType<Failure.Refused>(onOtherElement.Failure).Message);
        Assert.IsType<Failure.NotFound>((await Threads.ForAssessmentAsync(plan.Reviewer.Principal, draft.Id)).Failure);
        Assert.False((await Threads.ForAssessmentAsync(plan.Manager.Principal, draft.Id)).Value.CanOpen);
        var list = (await Threads.ListAsync(plan.Contributor.Principal, new ThreadListQuery())).Value.Rows;
        Assert.Equal(["2026", "2027", "2028"], list.Select(r => r.Cycle).Order());
    }

    [Fact]
    public async Task Replies_sent_at_the_same_moment_are_all_kept_none_overwrites_another()
    {
        var plan = await SubmittedPlanAsync();
        var opened = await OpenAsync(plan);
        var writers = new[] { plan.Manager, plan.Contributor, plan.Reviewer, plan.OtherReviewer, plan.Manager, plan.Contributor };

        var replies = await Task.WhenAll(writers.Select((writer, i) =>
            Threads.ReplyAsync(writer.Principal, new ReplyCommand { ThreadId = opened.ThreadId, Text = $"Reply {i}" })));

        Assert.All(replies, r => Assert.True(r.Succeeded, r.Message));
        var stored = await Data.StoredAsync(db => db.FeedbackMessages.Where(m => m.ThreadId == opened.ThreadId).Select(m => m.Text).ToListAsync());
        Assert.Equal(["Reply 0", "Reply 1", "Reply 2", "Reply 3", "Reply 4", "Reply 5", "Which policy documents eligibility?"], stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_member_who_turned_the_kind_off_is_not_told()
    {
        var plan = await SubmittedPlanAsync();
        var choices = new NotificationChoices();
        choices.Wanted.Remove(NotificationKind.FeedbackFromReviewer);
        using (var scope = factory.Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<NotificationService>().SaveChoicesAsync(plan.Contributor.Principal, choices)).Succeeded);
        }

        await OpenAsync(plan);

        Assert.Empty(await NotificationsOfAsync(plan.Contributor, NotificationKind.FeedbackFromReviewer));
        Assert.Single(await NotificationsOfAsync(plan.Manager, NotificationKind.FeedbackFromReviewer));
    }

    [Fact]
    public async Task Another_plan_and_a_provider_sharing_with_the_plan_reach_nothing_of_its_threads_and_the_plan_nothing_of_the_providers()
    {
        var plan = await SubmittedPlanAsync();
        var opened = await OpenAsync(plan, "A question only the plan may read");
        var otherPlan = await Data.PlanAsync();
        var otherManager = await Data.UserAsync(otherPlan, withPassword: true);
        var provider = await Data.ProviderAsync();
        var providerManager = await Data.UserAsync(provider);
        await Data.PartnershipAsync(plan.Organization, provider);
        var readiness = await Data.AssessmentAsync(provider, answerAll: Answer.Met, submit: true);
        await Data.ShareReadinessAsync(provider, plan.Organization);
        var providerThread = await Data.ThreadAsync(readiness.Id, "A question only the provider may read");

        foreach (var outsider in new[] { otherManager, providerManager })
        {
            Assert.IsType<Failure.NotFound>((await Threads.ForAssessmentAsync(outsider.Principal, plan.Assessment.Id)).Failure);
            Assert.IsType<Failure.NotFound>((await Threads.ReplyAsync(outsider.Principal, new ReplyCommand { ThreadId = opened.ThreadId, Text = "Me too" })).Failure);
            Assert.IsType<Failure.NotFound>((await Threads.ResolveAsync(outsider.Principal, opened.ThreadId, opened.Version)).Failure);
            Assert.IsType<Failure.NotFound>((await Threads.ReopenAsync(outsider.Principal, opened.ThreadId, opened.Version)).Failure);
            Assert.DoesNotContain((await Threads.ListAsync(outsider.Principal, new ThreadListQuery())).Value.Rows, r => r.OrganizationId == plan.Organization.Id);
            Assert.Empty(await Data.StoredAsync(db => db.Notifications.Where(n => n.RecipientId == outsider.Id).ToListAsync()));
        }

        // The plan reads the provider's shared readiness, never the thread about it.
        Assert.True((await Assessments.GetAsync(plan.Manager.Principal, readiness.Id)).Succeeded);
        Assert.IsType<Failure.NotFound>((await Threads.ForAssessmentAsync(plan.Manager.Principal, readiness.Id)).Failure);
        Assert.IsType<Failure.NotFound>((await Threads.ReplyAsync(plan.Manager.Principal, new ReplyCommand { ThreadId = providerThread.Id, Text = "Me too" })).Failure);
        Assert.DoesNotContain((await Threads.ListAsync(plan.Manager.Principal, new ThreadListQuery())).Value.Rows, r => r.ThreadId == providerThread.Id);
        Assert.Single((await Threads.ListAsync(providerManager.Principal, new ThreadListQuery())).Value.Rows, r => r.ThreadId == providerThread.Id);

        // Over HTTP: the other plan's manager finds neither the plan's thread in the list nor its assessment.
        var client = await factory.SignedInClientAsync(otherManager.Email, TestUser.Password);
        var page = await client.GetStringAsync("/feedback");
        Assert.Contains("Feedback threads", page, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Organization.Name, page, StringComparison.Ordinal);
        Assert.DoesNotContain("A question only the plan may read", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/assessments/{plan.Assessment.Id}?element={plan.ElementCode}")).StatusCode);
    }

    [Fact]
    public async Task A_locked_account_is_not_told_of_a_thread()
    {
        var plan = await SubmittedPlanAsync();
        await Data.StoredAsync(db => db.Users.Where(u => u.Id == plan.Contributor.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnd, factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddYears(10)).SetProperty(x => x.LockoutEnabled, true)));

        await OpenAsync(plan);

        Assert.Single(await NotificationsOfAsync(plan.Manager, NotificationKind.FeedbackFromReviewer));
        Assert.Empty(await NotificationsOfAsync(plan.Contributor, NotificationKind.FeedbackFromReviewer));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("%00")]
    [InlineData("12345678-1234-1234-1234-1234567890zz")]
    public async Task A_mangled_organization_in_the_lists_link_shows_a_message_not_an_error(string organization)
    {
        var client = await factory.SignedInClientAsync("manager");

        var response = await client.GetAsync($"/feedback?organization={organization}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("threads-bad-organization", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reviewers_list_holds_every_organizations_open_threads_filtered_by_organization_and_nobody_signed_out_sees_any()
    {
        var first = await SubmittedPlanAsync();
        var second = await SubmittedPlanAsync();
        await OpenAsync(first);
        await OpenAsync(second);

        var all = (await Threads.ListAsync(first.Reviewer.Principal, new ThreadListQuery())).Value;
        var one = (await Threads.ListAsync(first.Reviewer.Principal, new ThreadListQuery(second.Organization.Id))).Value;
        var anonymous = await Threads.ListAsync(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity()), new ThreadListQuery());

        Assert.True(all.IsReviewer);
        Assert.Contains(all.Rows, r => r.OrganizationId == first.Organization.Id);
        Assert.Contains(all.Rows, r => r.OrganizationId == second.Organization.Id);
        Assert.Contains(all.Organizations, o => o.Id == first.Organization.Id && o.Name == first.Organization.Name);
        Assert.All(one.Rows, r => Assert.Equal(second.Organization.Id, r.OrganizationId));
        Assert.Single(one.Rows);
        Assert.IsType<Failure.Refused>(anonymous.Failure);
    }
}
