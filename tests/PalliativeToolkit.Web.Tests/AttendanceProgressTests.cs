using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Community;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Attendance linked to progress: per element, the organizations that attended a session covering it between their two
/// rounds, and how their level changed, beside those that did not; counted only in that window; beyond reviewers small
/// groups suppressed with their counterpart, nobody named, private calls left out.
/// </summary>
public class AttendanceProgressTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private AttendanceProgressService Progress => factory.Services.CreateScope().ServiceProvider.GetRequiredService<AttendanceProgressService>();

    private DateTime Now => factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    /// <summary>How many days before today (UTC, the portal's clock) <paramref name="day"/> is: rounds and sessions placed inside their cycles.</summary>
    private int DaysAgo(int year, int month, int day) => DateOnly.FromDateTime(Now).DayNumber - new DateOnly(year, month, day).DayNumber;

    /// <summary>
    /// Eleven plans (enough for groups of 5 and 6), each with a round of <paramref name="previous"/> answered
    /// <paramref name="before"/>(its index) and one of <paramref name="cycle"/> meeting everything.
    /// </summary>
    private async Task<List<Organization>> ElevenPlansAsync(string previous, Func<int, Answer> before, int previousDaysAgo, string cycle, int daysAgo)
    {
        var plans = new List<Organization>();
        for (var i = 0; i < 11; i++)
        {
            var plan = await factory.Data.PlanAsync();
            plans.Add(plan);
            await factory.Data.TwoRoundsAsync(plan, previous, before(i), previousDaysAgo, cycle, daysAgo);
        }

        return plans;
    }

    [Fact]
    public async Task Attendance_between_the_two_rounds_splits_each_element_and_beyond_reviewers_small_groups_private_calls_and_names_stay_hidden()
    {
        const string previous = "FY 2018-19";
        const string cycle = "FY 2019-20";
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        // The first six were below minimum everywhere and now meet everything; the other five met everything both times.
        var plans = await ElevenPlansAsync(previous, i => i < 6 ? Answer.NotMet : Answer.Met, DaysAgo(2019, 8, 1), cycle, DaysAgo(2020, 3, 1));

        var provider = await factory.Data.ProviderAsync();
        var member = await factory.Data.UserAsync(plans[0]);

        var tooEarly = (await factory.Data.PastEventAsync(DaysAgo(2019, 7, 15), ["D1"])).Id;
        var identify = (await factory.Data.PastEventAsync(DaysAgo(2019, 10, 1), ["D1", "A1"])).Id;
        var privateCall = (await factory.Data.PastEventAsync(DaysAgo(2019, 10, 2), ["D1"], EventKind.SupportCall, plans[7].Id)).Id;
        var tooLate = (await factory.Data.PastEventAsync(DaysAgo(2020, 4, 1), ["D1", "A1"])).Id;
        await factory.Data.AttendedAsync(tooEarly, [plans[6]]);
        await factory.Data.AttendedAsync(identify, plans.Take(6).Append(provider));
        await factory.Data.AttendedAsync(privateCall, [plans[7]]);
        await factory.Data.AttendedAsync(tooLate, [plans[8], plans[9]]);

        var forReviewer = (await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value;
        var forMember = (await Progress.ForCycleAsync(member.Principal, cycle)).Value;

        Assert.Equal((cycle, previous, true), (forReviewer.Cycle, forReviewer.Previous, forReviewer.SeesEveryGroup));
        var d1 = forReviewer.Elements.Single(e => e.Code == "D1");
        Assert.Equal((OrganizationKind.ManagedCarePlan, 2), (d1.Kind, d1.Sessions));
        Assert.Equal(new ChangeTally(7, 6, 1, 0, false), d1.Attended);
        Assert.Equal(new ChangeTally(4, 0, 4, 0, false), d1.NotAttended);
        Assert.Equal(plans.Take(6).Append(plans[7]).Select(p => p.Name).Order(StringComparer.CurrentCulture), d1.Attendees);
        var a1 = forReviewer.Elements.Single(e => e.Code == "A1");
        Assert.Equal((1, new ChangeTally(6, 6, 0, 0, false), new ChangeTally(5, 0, 5, 0, false)), (a1.Sessions, a1.Attended, a1.NotAttended));
        Assert.DoesNotContain(forReviewer.Elements, e => e.SectionCode == "B");

        Assert.False(forMember.SeesEveryGroup);
        var d1ForMember = forMember.Elements.Single(e => e.Code == "D1");
        Assert.Equal(1, d1ForMember.Sessions);
        Assert.Equal(new ChangeTally(6, 6, 0, 0, false), d1ForMember.Attended);
        Assert.Equal(new ChangeTally(5, 0, 5, 0, false), d1ForMember.NotAttended);
        Assert.All(forMember.Elements, e => Assert.Empty(e.Attendees));
        Assert.All(forMember.Elements.Where(e => e.Code != "D1" && e.Code != "A1"), e =>
        {
            Assert.Equal(new ChangeTally(11, 6, 5, 0, false), e.NotAttended);
            Assert.Equal(new ChangeTally(0, 0, 0, 0, false), e.Attended);
        });

        var anonymous = await Progress.ForCycleAsync(new ClaimsPrincipal(new ClaimsIdentity()), cycle);
        Assert.IsType<Failure.Refused>(anonymous.Failure);
    }

    [Fact]
    public async Task A_small_attending_group_is_hidden_beyond_reviewers_with_the_group_that_did_not_attend()
    {
        const string previous = "2022";
        const string cycle = "2023";
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var plans = await ElevenPlansAsync(previous, _ => Answer.Met, DaysAgo(2023, 2, 1), cycle, DaysAgo(2023, 9, 1));

        var session = (await factory.Data.PastEventAsync(DaysAgo(2023, 5, 1), ["E2"])).Id;
        await factory.Data.AttendedAsync(session, plans.Take(3));
        var member = await factory.Data.UserAsync(plans[10], OrganizationRole.Viewer);

        var e2 = (await Progress.ForCycleAsync(member.Principal, cycle)).Value.Elements.Single(e => e.Code == "E2");
        var e2ForReviewer = (await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value.Elements.Single(e => e.Code == "E2");

        Assert.Equal((true, true), (e2.Attended.Suppressed, e2.NotAttended.Suppressed));
        Assert.Equal((0, 0), (e2.Attended.Organizations, e2.NotAttended.Organizations));
        Assert.Equal((3, 8), (e2ForReviewer.Attended.Organizations, e2ForReviewer.NotAttended.Organizations));

        // Long after 2023 ended, two more attending plans submit their 2023 round, and the attendance of two plans whose
        // rounds were in time is recorded (a report imported late): the reviewer's live figures show seven attending, the
        // member's stay as they stood at the cycle's end (three: hidden). Either change alone would show five and six.
        foreach (var late in new[] { await factory.Data.PlanAsync(), await factory.Data.PlanAsync() })
        {
            await factory.Data.TwoRoundsAsync(late, previous, Answer.Met, DaysAgo(2023, 2, 1), cycle, 1);
            await factory.Data.AttendedAsync(session, [late]);
        }

        await factory.Data.AttendedAsync(session, [plans[3], plans[4]], recordedAt: Now);

        var afterForMember = (await Progress.ForCycleAsync(member.Principal, cycle)).Value.Elements.Single(e => e.Code == "E2");
        var afterForReviewer = (await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value.Elements.Single(e => e.Code == "E2");
        Assert.Equal((7, 6), (afterForReviewer.Attended.Organizations, afterForReviewer.NotAttended.Organizations));
        Assert.True(afterForMember.Attended.Suppressed && afterForMember.NotAttended.Suppressed,
            "as of the cycle's end three attended, too few");
    }

    [Fact]
    public async Task A_past_session_or_its_attendance_corrected_after_the_cycle_ended_leaves_the_published_figures_as_they_were()
    {
        const string previous = "2020";
        const string cycle = "2021";
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var plans = await ElevenPlansAsync(previous, _ => Answer.NotMet, DaysAgo(2020, 11, 1), cycle, DaysAgo(2021, 10, 1));

        // C2: two sessions, each attended by the same six plans.
        var session = (await factory.Data.PastEventAsync(DaysAgo(2021, 5, 1), ["C2"])).Id;
        await factory.Data.AttendedAsync(session, plans.Take(6));
        var another = (await factory.Data.PastEventAsync(DaysAgo(2021, 5, 15), ["C2"])).Id;
        await factory.Data.AttendedAsync(another, plans.Take(6));
        // C3: an open call that five plans attended, and a call private to a sixth plan, which left it out beyond reviewers.
        var openCall = (await factory.Data.PastEventAsync(DaysAgo(2021, 6, 1), ["C3"], EventKind.SupportCall)).Id;
        await factory.Data.AttendedAsync(openCall, plans.Skip(1).Take(5));
        var privateCall = (await factory.Data.PastEventAsync(DaysAgo(2021, 6, 2), ["C3"], EventKind.SupportCall, plans[0].Id)).Id;
        await factory.Data.AttendedAsync(privateCall, [plans[0]]);
        var member = await factory.Data.UserAsync(plans[10], OrganizationRole.Viewer);
        ElementAttendance Element(AttendanceProgress view, string code) => view.Elements.Single(e => e.Code == code);
        ElementAttendance C2(AttendanceProgress view) => Element(view, "C2");
        var published = C2((await Progress.ForCycleAsync(member.Principal, cycle)).Value);
        Assert.Equal((2, 6, 5), (published.Sessions, published.Attended.Organizations, published.NotAttended.Organizations));
        var publishedC3 = Element((await Progress.ForCycleAsync(member.Principal, cycle)).Value, "C3");
        Assert.Equal((1, 5, 6), (publishedC3.Sessions, publishedC3.Attended.Organizations, publishedC3.NotAttended.Organizations));

        // Years later a reviewer corrects both: one covered another element, the other took place before the plans' first
        // rounds. Each correction alone takes one session from C2's count; both together empty C2's attending group.
        var community = factory.Services.CreateScope().ServiceProvider.GetRequiredService<CommunityService>();
        var otherElement = (await community.EditorAsync(reviewer.Principal, session)).Value.Command;
        otherElement.ElementCodes = ["A1"];
        var saved = await community.SaveAsync(reviewer.Principal, otherElement);
        Assert.True(saved.Succeeded, saved.Message);
        var earlier = (await community.EditorAsync(reviewer.Principal, another)).Value.Command;
        earlier.Date = new DateTime(2020, 10, 1);
        saved = await community.SaveAsync(reviewer.Principal, earlier);
        Assert.True(saved.Succeeded, saved.Message);
        // And the private call is opened to every plan, which alone would add its plan to C3's attending group.
        var opened = (await community.EditorAsync(reviewer.Principal, privateCall)).Value.Command;
        opened.PlanOrganizationId = null;
        saved = await community.SaveAsync(reviewer.Principal, opened);
        Assert.True(saved.Succeeded, saved.Message);
        // And a session of 2021 covering C4 is entered only now.
        var late = (await community.EditorAsync(reviewer.Principal, openCall)).Value.Command;
        late.Id = null;
        late.ElementCodes = ["C4"];
        late.Title = "A webinar of 2021, entered late";
        saved = await community.SaveAsync(reviewer.Principal, late);
        Assert.True(saved.Succeeded, saved.Message);
        // And one plan's attendance of the open call is removed as a wrong entry, which alone would leave four attending
        // C3 (too few: hidden).
        var attendance = factory.Services.CreateScope().ServiceProvider.GetRequiredService<AttendanceService>();
        var wrongEntry = await factory.Data.StoredAsync(db => db.Attendances.Where(a => a.EventId == openCall && a.OrganizationId == plans[1].Id).Select(a => a.Id).SingleAsync());
        var removed = await attendance.RemoveAsync(reviewer.Principal, wrongEntry);
        Assert.True(removed.Succeeded, removed.Message);

        // Reviewers' live figures follow the correction; the published ones stay as they stood at the cycle's end.
        var live = C2((await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value);
        Assert.Equal((0, 0), (live.Sessions, live.Attended.Organizations));
        var after = C2((await Progress.ForCycleAsync(member.Principal, cycle)).Value);
        Assert.Equal((published.Sessions, published.Attended, published.NotAttended), (after.Sessions, after.Attended, after.NotAttended));
        var liveC3 = Element((await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value, "C3");
        Assert.Equal((2, 5), (liveC3.Sessions, liveC3.Attended.Organizations));
        var afterC3 = Element((await Progress.ForCycleAsync(member.Principal, cycle)).Value, "C3");
        Assert.Equal((publishedC3.Sessions, publishedC3.Attended, publishedC3.NotAttended), (afterC3.Sessions, afterC3.Attended, afterC3.NotAttended));
        Assert.Equal(1, Element((await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value, "C4").Sessions);
        Assert.Equal(0, Element((await Progress.ForCycleAsync(member.Principal, cycle)).Value, "C4").Sessions);
    }

    [Fact]
    public async Task A_cycle_that_has_not_ended_is_shown_to_reviewers_only()
    {
        // This year's cycle (the demo's plans have rounds of last year and this year too) ends on December 31.
        var year = CaliforniaTime.Today(factory.Services.GetRequiredService<TimeProvider>()).Year;
        var (previous, cycle) = ($"{year - 1}", $"{year}");
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var plan = await factory.Data.PlanAsync();
        await factory.Data.TwoRoundsAsync(plan, previous, Answer.NotMet, 20, cycle, 10);
        // And a round of the year before, so that last year's cycle (ended) has one before it: what a member is offered.
        await factory.Data.AssessmentAsync(plan, $"{year - 2}", Answer.NotMet, submit: true, at: factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddDays(-400));
        var member = await factory.Data.UserAsync(plan);

        var forMember = (await Progress.ForCycleAsync(member.Principal, cycle)).Value;
        var forReviewer = (await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value;

        Assert.Equal((cycle, false, new DateOnly(year, 12, 31)), (forMember.Cycle, forMember.Published, forMember.Ends));
        Assert.Empty(forMember.Elements);
        Assert.True(forReviewer.Published);
        var a1 = forReviewer.Elements.Single(e => e.Code == "A1");
        Assert.True(a1.NotAttended.Improved + a1.Attended.Improved >= 1, "the plan's improvement counts for the reviewer");
        var offered = (await Progress.ForCycleAsync(member.Principal)).Value;
        Assert.NotEqual(cycle, offered.Cycle);
        Assert.True(offered.Published, $"a member is offered an ended cycle, {offered.Cycle}");
    }

    [Fact]
    public async Task Providers_readiness_gives_section_B_and_a_cycle_without_an_earlier_one_offers_nothing()
    {
        const string previous = "FY 2023-24";
        const string cycle = "FY 2024-25";
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var provider = await factory.Data.ProviderAsync();
        await factory.Data.TwoRoundsAsync(provider, previous, Answer.NotMet, 200, cycle, 150);
        var session = (await factory.Data.PastEventAsync(170, ["B3", "D3"])).Id;
        await factory.Data.AttendedAsync(session, [provider]);

        var view = (await Progress.ForCycleAsync(reviewer.Principal, cycle)).Value;

        var b3 = view.Elements.Single(e => e.Code == "B3");
        Assert.Equal((OrganizationKind.PalliativeCareProvider, new ChangeTally(1, 1, 0, 0, false)), (b3.Kind, b3.Attended));
        Assert.Equal([provider.Name], b3.Attendees);
        Assert.All(view.Elements.Where(e => e.SectionCode == "B"), e => Assert.Equal(OrganizationKind.PalliativeCareProvider, e.Kind));
        Assert.Contains(cycle, view.Cycles);
        Assert.DoesNotContain(previous, view.Cycles);
        var earliest = (await Progress.ForCycleAsync(reviewer.Principal, previous)).Value;
        Assert.NotEqual(previous, earliest.Cycle);
    }
}
