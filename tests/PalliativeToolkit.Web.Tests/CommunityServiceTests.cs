using System.Net;
using System.Text;
using Ical.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.ActionPlans;
using PalliativeToolkit.Web.Features.Community;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// The learning community's events: reviewers schedule, change and cancel them (stale edits refused, bad input answered
/// next to its field); people register those of their organization; registrants are reminded once and told of changes;
/// a support call with one plan is invisible to every other plan (list, page, id, calendar file, materials, feed); the
/// calendar file and the programme say what the event is and whether it took place.
/// </summary>
public class CommunityServiceTests(NotificationPortalFactory factory) : IClassFixture<NotificationPortalFactory>
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private T Service<T>() where T : notnull => factory.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    private CommunityService Community => Service<CommunityService>();

    private DateTime Now => factory.Clock.GetUtcNow().UtcDateTime;

    /// <summary>A command for an event <paramref name="days"/> days from now, at 10:00 Pacific.</summary>
    private SaveEventCommand Webinar(int days = 10, string? title = null, EventKind kind = EventKind.Webinar, Guid? plan = null)
    {
        var day = EventTime.LocalIn(Now, EventTime.Pacific).Date.AddDays(days);
        return new SaveEventCommand
        {
            Kind = kind,
            Title = title ?? $"Webinar {Guid.NewGuid():N}",
            Date = day,
            StartTime = TimeSpan.FromHours(10),
            TimeZoneId = EventTime.Pacific,
            DurationMinutes = 60,
            Topic = "Identifying eligible members",
            Presenters = "Statewide support team",
            ElementCodes = ["D1", "A1"],
            PlanOrganizationId = plan,
        };
    }

    private async Task<TestUser> ReviewerAsync() => await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

    private async Task<Guid> ScheduleAsync(TestUser reviewer, SaveEventCommand command)
    {
        var saved = await Community.SaveAsync(reviewer.Principal, command);
        Assert.True(saved.Succeeded, saved.Message);
        return saved.Value;
    }

    private Task<List<Notification>> NotificationsOfAsync(TestUser user, NotificationKind kind) =>
        factory.Data.StoredAsync(db => db.Notifications.Where(n => n.RecipientId == user.Id && n.Kind == kind).OrderBy(n => n.CreatedAt).ToListAsync());

    [Fact]
    public async Task A_reviewer_schedules_moves_and_cancels_a_webinar_and_its_registrants_are_told_each_time()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan);
        var contributor = await factory.Data.UserAsync(plan, OrganizationRole.Contributor);
        var id = await ScheduleAsync(reviewer, Webinar(12, "Finding the members who need palliative care"));

        Assert.True((await Community.RegisterAsync(manager.Principal, id, plan.Id, manager.Id)).Succeeded);
        Assert.True((await Community.RegisterAsync(manager.Principal, id, plan.Id, contributor.Id)).Succeeded);
        var view = (await Community.GetAsync(manager.Principal, id)).Value;
        Assert.Equal(["D1", "A1"], view.Elements.Select(e => e.Code));
        Assert.All(view.Elements, e => Assert.False(string.IsNullOrEmpty(e.Title)));
        Assert.Equal(2, Assert.Single(view.MyOrganizations).People.Count(p => p.RegistrationId is not null));
        Assert.Contains(id, (await Community.ListAsync(manager.Principal, EventKind.Webinar)).Value.Upcoming.Select(e => e.Id));
        Assert.DoesNotContain(id, (await Community.ListAsync(manager.Principal, EventKind.Convening)).Value.Upcoming.Select(e => e.Id));

        var moved = (await Community.EditorAsync(reviewer.Principal, id)).Value.Command;
        moved.StartTime = TimeSpan.FromHours(13);
        Assert.True((await Community.SaveAsync(reviewer.Principal, moved)).Succeeded);
        var stored = (await Community.GetAsync(reviewer.Principal, id)).Value;
        Assert.Equal(EventTime.At(moved.LocalStart!.Value, EventTime.Pacific, 60).StartsAtUtc, stored.StartsAt);

        var cancelled = await Community.CancelAsync(reviewer.Principal, new CancelEventCommand { Id = id, ExpectedVersion = stored.Version, Reason = "The presenter is ill." });
        Assert.True(cancelled.Succeeded, cancelled.Message);

        foreach (var registrant in new[] { manager, contributor })
        {
            var told = await NotificationsOfAsync(registrant, NotificationKind.EventChanged);
            Assert.Equal(2, told.Count);
            Assert.StartsWith("Moved: Finding the members", told[0].Title, StringComparison.Ordinal);
            Assert.Contains("1:00 PM", told[0].Body, StringComparison.Ordinal);
            Assert.StartsWith("Cancelled: Finding the members", told[1].Title, StringComparison.Ordinal);
            Assert.Contains("The presenter is ill.", told[1].Body, StringComparison.Ordinal);
            Assert.Equal($"community/events/{id}", told[1].Link);
        }

        var after = (await Community.GetAsync(manager.Principal, id)).Value;
        Assert.True(after.IsCancelled);
        Assert.False(after.OpenForRegistration);
        Assert.IsType<Failure.Refused>((await Community.RegisterAsync(manager.Principal, id, plan.Id, manager.Id)).Failure);
        Assert.IsType<Failure.Refused>((await Community.EditorAsync(reviewer.Principal, id)).Failure);
    }

    [Fact]
    public async Task Bad_input_is_answered_next_to_its_field_and_only_reviewers_schedule()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan);

        async Task<string?> ErrorOf(SaveEventCommand command, string field)
        {
            var outcome = await Community.SaveAsync(reviewer.Principal, command);
            Assert.IsType<Failure.Invalid>(outcome.Failure);
            return outcome.ErrorFor(field);
        }

        var untitled = Webinar();
        untitled.Title = " ";
        Assert.Equal("Enter the event's title.", await ErrorOf(untitled, nameof(SaveEventCommand.Title)));
        var undated = Webinar();
        undated.Date = null;
        Assert.Equal("Choose the day of the event.", await ErrorOf(undated, nameof(SaveEventCommand.Date)));
        var skipped = Webinar();
        skipped.Date = new DateTime(2027, 3, 14);
        skipped.StartTime = new TimeSpan(2, 30, 0);
        Assert.Contains("does not exist on March 14, 2027 in America/Los_Angeles", await ErrorOf(skipped, nameof(SaveEventCommand.StartTime)), StringComparison.Ordinal);
        var nowhere = Webinar();
        nowhere.TimeZoneId = "Mars/Olympus_Mons";
        Assert.Equal("Choose a time zone from the list.", await ErrorOf(nowhere, nameof(SaveEventCommand.TimeZoneId)));
        var instant = Webinar();
        instant.DurationMinutes = 0;
        Assert.Equal(SaveEventValidator.DurationMessage, await ErrorOf(instant, nameof(SaveEventCommand.DurationMinutes)));
        var endless = Webinar();
        endless.DurationMinutes = null;
        Assert.Equal("Enter the event's duration in minutes.", await ErrorOf(endless, nameof(SaveEventCommand.DurationMinutes)));
        var privateWebinar = Webinar(plan: plan.Id);
        Assert.StartsWith("Only a support call", await ErrorOf(privateWebinar, nameof(SaveEventCommand.PlanOrganizationId)), StringComparison.Ordinal);
        var early = Webinar();
        early.RecordingUrl = "https://www.example.org/recording";
        Assert.Equal("Add the recording link once the event has taken place.", await ErrorOf(early, nameof(SaveEventCommand.RecordingUrl)));
        var badLink = Webinar(-3);
        badLink.RecordingUrl = "javascript:alert(1)";
        Assert.StartsWith("Enter a full web address", await ErrorOf(badLink, nameof(SaveEventCommand.RecordingUrl)), StringComparison.Ordinal);
        var unknown = Webinar();
        unknown.ElementCodes = ["Z9"];
        Assert.Contains("Z9 is not one", await ErrorOf(unknown, nameof(SaveEventCommand.ElementCodes)), StringComparison.Ordinal);
        var provider = await factory.Data.ProviderAsync();
        var withProvider = Webinar(kind: EventKind.SupportCall, plan: provider.Id);
        Assert.StartsWith("Choose a managed care plan", await ErrorOf(withProvider, nameof(SaveEventCommand.PlanOrganizationId)), StringComparison.Ordinal);

        var byManager = await Community.SaveAsync(manager.Principal, Webinar());
        Assert.IsType<Failure.Refused>(byManager.Failure);
        Assert.IsType<Failure.Refused>((await Community.EditorAsync(manager.Principal, null)).Failure);
        var id = await ScheduleAsync(reviewer, Webinar());
        var noReason = await Community.CancelAsync(reviewer.Principal, new CancelEventCommand { Id = id, ExpectedVersion = Guid.NewGuid(), Reason = "" });
        Assert.Equal("Say why the event is cancelled: registrants are told.", noReason.ErrorFor(nameof(CancelEventCommand.Reason)));
        var material = await Community.AddMaterialAsync(reviewer.Principal, new AddMaterialCommand { EventId = id, Title = "Slides" });
        Assert.StartsWith("Enter a full web address", material.ErrorFor(nameof(AddMaterialCommand.Url)), StringComparison.Ordinal);
        var notAFile = await Community.AddMaterialAsync(reviewer.Principal, new AddMaterialCommand { EventId = id, Title = "Slides" }, new MemoryStream(Encoding.ASCII.GetBytes("MZ not a document")), "slides.exe");
        Assert.NotNull(notAFile.ErrorFor(CommunityService.FileField));
    }

    [Fact]
    public async Task An_edit_or_cancel_from_a_stale_page_is_refused_and_keeps_the_other_change()
    {
        var reviewer = await ReviewerAsync();
        var other = await ReviewerAsync();
        var id = await ScheduleAsync(reviewer, Webinar(20));
        var page = (await Community.GetAsync(reviewer.Principal, id)).Value;
        var mine = (await Community.EditorAsync(reviewer.Principal, id)).Value.Command;
        var theirs = (await Community.EditorAsync(other.Principal, id)).Value.Command;
        theirs.Title = "Their title";
        mine.Title = "My title";

        Assert.True((await Community.SaveAsync(other.Principal, theirs)).Succeeded);
        var stale = await Community.SaveAsync(reviewer.Principal, mine);
        var staleCancel = await Community.CancelAsync(reviewer.Principal, new CancelEventCommand { Id = id, ExpectedVersion = page.Version, Reason = "Clash" });

        Assert.IsType<Failure.Conflict>(stale.Failure);
        Assert.IsType<Failure.Conflict>(staleCancel.Failure);
        var stored = (await Community.GetAsync(reviewer.Principal, id)).Value;
        Assert.Equal("Their title", stored.Title);
        Assert.False(stored.IsCancelled);
    }

    [Fact]
    public async Task A_plan_never_sees_another_plans_private_support_call_its_materials_or_its_calendar()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var otherPlan = await factory.Data.PlanAsync();
        var member = await factory.Data.UserAsync(plan, OrganizationRole.Viewer, withPassword: true);
        var outsider = await factory.Data.UserAsync(otherPlan, withPassword: true);
        var id = await ScheduleAsync(reviewer, Webinar(8, "Support call with one plan", EventKind.SupportCall, plan.Id));
        var link = await Community.AddMaterialAsync(reviewer.Principal, new AddMaterialCommand { EventId = id, Title = "Agenda", Url = "https://www.example.org/agenda" });
        var file = await Community.AddMaterialAsync(reviewer.Principal, new AddMaterialCommand { EventId = id, Title = "Slides" }, new MemoryStream(Pdf), "slides.pdf");
        Assert.True(link.Succeeded && file.Succeeded, link.Message ?? file.Message);
        var calendar = Service<CommunityCalendar>();

        // The plan's member sees it everywhere, and registers.
        Assert.Contains(id, (await Community.ListAsync(member.Principal)).Value.Upcoming.Select(e => e.Id));
        var seen = (await Community.GetAsync(member.Principal, id)).Value;
        Assert.Equal(plan.Name, seen.PlanName);
        Assert.Equal(2, seen.Materials.Count);
        Assert.True((await Community.OpenMaterialAsync(member.Principal, file.Value)).Succeeded);
        Assert.True((await calendar.EventFileAsync(member.Principal, id, null)).Succeeded);
        Assert.True((await Community.RegisterAsync(member.Principal, id, plan.Id, member.Id)).Succeeded);
        Assert.Contains(id, (await Community.ProgrammeAsync(member.Principal)).Value.Events.Select(e => e.Id));

        // The other plan: not in the list or the programme, not by id, not its file, not its materials, no registering.
        Assert.DoesNotContain(id, (await Community.ListAsync(outsider.Principal)).Value.Upcoming.Select(e => e.Id));
        Assert.DoesNotContain(id, (await Community.ProgrammeAsync(outsider.Principal)).Value.Events.Select(e => e.Id));
        Assert.IsType<Failure.NotFound>((await Community.GetAsync(outsider.Principal, id)).Failure);
        Assert.IsType<Failure.NotFound>((await calendar.EventFileAsync(outsider.Principal, id, null)).Failure);
        Assert.IsType<Failure.NotFound>((await Community.OpenMaterialAsync(outsider.Principal, file.Value)).Failure);
        Assert.IsType<Failure.NotFound>((await Community.RegisterAsync(outsider.Principal, id, otherPlan.Id, outsider.Id)).Failure);
        Assert.IsType<Failure.Refused>((await Community.RegisterAsync(member.Principal, id, otherPlan.Id, outsider.Id)).Failure);

        // An open call with the other plan's people registered cannot become private to this plan.
        var open = await ScheduleAsync(reviewer, Webinar(9, "Open call", EventKind.SupportCall));
        Assert.True((await Community.RegisterAsync(outsider.Principal, open, otherPlan.Id, outsider.Id)).Succeeded);
        var narrowed = (await Community.EditorAsync(reviewer.Principal, open)).Value.Command;
        narrowed.PlanOrganizationId = plan.Id;
        Assert.StartsWith("People of other organizations are registered", (await Community.SaveAsync(reviewer.Principal, narrowed)).ErrorFor(nameof(SaveEventCommand.PlanOrganizationId)), StringComparison.Ordinal);
        Assert.Contains(open, (await Community.ListAsync(outsider.Principal)).Value.Upcoming.Select(e => e.Id));

        // Over HTTP: the pages' addresses answer 404 to the other plan, the file to the plan.
        using var mine = await factory.SignedInClientAsync(member.Email, TestUser.Password);
        using var theirs = await factory.SignedInClientAsync(outsider.Email, TestUser.Password);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/{CommunityEndpoints.MaterialAddress(file.Value)}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/{CommunityEndpoints.EventFileAddress(id)}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await theirs.GetAsync($"/{CommunityEndpoints.MaterialAddress(file.Value)}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await theirs.GetAsync($"/{CommunityEndpoints.EventFileAddress(id)}", ct)).StatusCode);
        var page = await (await theirs.GetAsync($"/community/events/{id}", ct)).Content.ReadAsStringAsync(ct);
        Assert.DoesNotContain("Support call with one plan", page, StringComparison.Ordinal);

        // The member's private feed holds the call while they belong to the plan, and not once they left it.
        var feeds = Service<ActionPlanCalendar>();
        var token = (await feeds.CreateAsync(member.Principal)).Value;
        Assert.Contains(Calendar.Load((await feeds.FeedAsync(token))!)!.Events, e => e.Uid == $"{id}@palliativetoolkit-community");
        await using (var op = Service<OperationRunner>().OpenAsSystem())
        {
            op.Db.Memberships.Remove(await op.Db.Memberships.SingleAsync(m => m.UserId == member.Id && m.OrganizationId == plan.Id));
            await op.SaveAsync();
        }

        Assert.DoesNotContain(Calendar.Load((await feeds.FeedAsync(token))!)!.Events, e => e.Uid == $"{id}@palliativetoolkit-community");
        Assert.IsType<Failure.NotFound>((await Community.GetAsync(member.Principal, id)).Failure);
    }

    [Fact]
    public async Task People_register_themselves_managers_register_their_members_and_nobody_registers_twice_or_after_the_start()
    {
        var reviewer = await ReviewerAsync();
        var provider = await factory.Data.ProviderAsync();
        var manager = await factory.Data.UserAsync(provider);
        var contributor = await factory.Data.UserAsync(provider, OrganizationRole.Contributor);
        var colleague = await factory.Data.UserAsync(provider, OrganizationRole.Viewer);
        var stranger = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var id = await ScheduleAsync(reviewer, Webinar(5));

        Assert.IsType<Failure.Refused>((await Community.RegisterAsync(contributor.Principal, id, provider.Id, colleague.Id)).Failure);
        var own = await Community.RegisterAsync(contributor.Principal, id, provider.Id, contributor.Id);
        Assert.True(own.Succeeded);
        Assert.True((await Community.RegisterAsync(manager.Principal, id, provider.Id, colleague.Id)).Succeeded);
        var twice = await Community.RegisterAsync(manager.Principal, id, provider.Id, colleague.Id);
        Assert.Contains("already registered", twice.Message, StringComparison.Ordinal);
        Assert.IsType<Failure.Refused>((await Community.RegisterAsync(manager.Principal, id, provider.Id, stranger.Id)).Failure);
        Assert.IsType<Failure.NotFound>((await Community.UnregisterAsync(stranger.Principal, own.Value)).Failure);

        // The contributor sees only themselves to register; the manager sees every member.
        Assert.Single(Assert.Single((await Community.GetAsync(contributor.Principal, id)).Value.MyOrganizations).People);
        Assert.Equal(3, Assert.Single((await Community.GetAsync(manager.Principal, id)).Value.MyOrganizations).People.Count);
        Assert.True((await Community.UnregisterAsync(contributor.Principal, own.Value)).Succeeded);
        Assert.Equal(1, (await Community.ListAsync(manager.Principal)).Value.Upcoming.Single(e => e.Id == id).MyRegistrations);

        var past = await ScheduleAsync(reviewer, Webinar(-2));
        var late = await Community.RegisterAsync(manager.Principal, past, provider.Id, manager.Id);
        Assert.Equal("This event has already started: registration is closed.", late.Message);
        Assert.Contains(past, (await Community.ListAsync(manager.Principal)).Value.Past.Select(e => e.Id));
    }

    [Fact]
    public async Task Registrants_are_reminded_once_a_day_before_and_again_when_the_event_moves()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan);
        var soon = Webinar(0);
        var start = Now.AddHours(20);
        soon.Date = EventTime.LocalIn(start, EventTime.Pacific).Date;
        soon.StartTime = new TimeSpan(EventTime.LocalIn(start, EventTime.Pacific).Hour, 0, 0);
        var id = await ScheduleAsync(reviewer, soon);
        var later = await ScheduleAsync(reviewer, Webinar(9));
        Assert.True((await Community.RegisterAsync(manager.Principal, id, plan.Id, manager.Id)).Succeeded);
        Assert.True((await Community.RegisterAsync(manager.Principal, later, plan.Id, manager.Id)).Succeeded);
        var notifier = factory.Services.GetRequiredService<Notifier>();

        await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken);
        await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken);

        var reminded = Assert.Single(await NotificationsOfAsync(manager, NotificationKind.EventReminder));
        Assert.StartsWith("Starts soon: ", reminded.Title, StringComparison.Ordinal);
        Assert.Contains(EventClock.Pacific((await Community.GetAsync(manager.Principal, id)).Value.StartsAt), reminded.Body, StringComparison.Ordinal);

        var moved = (await Community.EditorAsync(reviewer.Principal, id)).Value.Command;
        EventMoves.OneHourLater(moved);
        Assert.True((await Community.SaveAsync(reviewer.Principal, moved)).Succeeded);
        await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken);

        Assert.Equal(2, (await NotificationsOfAsync(manager, NotificationKind.EventReminder)).Count);
        Assert.Single(await NotificationsOfAsync(manager, NotificationKind.EventChanged));
    }

    [Fact]
    public async Task A_registration_of_another_organization_left_on_a_call_made_private_gets_no_reminder_and_no_change_notice()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var otherPlan = await factory.Data.PlanAsync();
        var member = await factory.Data.UserAsync(plan);
        var outsider = await factory.Data.UserAsync(otherPlan);
        var soon = Webinar(0, kind: EventKind.SupportCall);
        var start = Now.AddHours(20);
        soon.Date = EventTime.LocalIn(start, EventTime.Pacific).Date;
        soon.StartTime = new TimeSpan(EventTime.LocalIn(start, EventTime.Pacific).Hour, 0, 0);
        var id = await ScheduleAsync(reviewer, soon);
        Assert.True((await Community.RegisterAsync(member.Principal, id, plan.Id, member.Id)).Succeeded);
        Assert.True((await Community.RegisterAsync(outsider.Principal, id, otherPlan.Id, outsider.Id)).Succeeded);

        // The race: the call became private to the plan while the other plan's registration was being saved.
        await factory.Data.StoredAsync(db => db.CommunityEvents.Where(e => e.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.PlanOrganizationId, plan.Id), TestContext.Current.CancellationToken));
        var notifier = factory.Services.GetRequiredService<Notifier>();
        await notifier.EventRemindersAsync(TimeSpan.FromHours(24), TestContext.Current.CancellationToken);
        var moved = (await Community.EditorAsync(reviewer.Principal, id)).Value.Command;
        EventMoves.OneHourLater(moved);
        Assert.True((await Community.SaveAsync(reviewer.Principal, moved)).Succeeded);

        Assert.Single(await NotificationsOfAsync(member, NotificationKind.EventReminder));
        Assert.Single(await NotificationsOfAsync(member, NotificationKind.EventChanged));
        Assert.Empty(await NotificationsOfAsync(outsider, NotificationKind.EventReminder));
        Assert.Empty(await NotificationsOfAsync(outsider, NotificationKind.EventChanged));
    }

    [Fact]
    public async Task A_past_call_another_organization_attended_cannot_become_private_and_attendance_follows_the_calls_plan()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var otherPlan = await factory.Data.PlanAsync();
        var member = await factory.Data.UserAsync(plan);
        var outsider = await factory.Data.UserAsync(otherPlan);
        var attendance = Service<AttendanceService>();
        var shared = await ScheduleAsync(reviewer, Webinar(-2, "Shared call", EventKind.SupportCall));
        var own = await ScheduleAsync(reviewer, Webinar(-3, "Own call", EventKind.SupportCall));
        foreach (var (call, organization, user) in new[] { (shared, plan.Id, member.Id), (shared, otherPlan.Id, outsider.Id), (own, plan.Id, member.Id) })
        {
            var recorded = await attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = call, OrganizationId = organization, UserId = user });
            Assert.True(recorded.Succeeded, recorded.Message);
        }

        var narrowed = (await Community.EditorAsync(reviewer.Principal, shared)).Value.Command;
        narrowed.PlanOrganizationId = plan.Id;
        var refused = await Community.SaveAsync(reviewer.Principal, narrowed);
        var narrowedOwn = (await Community.EditorAsync(reviewer.Principal, own)).Value.Command;
        narrowedOwn.PlanOrganizationId = plan.Id;
        var saved = await Community.SaveAsync(reviewer.Principal, narrowedOwn);

        Assert.StartsWith("People of other organizations attended", refused.ErrorFor(nameof(SaveEventCommand.PlanOrganizationId)), StringComparison.Ordinal);
        Assert.True(saved.Succeeded, saved.Message);
        Assert.Equal([(Guid?)null, null], await factory.Data.StoredAsync(db => db.Attendances.Where(a => a.EventId == shared).Select(a => a.PlanOrganizationId).ToListAsync()));
        Assert.Equal(plan.Id, Assert.Single(await factory.Data.StoredAsync(db => db.Attendances.Where(a => a.EventId == own).Select(a => a.PlanOrganizationId).ToListAsync())));
    }

    [Fact]
    public async Task The_calendar_file_places_the_event_in_utc_and_a_cancelled_one_says_so()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan);
        var command = Webinar(30, "Measuring what matters");
        command.DurationMinutes = 90;
        var id = await ScheduleAsync(reviewer, command);
        var calendar = Service<CommunityCalendar>();
        var portal = new Uri("https://portal.example.org/");

        var file = Calendar.Load((await calendar.EventFileAsync(manager.Principal, id, portal)).Value)!;

        var entry = Assert.Single(file.Events);
        var starts = (await Community.GetAsync(manager.Principal, id)).Value.StartsAt;
        Assert.Equal("Measuring what matters", entry.Summary);
        Assert.Equal(starts, entry.DtStart!.AsUtc);
        Assert.Equal(starts.AddMinutes(90), entry.DtEnd!.AsUtc);
        Assert.Equal("CONFIRMED", entry.Status);
        Assert.Equal(new Uri(portal, $"community/events/{id}"), entry.Url);
        Assert.Contains(EventClock.Pacific(starts), entry.Description, StringComparison.Ordinal);
        Assert.Contains("Elements of the guide: D1, A1", entry.Description, StringComparison.Ordinal);

        var version = (await Community.GetAsync(reviewer.Principal, id)).Value.Version;
        Assert.True((await Community.CancelAsync(reviewer.Principal, new CancelEventCommand { Id = id, ExpectedVersion = version, Reason = "Moved to the convening." })).Succeeded);
        var cancelled = Assert.Single(Calendar.Load((await calendar.EventFileAsync(manager.Principal, id, portal)).Value)!.Events);
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.Equal("Cancelled: Measuring what matters", cancelled.Summary);
    }

    [Fact]
    public async Task The_programme_shows_what_was_planned_what_took_place_and_what_was_cancelled()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan);
        var held = await ScheduleAsync(reviewer, Webinar(-20, "Held webinar"));
        var planned = await ScheduleAsync(reviewer, Webinar(25, "Planned webinar"));
        var dropped = await ScheduleAsync(reviewer, Webinar(26, "Dropped call", EventKind.SupportCall));
        var version = (await Community.GetAsync(reviewer.Principal, dropped)).Value.Version;
        Assert.True((await Community.CancelAsync(reviewer.Principal, new CancelEventCommand { Id = dropped, ExpectedVersion = version, Reason = "No questions." })).Succeeded);

        var programme = (await Community.ProgrammeAsync(manager.Principal)).Value;

        var events = programme.Events.ToDictionary(e => e.Id);
        Assert.True(events[held].TookPlace);
        Assert.False(events[planned].TookPlace || events[planned].IsCancelled);
        Assert.True(events[dropped].IsCancelled && !events[dropped].TookPlace);
        var webinars = programme.Lines.Single(l => l.Kind == EventKind.Webinar);
        Assert.Equal(9, webinars.Target);
        Assert.Equal(2, programme.Lines.Single(l => l.Kind == EventKind.Convening).Target);
        Assert.Null(programme.Lines.Single(l => l.Kind == EventKind.SupportCall).Target);
        Assert.Equal(webinars.TookPlace + webinars.Upcoming, webinars.Scheduled);
        Assert.True(programme.Lines.Single(l => l.Kind == EventKind.SupportCall).Cancelled >= 1);
        Assert.Equal(programme.Events.OrderBy(e => e.StartsAt).Select(e => e.Id), programme.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task An_event_under_way_has_not_taken_place_yet_it_took_place_once_it_ended()
    {
        var reviewer = await ReviewerAsync();
        var manager = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        // Each start is the Pacific wall-clock date and time of its own instant (whole minutes), so either may fall on
        // the day before (just after midnight) and none is a time the clocks skip, whatever the time of day.
        var startedAt = EventTime.LocalIn(Now.AddMinutes(-30), EventTime.Pacific);
        var started = Webinar(0, "Webinar under way");
        started.Date = startedAt.Date;
        started.StartTime = TimeSpan.FromMinutes(Math.Floor(startedAt.TimeOfDay.TotalMinutes));
        started.DurationMinutes = 60;
        var underWay = await ScheduleAsync(reviewer, started);
        var endedAt = EventTime.LocalIn(Now.AddMinutes(-90), EventTime.Pacific);
        var ended = Webinar(0, "Webinar just ended");
        ended.Date = endedAt.Date;
        ended.StartTime = TimeSpan.FromMinutes(Math.Floor(endedAt.TimeOfDay.TotalMinutes));
        ended.DurationMinutes = 60;
        var held = await ScheduleAsync(reviewer, ended);

        var events = (await Community.ProgrammeAsync(manager.Principal)).Value.Events.ToDictionary(e => e.Id);

        Assert.False(events[underWay].TookPlace);
        Assert.True(events[underWay].UnderWay);
        Assert.True(events[held].TookPlace);
        Assert.False(events[held].UnderWay);
        Assert.False((await Community.GetAsync(manager.Principal, underWay)).Value.TookPlace);
        Assert.True((await Community.GetAsync(manager.Principal, held)).Value.TookPlace);
    }

    [Fact]
    public async Task A_past_event_with_attendance_cannot_move_to_a_time_still_to_come()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan);
        var attended = await ScheduleAsync(reviewer, Webinar(-5, "Attended webinar"));
        var recorded = await Service<AttendanceService>().RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = attended, OrganizationId = plan.Id, UserId = manager.Id });
        Assert.True(recorded.Succeeded, recorded.Message);
        var startedAt = (await Community.GetAsync(reviewer.Principal, attended)).Value.StartsAt;

        var toFuture = (await Community.EditorAsync(reviewer.Principal, attended)).Value.Command;
        toFuture.Date = EventTime.LocalIn(Now, EventTime.Pacific).Date.AddDays(5);
        var refused = await Community.SaveAsync(reviewer.Principal, toFuture);

        Assert.StartsWith("People attended this event", refused.ErrorFor(nameof(SaveEventCommand.StartTime)), StringComparison.Ordinal);
        Assert.Equal(startedAt, (await Community.GetAsync(reviewer.Principal, attended)).Value.StartsAt);

        // Another past time is fine; so is moving a past event nobody attended, or a future one.
        var toOtherPast = (await Community.EditorAsync(reviewer.Principal, attended)).Value.Command;
        toOtherPast.Date = EventTime.LocalIn(Now, EventTime.Pacific).Date.AddDays(-6);
        Assert.True((await Community.SaveAsync(reviewer.Principal, toOtherPast)).Succeeded);
        var unattended = await ScheduleAsync(reviewer, Webinar(-5, "Unattended webinar"));
        var unattendedToFuture = (await Community.EditorAsync(reviewer.Principal, unattended)).Value.Command;
        unattendedToFuture.Date = EventTime.LocalIn(Now, EventTime.Pacific).Date.AddDays(5);
        Assert.True((await Community.SaveAsync(reviewer.Principal, unattendedToFuture)).Succeeded);
        var future = await ScheduleAsync(reviewer, Webinar(8, "Future webinar"));
        var later = (await Community.EditorAsync(reviewer.Principal, future)).Value.Command;
        later.Date = EventTime.LocalIn(Now, EventTime.Pacific).Date.AddDays(9);
        Assert.True((await Community.SaveAsync(reviewer.Principal, later)).Succeeded);
    }
}
