using System.Net;
using Ical.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.ActionPlans;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Action plans: gaps become items once, with the guide's help; owners are members; due dates don't start in the past;
/// stale versions are refused; reviewers read submitted plans only; owners are told; the calendar file and the private
/// feed carry the due dates, and a revoked feed answers nothing.
/// </summary>
public class ActionPlanServiceTests(NotificationPortalFactory factory) : IClassFixture<NotificationPortalFactory>
{
    private T Service<T>() where T : notnull => factory.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    private ActionPlanService Plans => Service<ActionPlanService>();

    private DateOnly Today => CaliforniaTime.Today(factory.Clock);

    /// <summary>A plan with a manager, a contributor and a viewer, and an assessment with every criterion not met (every element a gap).</summary>
    private async Task<(Organization Plan, TestUser Manager, TestUser Contributor, TestUser Viewer, Assessment Assessment)> PlanWithGapsAsync(bool submit = false)
    {
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan, OrganizationRole.Manager);
        var contributor = await factory.Data.UserAsync(plan, OrganizationRole.Contributor);
        var viewer = await factory.Data.UserAsync(plan, OrganizationRole.Viewer);
        var assessment = await factory.Data.AssessmentAsync(plan, "2026", Answer.NotMet, submit);
        return (plan, manager, contributor, viewer, assessment);
    }

    private async Task<ActionItemView> DraftOneAsync(TestUser manager, Assessment assessment, string key = "A1")
    {
        Assert.True((await Plans.DraftAsync(manager.Principal, new DraftItemsCommand(assessment.Id, [key]))).Succeeded);
        var view = (await Plans.GetAsync(manager.Principal, assessment.OrganizationId)).Value;
        return view.Items.Single(i => i.CriteriaCodes.Contains(key) || i.ElementCode == key && i.Source == ActionSource.Gap);
    }

    private static SaveActionItemCommand Edit(ActionItemView item) => new()
    {
        Id = item.Id,
        ExpectedVersion = item.Version,
        Title = item.Title,
        OwnerId = item.OwnerId,
        DueDate = item.DueDate?.ToDateTime(TimeOnly.MinValue),
        Status = item.Status,
        Notes = item.Notes,
        ResourceIds = item.Resources.Select(r => r.Id).ToList(),
    };

    [Fact]
    public async Task Every_gap_becomes_one_item_with_the_unmet_criteria_and_the_guides_help()
    {
        var (plan, manager, _, _, assessment) = await PlanWithGapsAsync();

        var before = (await Plans.GetAsync(manager.Principal, plan.Id)).Value;
        var all = await Plans.DraftAsync(manager.Principal, new DraftItemsCommand(assessment.Id, [], AllGaps: true));
        var again = await Plans.DraftAsync(manager.Principal, new DraftItemsCommand(assessment.Id, [], AllGaps: true));
        var after = (await Plans.GetAsync(manager.Principal, plan.Id)).Value;

        var gaps = before.Gaps.Count(g => g.IsGap);
        Assert.True(gaps >= 10, $"every element of the plan's sections is a gap, found {gaps}");
        Assert.Equal(gaps, all.Value);
        Assert.Equal(0, again.Value);
        Assert.Equal(gaps, after.Items.Count);
        Assert.All(after.Gaps.Where(g => g.IsGap), g => Assert.NotNull(g.GapItemId));

        var framework = await factory.Data.StoredAsync(db => db.Elements.Include(e => e.Criteria).SingleAsync(e => e.Code == "A1" && db.FrameworkVersions.Any(f => f.IsCurrent && f.Id == e.Section!.FrameworkVersionId)));
        var a1 = after.Items.Single(i => i.ElementCode == "A1");
        Assert.Equal(ActionSource.Gap, a1.Source);
        Assert.Equal(framework.Criteria.Where(c => c.Kind == Domain.Frameworks.CriterionKind.Minimum).Select(c => c.Code).Order(), a1.CriteriaCodes.Order());
        Assert.Equal(framework.EnhancementText.Trim(), a1.Guidance);
        Assert.Equal(ActionStatus.Planned, a1.Status);
        Assert.Equal(Level.BelowMinimum, a1.LevelWhenPlanned);
        var libraryForA1 = await factory.Data.StoredAsync(db => db.LibraryResources.Where(r => r.RetiredAt == null).ToListAsync());
        Assert.Equal(libraryForA1.Where(r => r.ElementCodes.Contains("A1")).Select(r => r.Title).Order(), a1.Resources.Select(r => r.Title).Order());
        Assert.NotEmpty(a1.Resources);
        Assert.Null(a1.Outcome);
    }

    [Fact]
    public async Task A_chosen_enhancement_becomes_an_item_and_an_unknown_code_changes_nothing()
    {
        var (plan, manager, _, _, assessment) = await PlanWithGapsAsync();
        var enhancement = (await Plans.GetAsync(manager.Principal, plan.Id)).Value.Gaps.SelectMany(g => g.Enhancements).First();

        var added = await Plans.DraftAsync(manager.Principal, new DraftItemsCommand(assessment.Id, [enhancement.Code]));
        var unknown = await Plans.DraftAsync(manager.Principal, new DraftItemsCommand(assessment.Id, ["A1", "Z9-E1"]));

        Assert.Equal(1, added.Value);
        var refused = Assert.IsType<Failure.Refused>(unknown.Failure);
        Assert.Contains("Z9-E1", refused.Message, StringComparison.Ordinal);
        var items = (await Plans.GetAsync(manager.Principal, plan.Id)).Value.Items;
        var item = Assert.Single(items);
        Assert.Equal((ActionSource.Enhancement, enhancement.Text), (item.Source, item.Guidance));
        Assert.StartsWith($"Adopt enhancement {enhancement.Code}", item.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_must_be_a_member_and_a_new_due_date_neither_past_nor_implausible_each_said_next_to_its_field()
    {
        var (_, manager, contributor, _, assessment) = await PlanWithGapsAsync();
        var outsider = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var item = await DraftOneAsync(manager, assessment);

        var notMember = await Plans.SaveAsync(manager.Principal, new SaveActionItemCommand
        {
            Id = item.Id,
            ExpectedVersion = item.Version,
            Title = item.Title,
            OwnerId = outsider.Id,
            Status = item.Status,
        });
        var past = await Plans.SaveAsync(manager.Principal, new SaveActionItemCommand
        {
            Id = item.Id,
            ExpectedVersion = item.Version,
            Title = item.Title,
            DueDate = Today.AddDays(-1).ToDateTime(TimeOnly.MinValue),
            Status = item.Status,
        });
        var blank = await Plans.SaveAsync(manager.Principal, new SaveActionItemCommand { Id = item.Id, ExpectedVersion = item.Version, Title = " " });
        var farOff = await Plans.SaveAsync(manager.Principal, new SaveActionItemCommand
        {
            Id = item.Id,
            ExpectedVersion = item.Version,
            Title = item.Title,
            DueDate = new DateTime(9999, 12, 31),
            Status = item.Status,
        });

        Assert.Equal("Choose a member of the organization as the owner.", notMember.ErrorFor(nameof(SaveActionItemCommand.OwnerId)));
        Assert.StartsWith("The due date can't be in the past", past.ErrorFor(nameof(SaveActionItemCommand.DueDate)), StringComparison.Ordinal);
        Assert.Equal("Give the item a title.", blank.ErrorFor(nameof(SaveActionItemCommand.Title)));
        Assert.Equal("Choose a date between the years 2000 and 2100.", farOff.ErrorFor(nameof(SaveActionItemCommand.DueDate)));
        var stored = await factory.Data.StoredAsync(db => db.ActionItems.SingleAsync(i => i.Id == item.Id));
        Assert.Equal((item.Version, null, null), (stored.Version, stored.OwnerId, stored.DueDate));

        var saved = await Plans.SaveAsync(contributor.Principal, Edit(item));
        Assert.True(saved.Succeeded, saved.Message);
    }

    [Fact]
    public async Task A_change_made_on_a_stale_version_is_refused_and_the_other_change_kept()
    {
        var (_, manager, contributor, _, assessment) = await PlanWithGapsAsync();
        var item = await DraftOneAsync(manager, assessment);

        var first = Edit(item);
        first.Notes = "Manager's notes";
        first.Status = ActionStatus.InProgress;
        var second = Edit(item);
        second.Notes = "Contributor's notes";

        Assert.True((await Plans.SaveAsync(manager.Principal, first)).Succeeded);
        var stale = await Plans.SaveAsync(contributor.Principal, second);

        Assert.IsType<Failure.Conflict>(stale.Failure);
        var stored = await factory.Data.StoredAsync(db => db.ActionItems.SingleAsync(i => i.Id == item.Id));
        Assert.Equal(("Manager's notes", ActionStatus.InProgress), (stored.Notes, stored.Status));
    }

    [Fact]
    public async Task Viewers_read_but_do_not_change_and_other_organizations_reach_nothing()
    {
        var (plan, manager, _, viewer, assessment) = await PlanWithGapsAsync();
        var other = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var item = await DraftOneAsync(manager, assessment);

        var read = await Plans.GetAsync(viewer.Principal, plan.Id);
        var viewerSaves = await Plans.SaveAsync(viewer.Principal, Edit(item));
        var viewerDrafts = await Plans.DraftAsync(viewer.Principal, new DraftItemsCommand(assessment.Id, [], AllGaps: true));
        var otherReads = await Plans.GetAsync(other.Principal, plan.Id);
        var otherItem = await Plans.GetItemAsync(other.Principal, item.Id);
        var otherSaves = await Plans.SaveAsync(other.Principal, Edit(item));
        var otherDrafts = await Plans.DraftAsync(other.Principal, new DraftItemsCommand(assessment.Id, [], AllGaps: true));
        var otherByItem = await Plans.GetAsync(other.Principal, itemId: item.Id);

        Assert.False(read.Value.CanEdit);
        Assert.Single(read.Value.Items);
        Assert.IsType<Failure.Refused>(viewerSaves.Failure);
        Assert.IsType<Failure.Refused>(viewerDrafts.Failure);
        Assert.IsType<Failure.NotFound>(otherReads.Failure);
        Assert.IsType<Failure.NotFound>(otherItem.Failure);
        Assert.IsType<Failure.NotFound>(otherSaves.Failure);
        Assert.IsType<Failure.NotFound>(otherDrafts.Failure);
        Assert.DoesNotContain(otherByItem.Value.Items, i => i.Id == item.Id);
        Assert.Single(await factory.Data.StoredAsync(db => db.ActionItems.Where(i => i.OrganizationId == plan.Id).ToListAsync()));
    }

    [Fact]
    public async Task Reviewers_read_the_items_of_submitted_assessments_only_and_count_open_items_per_element()
    {
        var (submittedPlan, submittedManager, _, _, submitted) = await PlanWithGapsAsync(submit: true);
        var (draftPlan, draftManager, _, _, draft) = await PlanWithGapsAsync();
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var before = (await Plans.OpenItemsPerElementAsync(reviewer.Principal)).Value;
        await Plans.DraftAsync(submittedManager.Principal, new DraftItemsCommand(submitted.Id, ["A1", "A2"]));
        await Plans.DraftAsync(draftManager.Principal, new DraftItemsCommand(draft.Id, ["A1", "A3"]));

        var ofSubmitted = await Plans.GetAsync(reviewer.Principal, submittedPlan.Id);
        var ofDraft = await Plans.GetAsync(reviewer.Principal, draftPlan.Id);
        var reviewerSaves = await Plans.SaveAsync(reviewer.Principal, Edit(ofSubmitted.Value.Items[0]));
        var counts = (await Plans.OpenItemsPerElementAsync(reviewer.Principal)).Value;
        var managerCounts = await Plans.OpenItemsPerElementAsync(submittedManager.Principal);

        Assert.Equal(["A1", "A2"], ofSubmitted.Value.Items.Select(i => i.ElementCode));
        Assert.False(ofSubmitted.Value.CanEdit);
        Assert.Empty(ofSubmitted.Value.Gaps);
        Assert.IsType<Failure.NotFound>(ofDraft.Failure);
        Assert.IsType<Failure.NotFound>(reviewerSaves.Failure);
        int Open(IReadOnlyList<OpenItemsForElement> list, string code) => list.FirstOrDefault(e => e.ElementCode == code)?.OpenItems ?? 0;
        Assert.Equal(Open(before, "A1") + 1, Open(counts, "A1"));
        Assert.Equal(Open(before, "A2") + 1, Open(counts, "A2"));
        Assert.Equal(Open(before, "A3"), Open(counts, "A3"));
        Assert.IsType<Failure.Refused>(managerCounts.Failure);
    }

    [Fact]
    public async Task The_owner_is_told_of_an_assignment_and_reminded_once_of_a_due_date()
    {
        var (_, manager, contributor, _, assessment) = await PlanWithGapsAsync();
        var item = await DraftOneAsync(manager, assessment);
        var assign = Edit(item);
        assign.OwnerId = contributor.Id;
        assign.DueDate = Today.AddDays(5).ToDateTime(TimeOnly.MinValue);

        var assigned = await Plans.SaveAsync(manager.Principal, assign);
        var notifier = Service<Notifier>();
        await notifier.ActionItemsDueAsync(Today, 7);
        await notifier.ActionItemsDueAsync(Today, 7);
        await notifier.ActionItemsDueAsync(Today.AddDays(1), 7);

        Assert.True(assigned.Succeeded, assigned.Message);

        // Being reminded is not an edit: a page still holding the version from before saves without a conflict.
        var afterReminders = Edit((await Plans.GetItemAsync(manager.Principal, item.Id)).Value);
        Assert.Equal(assigned.Value, afterReminders.ExpectedVersion);

        var told = await factory.Data.StoredAsync(db => db.Notifications.Where(n => n.RecipientId == contributor.Id && n.Link.Contains(item.Id.ToString())).ToListAsync());
        Assert.Equal([NotificationKind.ActionItemAssigned, NotificationKind.ActionItemDueSoon], told.OrderBy(n => n.CreatedAt).ThenBy(n => n.Kind).Select(n => n.Kind));
        Assert.Contains(manager.DisplayName, told.Single(n => n.Kind == NotificationKind.ActionItemAssigned).Body, StringComparison.Ordinal);
        Assert.Empty(await factory.Data.StoredAsync(db => db.Notifications.Where(n => n.RecipientId == manager.Id && n.Link.Contains(item.Id.ToString())).ToListAsync()));

        // A new due date is a new reminder.
        var moved = Edit((await Plans.GetItemAsync(manager.Principal, item.Id)).Value);
        moved.DueDate = Today.AddDays(6).ToDateTime(TimeOnly.MinValue);
        Assert.True((await Plans.SaveAsync(manager.Principal, moved)).Succeeded);
        await notifier.ActionItemsDueAsync(Today, 7);
        Assert.Equal(2, await factory.Data.StoredAsync(db => db.Notifications.CountAsync(n => n.RecipientId == contributor.Id && n.Kind == NotificationKind.ActionItemDueSoon && n.Link.Contains(item.Id.ToString()))));
    }

    [Fact]
    public async Task The_calendar_file_holds_the_open_due_dates_and_the_private_feed_stops_when_revoked()
    {
        var (plan, manager, _, _, assessment) = await PlanWithGapsAsync();
        var outsider = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var open = Edit(await DraftOneAsync(manager, assessment, "A1"));
        open.DueDate = Today.AddDays(9).ToDateTime(TimeOnly.MinValue);
        open.OwnerId = manager.Id;
        var done = Edit(await DraftOneAsync(manager, assessment, "A2"));
        done.DueDate = Today.AddDays(3).ToDateTime(TimeOnly.MinValue);
        done.Status = ActionStatus.Done;
        await Plans.SaveAsync(manager.Principal, open);
        await Plans.SaveAsync(manager.Principal, done);
        var calendar = Service<ActionPlanCalendar>();

        var file = await calendar.FileAsync(manager.Principal, plan.Id);
        var refused = await calendar.FileAsync(outsider.Principal, plan.Id);

        var parsed = Calendar.Load(file.Value)!;
        var due = Assert.Single(parsed.Events);
        Assert.Equal($"Due: {open.Title} (yours)", due.Summary);
        Assert.Equal(Today.AddDays(9), DateOnly.FromDateTime(due.DtStart!.Value));
        Assert.False(due.DtStart.HasTime);
        Assert.IsType<Failure.NotFound>(refused.Failure);

        var token = (await calendar.CreateAsync(manager.Principal)).Value;
        var feed = await calendar.FeedAsync(token);
        Assert.Single(Calendar.Load(feed!)!.Events);
        var stored = await factory.Data.StoredAsync(db => db.CalendarSubscriptions.SingleAsync(s => s.UserId == manager.Id));
        Assert.DoesNotContain(token, stored.TokenHash, StringComparison.Ordinal);

        var replacement = (await calendar.CreateAsync(manager.Principal)).Value;
        Assert.Null(await calendar.FeedAsync(token));
        Assert.NotNull(await calendar.FeedAsync(replacement));
        await calendar.RevokeAsync(manager.Principal);
        Assert.Null(await calendar.FeedAsync(replacement));
        Assert.False((await calendar.StateAsync(manager.Principal)).Value.Exists);

        // A due date stored on the calendar's last day (before dates were kept to the years 2000 to 2100) still gives a file.
        var last = Edit(await DraftOneAsync(manager, assessment, "A3"));
        await Plans.SaveAsync(manager.Principal, last);
        await factory.Data.StoredAsync(db => db.ActionItems.Where(i => i.Id == last.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.DueDate, DateOnly.MaxValue)));
        var withLast = Calendar.Load((await calendar.FileAsync(manager.Principal, plan.Id)).Value)!;
        Assert.Equal(2, withLast.Events.Count);
        Assert.Contains(withLast.Events, e => e.DtStart!.Value.Year == 9999);
    }

    [Fact]
    public async Task Over_http_the_calendar_is_the_members_and_an_unknown_feed_answers_not_found()
    {
        var golden = await factory.OrganizationIdAsync("Golden Poppy");
        var sierra = await factory.OrganizationIdAsync("Sierra Vista");
        using var manager = await factory.SignedInClientAsync("manager");
        using var anonymous = factory.CreateClient();

        var own = await manager.GetAsync($"/action-plan/calendar.ics?organization={golden}", TestContext.Current.CancellationToken);
        var other = await manager.GetAsync($"/action-plan/calendar.ics?organization={sierra}", TestContext.Current.CancellationToken);
        var unknownFeed = await anonymous.GetAsync("/calendar/feed/not-a-real-token.ics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("text/calendar", own.Content.Headers.ContentType?.MediaType);
        var events = Calendar.Load(await own.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.Events;
        Assert.NotEmpty(events); // the demo plan's open items with due dates
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownFeed.StatusCode);
    }

    [Fact]
    public async Task The_report_shows_progress_the_next_cycle_shows_whether_the_element_improved_and_a_draft_with_items_stays()
    {
        var (plan, manager, _, _, assessment) = await PlanWithGapsAsync(submit: true);
        var item = await DraftOneAsync(manager, assessment, "A1");
        var done = Edit(item);
        done.Status = ActionStatus.Done;
        await Plans.SaveAsync(manager.Principal, done);
        await factory.Data.ReviewAsync(assessment.Id, null);

        // The next cycle meets every criterion: A1 improved.
        await factory.Data.AssessmentAsync(plan, "2027", Answer.Met);
        var (_, otherManager, _, _, draft) = await PlanWithGapsAsync();
        await DraftOneAsync(otherManager, draft, "A2");

        var report = (await Plans.ForAssessmentAsync(manager.Principal, assessment.Id)).Value;
        var view = (await Plans.GetAsync(manager.Principal, plan.Id)).Value;
        var deleting = await Service<AssessmentService>().DeleteAsync(otherManager.Principal, draft.Id);

        Assert.Equal((1, 1, 0), (report.Progress.Total, report.Progress.Done, report.Progress.Overdue));
        var outcome = view.Items.Single(i => i.Id == item.Id).Outcome;
        Assert.Equal(new ItemOutcome("2027", Level.MeetsEnhancement, LevelChange.Improved), outcome);
        Assert.IsType<Failure.Refused>(deleting.Failure);
    }

    [Fact]
    public async Task A_former_member_is_not_reminded_and_their_item_can_still_be_saved()
    {
        var (plan, manager, contributor, _, assessment) = await PlanWithGapsAsync();
        var item = Edit(await DraftOneAsync(manager, assessment));
        item.OwnerId = contributor.Id;
        item.DueDate = Today.AddDays(2).ToDateTime(TimeOnly.MinValue);
        var version = (await Plans.SaveAsync(manager.Principal, item)).Value;
        await using (var db = factory.NewContext())
        {
            db.Memberships.Remove(await db.Memberships.SingleAsync(m => m.UserId == contributor.Id && m.OrganizationId == plan.Id));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await Service<Notifier>().ActionItemsDueAsync(Today, 7);
        item.ExpectedVersion = version;
        item.Notes = "Picked up by the manager while we find a new owner.";
        var saved = await Plans.SaveAsync(manager.Principal, item);

        Assert.Empty(await factory.Data.StoredAsync(db => db.Notifications.Where(n => n.RecipientId == contributor.Id && n.Kind == NotificationKind.ActionItemDueSoon).ToListAsync()));
        Assert.True(saved.Succeeded, saved.Message);
    }

    [Fact]
    public async Task Drafting_every_gap_twice_at_once_adds_each_item_once_and_fails_neither_page()
    {
        var (plan, manager, contributor, _, assessment) = await PlanWithGapsAsync();
        var gaps = (await Plans.GetAsync(manager.Principal, plan.Id)).Value.Gaps.Count(g => g.IsGap);

        var both = await Task.WhenAll(
            Plans.DraftAsync(manager.Principal, new DraftItemsCommand(assessment.Id, [], AllGaps: true)),
            Service<ActionPlanService>().DraftAsync(contributor.Principal, new DraftItemsCommand(assessment.Id, [], AllGaps: true)));

        Assert.All(both, outcome => Assert.True(outcome.Succeeded || outcome.Failure is Failure.Refused, outcome.Message));
        Assert.Equal(gaps, await factory.Data.StoredAsync(db => db.ActionItems.CountAsync(i => i.AssessmentId == assessment.Id)));
    }

    [Fact]
    public async Task A_mistyped_address_opens_the_plan_and_a_feed_token_never_reaches_the_log()
    {
        using var manager = await factory.SignedInClientAsync("manager");

        var page = await manager.GetAsync("/action-plan?organization=xyz&assessment=%27&item=not-a-guid", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Action plan", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal("/calendar/feed/***.ics", ActionPlanCalendar.Redact("/calendar/feed/AbC-secret_token.ics"));
        Assert.Equal("/action-plan", ActionPlanCalendar.Redact("/action-plan"));
    }
}
