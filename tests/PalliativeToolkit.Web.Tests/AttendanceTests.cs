using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Community;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Community;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Attendance of the learning community's events: reviewers record and remove it, and import a webinar platform's
/// attendee report (read in its usual shapes, refused with the line named when malformed), matched to people by address
/// and to organizations by domain, reviewed before anything is saved, never added twice; participation per organization;
/// a plan sees its own organization's attendance only, and nothing of another plan's private call.
/// </summary>
public class AttendanceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private T Service<T>() where T : notnull => factory.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    private AttendanceService Attendance => Service<AttendanceService>();

    private CommunityService Community => Service<CommunityService>();

    private DateTime Now => Service<TimeProvider>().GetUtcNow().UtcDateTime;

    private static byte[] Csv(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));

    private static string Domain() => $"{Guid.NewGuid().ToString("N")[..10]}.example.org";

    private async Task<TestUser> ReviewerAsync() => await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);

    /// <summary>An event of <paramref name="kind"/> that took place <paramref name="days"/> days ago at <paramref name="hour"/> Pacific.</summary>
    private async Task<Guid> PastEventAsync(TestUser reviewer, int days = 3, EventKind kind = EventKind.Webinar, Guid? plan = null, int hour = 10)
    {
        var saved = await Community.SaveAsync(reviewer.Principal, new SaveEventCommand
        {
            Kind = kind,
            Title = $"{kind} {Guid.NewGuid():N}",
            Date = EventTime.LocalIn(Now, EventTime.Pacific).Date.AddDays(-days),
            StartTime = TimeSpan.FromHours(hour),
            TimeZoneId = EventTime.Pacific,
            DurationMinutes = 60,
            ElementCodes = ["D1"],
            PlanOrganizationId = plan,
        });
        Assert.True(saved.Succeeded, saved.Message);
        return saved.Value;
    }

    private Task<List<Attendance>> StoredAsync(Guid eventId) =>
        factory.Data.StoredAsync(db => db.Attendances.Where(a => a.EventId == eventId).OrderBy(a => a.Email).ToListAsync());

    // ---- Reading the file -------------------------------------------------------------------------------------------

    [Fact]
    public void A_Zoom_participant_report_is_read_with_its_header_variants_and_a_persons_rows_are_merged()
    {
        var report = AttendeeReport.Parse(Csv("""
            Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
            "Ramos, Ana (Ana Ramos)",Ana.Ramos@Golden.example.org,11/05/2026 10:01:12 AM,11/05/2026 10:40:00 AM,39,No
            Lee Kim,lee@provider.example.org,11/05/2026 10:02:00 AM,11/05/2026 11:00:00 AM,58,Yes
            "Ramos, Ana (Ana Ramos)",ana.ramos@golden.example.org,11/05/2026 10:45:00 AM,11/05/2026 11:00:00 AM,15,No
            """));

        Assert.Equal(2, report.Rows.Count);
        var ana = report.Rows[0];
        Assert.Equal((2, "Ramos, Ana (Ana Ramos)", "ana.ramos@golden.example.org", 54, 2), (ana.Line, ana.Name, ana.Email, ana.Minutes, ana.Rows));
        Assert.Equal((3, 58), (report.Rows[1].Line, report.Rows[1].Minutes));
        Assert.Empty(report.Skipped);
        Assert.Equal(64, report.Hash.Length);
    }

    [Fact]
    public void A_name_in_a_report_loses_what_would_disguise_it()
    {
        var report = AttendeeReport.Parse(Csv("Name,Email\n\"Bob\u202Eevil\u200B\",bob@golden.example.org\n"));

        Assert.Equal("Bobevil", Assert.Single(report.Rows).Name);
    }

    [Fact]
    public void A_Teams_report_in_UTF16_with_tabs_and_a_summary_above_its_table_is_read()
    {
        var text = "1. Summary\nMeeting title\tWebinar 3\nAttended participants\t2\n\n2. Participants\nFull Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
            + "Dana Cruz\t11/5/26, 10:00:03 AM\t11/5/26, 11:05:06 AM\t1h 5m 3s\tdana@plan.example.org\tAttendee\n"
            + "Sam Ortiz\t11/5/26, 10:10:00 AM\t11/5/26, 10:40:00 AM\t30m\tsam@plan.example.org\tAttendee\n";
        var report = AttendeeReport.Parse([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);

        Assert.Equal(["dana@plan.example.org", "sam@plan.example.org"], report.Rows.Select(r => r.Email));
        Assert.Equal([65, 30], report.Rows.Select(r => r.Minutes));
        Assert.Equal([7, 8], report.Rows.Select(r => r.Line));
    }

    [Fact]
    public void A_Teams_report_with_participants_and_in_meeting_activities_counts_each_person_once_from_the_participants()
    {
        // The attendance report Teams exports: a summary, each participant once with their total, then every join and leave.
        var text = "1. Summary\nMeeting title\tWebinar 4\nAttended participants\t2\nStart time\t11/5/26, 9:58:12 AM\nEnd time\t11/5/26, 11:06:00 AM\n"
            + "Meeting duration\t1h 7m 48s\nAverage attendance time\t47m 31s\n\n"
            + "2. Participants\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
            + "Dana Cruz\t11/5/26, 10:00:03 AM\t11/5/26, 11:05:06 AM\t1h 5m 3s\tdana@plan.example.org\tdana@plan.example.org\tOrganizer\n"
            + "Sam Ortiz\t11/5/26, 10:10:00 AM\t11/5/26, 10:40:00 AM\t30m\tsam@plan.example.org\tsam@plan.example.org\tAttendee\n\n"
            + "3. In-Meeting Activities\nName\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
            + "Dana Cruz\t11/5/26, 10:00:03 AM\t11/5/26, 10:30:00 AM\t29m 57s\tdana@plan.example.org\tOrganizer\n"
            + "Dana Cruz\t11/5/26, 10:30:03 AM\t11/5/26, 11:05:06 AM\t35m 3s\tdana@plan.example.org\tOrganizer\n"
            + "Sam Ortiz\t11/5/26, 10:10:00 AM\t11/5/26, 10:40:00 AM\t30m\tsam@plan.example.org\tAttendee\n";
        var report = AttendeeReport.Parse([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);

        Assert.Equal(["dana@plan.example.org", "sam@plan.example.org"], report.Rows.Select(r => r.Email));
        Assert.Equal([65, 30], report.Rows.Select(r => r.Minutes));
        Assert.Equal([1, 1], report.Rows.Select(r => r.Rows));
        Assert.Equal([11, 12], report.Rows.Select(r => r.Line));
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public void A_Teams_report_of_only_its_in_meeting_activities_is_read_from_them()
    {
        var text = "3. In-Meeting Activities\nName\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
            + "Dana Cruz\t11/5/26, 10:00:03 AM\t11/5/26, 10:30:00 AM\t29m 57s\tdana@plan.example.org\tOrganizer\n"
            + "Dana Cruz\t11/5/26, 10:30:03 AM\t11/5/26, 11:05:06 AM\t35m 3s\tdana@plan.example.org\tOrganizer\n";
        var report = AttendeeReport.Parse([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);

        var dana = Assert.Single(report.Rows);
        Assert.Equal((65, 2), (dana.Minutes, dana.Rows));
    }

    [Fact]
    public void A_Zoom_webinar_report_with_sections_first_and_last_names_and_absent_registrants_is_read()
    {
        var report = AttendeeReport.Parse(Csv("""
            Attendee Report
            Report Generated:,"11/06/2026 09:00 AM"
            Topic,Webinar ID,Actual Start Time,Actual Duration (minutes)
            "Identifying members, together",812 3456 7890,"Nov 5, 2026 10:00 AM",62
            Host Details
            Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes)
            Yes,Host Person,host@statewide.example.org,"Nov 5, 2026 09:55 AM","Nov 5, 2026 11:02 AM",67
            Attendee Details
            Attended,First Name,Last Name,E-Mail Address,Registration Time,Join Time,Leave Time,Time in Session (minutes)
            Yes,Maria,Lopez,maria@plan.example.org,"Oct 30, 2026",,,"01:02:00"
            No,Paul,Nguyen,paul@plan.example.org,"Oct 31, 2026",,,
            Yes,No,Address,,"Oct 31, 2026",,,10
            Yes,Bad,Address,not-an-address,"Oct 31, 2026",,,10
            """));

        Assert.Equal(["host@statewide.example.org", "maria@plan.example.org"], report.Rows.Select(r => r.Email));
        Assert.Equal("Maria Lopez", report.Rows[1].Name);
        Assert.Equal(62, report.Rows[1].Minutes);
        Assert.Equal([(11, "did not attend (the report says Attended: No)"), (12, "no e-mail address"), (13, "\"not-an-address\" is not an e-mail address")],
            report.Skipped.Select(s => (s.Line, s.Reason)));
    }

    [Theory]
    [InlineData("Name,Email\nAna,ana@x.example.org\n\"Lee, Kim,lee@x.example.org\nSam,sam@x.example.org\n", 3, "never closed")]
    [InlineData("Name,Email\nAna,ana@x.example.org\n\"Lee\" Kim,lee@x.example.org\n", 3, "quote is out of place")]
    [InlineData("Name,Phone\nAna,555-0100\n", 1, "no header row with an e-mail column")]
    [InlineData("Name,Email\nAna,ana@x.example.org\nLee\u0001\u0002,lee@x.example.org\n", 3, "not a CSV file")]
    [InlineData("Name,Email,Duration\nA,a@x.org,99999999999h\nA,a@x.org,99999999999h\n", 2, "the duration \"99999999999h\" is more than a day")]
    [InlineData("Name,Email,Duration\nB,b@x.org,45\nA,a@x.org,1500\n", 3, "the duration \"1500\" is more than a day")]
    [InlineData("Name,Email,Join Time,Leave Time\nA,a@x.org,2024-03-01 10:00,2924-03-01 11:00\n", 2, "the time from joining to leaving is more than a day")]
    public void A_malformed_file_is_refused_with_its_line(string text, int line, string message)
    {
        var refused = Assert.Throws<AttendeeReportException>(() => AttendeeReport.Parse(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(line, refused.Line);
        Assert.StartsWith($"Line {line}:", refused.Message, StringComparison.Ordinal);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_too_large_or_with_too_many_rows_is_refused()
    {
        var large = Assert.Throws<AttendeeReportException>(() => AttendeeReport.Parse(new byte[AttendeeReport.MaxBytes + 1]));
        Assert.Contains("larger than 2 MB", large.Message, StringComparison.Ordinal);

        var many = new StringBuilder("Name,Email\n");
        for (var i = 0; i <= AttendeeReport.MaxRows; i++)
        {
            many.Append('P').Append(i).Append(",p").Append(i).Append("@x.example.org\n");
        }

        var rows = Assert.Throws<AttendeeReportException>(() => AttendeeReport.Parse(Encoding.UTF8.GetBytes(many.ToString())));
        Assert.Equal(AttendeeReport.MaxRows + 2, rows.Line);
        Assert.Contains($"more than {AttendeeReport.MaxRows} attendee rows", rows.Message, StringComparison.Ordinal);
        Assert.Throws<AttendeeReportException>(() => AttendeeReport.Parse([]));
    }

    [Theory]
    [InlineData("45", 45)]
    [InlineData("1h 5m 3s", 65)]
    [InlineData("01:05:03", 65)]
    [InlineData("45:30", 46)]
    [InlineData("65 min", 65)]
    [InlineData("soon", null)]
    [InlineData("25h", null)]
    [InlineData("99999999999h", null)]
    [InlineData("1e400", null)]
    public void Durations_are_read_in_the_platforms_formats(string cell, int? minutes) => Assert.Equal(minutes, AttendeeReport.ParseMinutes(cell));

    [Fact]
    public void An_attendees_rows_are_summed_within_a_day()
    {
        var report = AttendeeReport.Parse(Encoding.UTF8.GetBytes("Name,Email,Duration\nA,a@x.org,23h\nA,a@x.org,23h\nA,a@x.org,23h\n"));

        Assert.Equal((AttendeeReport.MaxMinutes, 3), (report.Rows.Single().Minutes, report.Rows.Single().Rows));
    }

    [Fact]
    public async Task A_report_with_a_duration_of_centuries_is_refused_beside_the_file_with_its_line()
    {
        var reviewer = await ReviewerAsync();
        var eventId = await PastEventAsync(reviewer);

        var preview = await Attendance.PreviewImportAsync(reviewer.Principal, eventId, Csv("Name,Email,Duration\nA,a@x.org,99999999999h\nA,a@x.org,99999999999h\n"), "zoom.csv");

        Assert.StartsWith("Line 2:", preview.ErrorFor(AttendanceService.FileField), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(eventId));
    }

    // ---- Matching, review and import ----------------------------------------------------------------------------------

    [Fact]
    public async Task Rows_are_matched_by_address_then_by_domain_and_the_rest_waits_for_the_reviewer_with_nothing_saved()
    {
        var reviewer = await ReviewerAsync();
        var (planDomain, sharedDomain) = (Domain(), Domain());
        var plan = await factory.Data.PlanAsync();
        var provider = await factory.Data.ProviderAsync();
        var other = await factory.Data.PlanAsync();
        var member = await factory.Data.UserAsync(plan, OrganizationRole.Contributor, email: $"ana@{planDomain}", name: "Ana Ramos");
        await factory.Data.UserAsync(provider, email: $"lee@{sharedDomain}");
        await factory.Data.UserAsync(other, email: $"kim@{sharedDomain}");
        var eventId = await PastEventAsync(reviewer);

        var preview = await Attendance.PreviewImportAsync(reviewer.Principal, eventId, Csv($"""
            Full Name,Email,Duration
            Ana R.,ANA@{planDomain},50
            New Colleague,colleague@{planDomain},45
            Shared Person,someone@{sharedDomain},30
            Gmail Person,person@gmail.com,20
            Stranger,stranger@{Domain()},10
            """), "zoom.csv");

        Assert.True(preview.Succeeded, preview.Message);
        var rows = preview.Value.Rows.ToDictionary(r => r.Email[..r.Email.IndexOf('@', StringComparison.Ordinal)]);
        Assert.Equal((RowMatch.Person, plan.Id, member.Id), (rows["ana"].Match, rows["ana"].OrganizationId, rows["ana"].UserId));
        Assert.Equal((RowMatch.Domain, plan.Id, (string?)null), (rows["colleague"].Match, rows["colleague"].OrganizationId, rows["colleague"].UserId));
        Assert.Equal(RowMatch.Unmatched, rows["someone"].Match);
        Assert.Contains("is shared by", rows["someone"].Reason, StringComparison.Ordinal);
        Assert.Equal(new[] { other.Id, provider.Id }.Order(), rows["someone"].Candidates.Order());
        Assert.Contains("public mail service", rows["person"].Reason, StringComparison.Ordinal);
        Assert.Contains("no organization's people", rows["stranger"].Reason, StringComparison.Ordinal);
        Assert.Equal((2, 3), (preview.Value.Matched, preview.Value.Unmatched));
        Assert.Empty(await StoredAsync(eventId));
    }

    [Fact]
    public async Task An_import_saves_the_matched_rows_and_the_reviewers_choices_and_the_same_file_again_adds_nothing()
    {
        var reviewer = await ReviewerAsync();
        var (planDomain, sharedDomain) = (Domain(), Domain());
        var plan = await factory.Data.PlanAsync();
        var provider = await factory.Data.ProviderAsync();
        var other = await factory.Data.PlanAsync();
        var member = await factory.Data.UserAsync(plan, OrganizationRole.Contributor, email: $"ana@{planDomain}", name: "Ana Ramos");
        var lee = await factory.Data.UserAsync(provider, email: $"lee@{sharedDomain}", name: "Lee Kim");
        await factory.Data.UserAsync(other, email: $"kim@{sharedDomain}");
        var eventId = await PastEventAsync(reviewer);
        var file = Csv($"""
            Name,E-mail,Duration (Minutes)
            Ana R.,ana@{planDomain},50
            Someone Shared,lee.k@{sharedDomain},30
            Gmail Person,person@gmail.com,20
            ,,
            Nobody,,5
            """);
        var decisions = new Dictionary<string, RowDecision>
        {
            [$"LEE.K@{sharedDomain}"] = new(provider.Id, lee.Id),
        };

        var first = await Attendance.ImportAsync(reviewer.Principal, eventId, file, "report.csv", decisions);

        Assert.True(first.Succeeded, first.Message);
        Assert.Equal((2, 1, 1, 0), (first.Value.Added, first.Value.Matched, first.Value.Resolved, first.Value.AlreadyPresent));
        Assert.Equal([(4, "no organization chosen"), (6, "no e-mail address")], first.Value.Skipped.Select(s => (s.Line, s.Reason.Split(" (")[0])));
        var stored = await StoredAsync(eventId);
        Assert.Equal([($"ana@{planDomain}", plan.Id, member.Id, "Ana Ramos", 50), ($"lee.k@{sharedDomain}", provider.Id, lee.Id, "Lee Kim", 30)],
            stored.Select(a => (a.Email, a.OrganizationId, a.UserId, a.Name, a.Minutes ?? 0)));
        Assert.All(stored, a => Assert.Equal((AttendanceSource.Import, first.Value.ImportId), (a.Source, a.ImportId!.Value)));
        Assert.Equal([2, 3], stored.Select(a => a.SourceLine!.Value));

        // The same file again: everyone it named is already present; the earlier import is shown before saving.
        var again = await Attendance.PreviewImportAsync(reviewer.Principal, eventId, file, "report (1).csv");
        Assert.Single(again.Value.EarlierImports);
        Assert.Equal(2, again.Value.AlreadyPresent);
        var second = await Attendance.ImportAsync(reviewer.Principal, eventId, file, "report (1).csv", decisions);
        Assert.True(second.Succeeded, second.Message);
        Assert.Equal((0, 2), (second.Value.Added, second.Value.AlreadyPresent));
        Assert.Equal(2, (await StoredAsync(eventId)).Count);
        var imports = await factory.Data.StoredAsync(db => db.AttendanceImports.Where(i => i.EventId == eventId).OrderBy(i => i.ImportedAt).ToListAsync());
        Assert.Equal(2, imports.Count);
        Assert.Equal(AttendeeReport.HashOf(file), Assert.Single(imports.Select(i => i.FileHash).Distinct()));
        Assert.Equal([(3, 2, 0, 2), (3, 0, 2, 2)], imports.Select(i => (i.Rows, i.Added, i.AlreadyPresent, i.Skipped)));

        var view = (await Attendance.ForEventAsync(reviewer.Principal, eventId)).Value;
        Assert.All(view.Lines, l => Assert.Equal("imported from report.csv", l.Source));
    }

    [Fact]
    public async Task A_matched_row_the_reviewer_marks_not_a_portal_user_keeps_its_name_and_links_nobody_while_a_row_without_a_person_choice_keeps_its_user_and_their_name()
    {
        var reviewer = await ReviewerAsync();
        var planDomain = Domain();
        var plan = await factory.Data.PlanAsync();
        var ana = await factory.Data.UserAsync(plan, OrganizationRole.Contributor, email: $"ana@{planDomain}", name: "Ana Ramos");
        var lee = await factory.Data.UserAsync(plan, OrganizationRole.Contributor, email: $"lee@{planDomain}", name: "Lee Kim");
        var eventId = await PastEventAsync(reviewer);
        var file = Csv($"""
            Name,Email,Duration
            Shared Login,ana@{planDomain},40
            Lee K.,lee@{planDomain},30
            """);
        var decisions = new Dictionary<string, RowDecision>
        {
            [$"ana@{planDomain}"] = RowDecision.WithoutPerson(plan.Id),
            [$"lee@{planDomain}"] = new(plan.Id),
        };

        var imported = await Attendance.ImportAsync(reviewer.Principal, eventId, file, "report.csv", decisions);

        Assert.True(imported.Succeeded, imported.Message);
        Assert.Equal([($"ana@{planDomain}", (string?)null, "Shared Login"), ($"lee@{planDomain}", lee.Id, "Lee Kim")],
            (await StoredAsync(eventId)).Select(a => (a.Email, a.UserId, a.Name)));
        Assert.NotEqual(ana.Id, (await StoredAsync(eventId))[0].UserId);
    }

    [Fact]
    public async Task A_choice_the_event_does_not_allow_is_refused_beside_its_row_and_a_malformed_file_beside_the_file_and_nothing_is_saved()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var other = await factory.Data.PlanAsync();
        var stranger = await factory.Data.UserAsync(other);
        var call = await PastEventAsync(reviewer, kind: EventKind.SupportCall, plan: plan.Id);
        var file = Csv("Name,Email\nSomeone,someone@gmail.com\n");

        var wrongPlan = await Attendance.ImportAsync(reviewer.Principal, call, file, "call.csv", new Dictionary<string, RowDecision> { ["someone@gmail.com"] = new(other.Id) });
        var wrongPerson = await Attendance.ImportAsync(reviewer.Principal, call, file, "call.csv", new Dictionary<string, RowDecision> { ["someone@gmail.com"] = new(plan.Id, stranger.Id) });
        var malformed = await Attendance.PreviewImportAsync(reviewer.Principal, call, Csv("Name,Email\n\"Unclosed,someone@gmail.com\n"), "bad.csv");

        Assert.Contains("private to one plan", wrongPlan.ErrorFor(AttendanceService.RowField(2)), StringComparison.Ordinal);
        Assert.Contains("person of the chosen organization", wrongPerson.ErrorFor(AttendanceService.RowField(2)), StringComparison.Ordinal);
        Assert.StartsWith("Line 2:", malformed.ErrorFor(AttendanceService.FileField), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(call));
        Assert.Empty(await factory.Data.StoredAsync(db => db.AttendanceImports.Where(i => i.EventId == call).ToListAsync()));
    }

    [Fact]
    public async Task Only_reviewers_import_and_only_once_the_event_took_place()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var manager = await factory.Data.UserAsync(plan);
        var past = await PastEventAsync(reviewer);
        var future = await PastEventAsync(reviewer, days: -5);
        var file = Csv("Name,Email\nSomeone,someone@gmail.com\n");

        Assert.IsType<Failure.Refused>((await Attendance.PreviewImportAsync(manager.Principal, past, file, "x.csv")).Failure);
        Assert.IsType<Failure.Refused>((await Attendance.ImportAsync(manager.Principal, past, file, "x.csv", new Dictionary<string, RowDecision>())).Failure);
        Assert.IsType<Failure.Refused>((await Attendance.RecordAsync(manager.Principal, new RecordAttendanceCommand { EventId = past, OrganizationId = plan.Id, UserId = manager.Id })).Failure);
        Assert.Contains("once the event has taken place", (await Attendance.PreviewImportAsync(reviewer.Principal, future, file, "x.csv")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demos_latest_past_webinar_was_imported_from_its_attendee_report_with_the_reviewers_decisions()
    {
        var imports = await factory.Data.StoredAsync(db => db.AttendanceImports.Where(i => i.ImportedBy != "system" && i.FileName == "zoom_participants_webinar.csv").ToListAsync());
        var import = Assert.Single(imports);
        Assert.Equal((8, 7, 0, 2), (import.Rows, import.Added, import.AlreadyPresent, import.Skipped));
        var rows = await factory.Data.StoredAsync(db => db.Attendances.Where(a => a.ImportId == import.Id).ToListAsync());
        Assert.Equal(7, rows.Count);
        Assert.Contains(rows, a => a.Email == "amy.chen.md@gmail.com" && a.UserId == null);
        Assert.Equal(60, rows.Single(a => a.Email == $"manager@{PortalFactory.Domain}").Minutes);
        Assert.DoesNotContain(rows, a => a.Email == $"reviewer@{PortalFactory.Domain}");
        Assert.True(await factory.Data.StoredAsync(db => db.Attendances.CountAsync(a => a.Source == AttendanceSource.Staff)) > 10);
    }

    // ---- Recorded by staff ------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_reviewer_records_a_member_and_someone_by_name_and_address_refuses_a_duplicate_beside_its_field_and_removes_a_wrong_entry()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var provider = await factory.Data.ProviderAsync();
        var member = await factory.Data.UserAsync(plan, OrganizationRole.Viewer);
        var eventId = await PastEventAsync(reviewer);

        var byPerson = await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = eventId, OrganizationId = plan.Id, UserId = member.Id });
        var byName = await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = eventId, OrganizationId = provider.Id, Name = "Jo Guest", Email = " Jo@Guest.example.org " });
        var twice = await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = eventId, OrganizationId = provider.Id, Name = "Jo again", Email = "jo@guest.example.org" });
        var noOrganization = await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = eventId, Name = "X", Email = "x@y.example.org" });
        var badAddress = await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = eventId, OrganizationId = plan.Id, Name = "X", Email = "x at y" });
        var notAMember = await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = eventId, OrganizationId = provider.Id, UserId = member.Id });

        Assert.True(byPerson.Succeeded, byPerson.Message);
        Assert.True(byName.Succeeded, byName.Message);
        Assert.Contains("already recorded", twice.ErrorFor(nameof(RecordAttendanceCommand.Email)), StringComparison.Ordinal);
        Assert.NotNull(noOrganization.ErrorFor(nameof(RecordAttendanceCommand.OrganizationId)));
        Assert.NotNull(badAddress.ErrorFor(nameof(RecordAttendanceCommand.Email)));
        Assert.NotNull(notAMember.ErrorFor(nameof(RecordAttendanceCommand.UserId)));
        var lines = (await Attendance.ForEventAsync(reviewer.Principal, eventId)).Value.Lines;
        var memberEmail = member.Email.ToLowerInvariant();
        Assert.Equal([(member.DisplayName, memberEmail, true), ("Jo Guest", "jo@guest.example.org", false)],
            lines.OrderBy(l => !string.Equals(l.Email, memberEmail, StringComparison.Ordinal)).Select(l => (l.Name, l.Email, l.IsPortalUser)));
        Assert.All(lines, l => Assert.Equal("recorded by staff", l.Source));

        Assert.True((await Attendance.RemoveAsync(reviewer.Principal, byName.Value)).Succeeded);
        Assert.Equal([member.Id], (await StoredAsync(eventId)).Select(a => a.UserId));
        Assert.IsType<Failure.NotFound>((await Attendance.RemoveAsync(reviewer.Principal, byName.Value)).Failure);
    }

    // ---- Who sees what ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task A_plan_sees_its_own_organizations_attendance_only_and_nothing_of_another_plans_private_call()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var other = await factory.Data.PlanAsync();
        var mine = await factory.Data.UserAsync(plan);
        var theirs = await factory.Data.UserAsync(other);
        var webinar = await PastEventAsync(reviewer);
        var privateCall = await PastEventAsync(reviewer, kind: EventKind.SupportCall, plan: other.Id);
        Assert.True((await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = webinar, OrganizationId = plan.Id, UserId = mine.Id })).Succeeded);
        Assert.True((await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = webinar, OrganizationId = other.Id, UserId = theirs.Id })).Succeeded);
        var call = await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand { EventId = privateCall, OrganizationId = other.Id, UserId = theirs.Id });
        Assert.True(call.Succeeded, call.Message);

        var seen = (await Attendance.ForEventAsync(mine.Principal, webinar)).Value;
        Assert.Equal([plan.Id], seen.Lines.Select(l => l.OrganizationId));
        Assert.False(seen.CanRecord);
        Assert.Empty(seen.Imports);
        Assert.IsType<Failure.NotFound>((await Attendance.ForEventAsync(mine.Principal, privateCall)).Failure);
        await using (var op = await Service<OperationRunner>().OpenAsync(mine.Principal))
        {
            Assert.False(await op.Db.Attendances.AnyAsync(a => a.Id == call.Value));
            Assert.False(await op.Db.Attendances.AnyAsync(a => a.OrganizationId == other.Id));
        }

        Assert.Equal([other.Id], (await Attendance.ForEventAsync(theirs.Principal, privateCall)).Value.Lines.Select(l => l.OrganizationId));
        var participation = (await Attendance.ParticipationAsync(mine.Principal)).Value;
        Assert.False(participation.SeesEveryone);
        Assert.Equal([plan.Id], participation.Lines.Select(l => l.OrganizationId));
        Assert.Equal(1, participation.Lines[0].Webinars);
    }

    [Fact]
    public async Task Participation_counts_events_attended_by_kind_and_names_the_organizations_absent_from_the_last_two_events()
    {
        var reviewer = await ReviewerAsync();
        var plan = await factory.Data.PlanAsync();
        var provider = await factory.Data.ProviderAsync();
        var absent = await factory.Data.PlanAsync();
        var member = await factory.Data.UserAsync(plan);
        var earlier = await PastEventAsync(reviewer, days: 2, kind: EventKind.Convening);
        var call = await PastEventAsync(reviewer, days: 2, kind: EventKind.SupportCall, plan: plan.Id, hour: 15);
        var secondLast = await PastEventAsync(reviewer, days: 1, hour: 22);
        var last = await PastEventAsync(reviewer, days: 1, hour: 23);
        foreach (var (eventId, organization) in new[] { (earlier, absent.Id), (call, plan.Id), (secondLast, plan.Id), (earlier, provider.Id), (last, provider.Id) })
        {
            var recorded = await Attendance.RecordAsync(reviewer.Principal, new RecordAttendanceCommand
            {
                EventId = eventId,
                OrganizationId = organization,
                Name = "Someone",
                Email = $"p{Guid.NewGuid():N}@x.example.org",
            });
            Assert.True(recorded.Succeeded, recorded.Message);
        }

        var view = (await Attendance.ParticipationAsync(reviewer.Principal)).Value;

        Assert.True(view.SeesEveryone);
        Assert.Equal([secondLast, last], view.LastTwo.Select(e => e.Id).Reverse());
        var lines = view.Lines.ToDictionary(l => l.OrganizationId);
        Assert.Equal((0, 1, 0, false), (lines[plan.Id].Webinars - 1, lines[plan.Id].SupportCalls, lines[plan.Id].Convenings, lines[plan.Id].MissedLastTwo));
        Assert.Equal((1, 1, 2, false), (lines[provider.Id].Webinars, lines[provider.Id].Convenings, lines[provider.Id].Events, lines[provider.Id].MissedLastTwo));
        Assert.True(lines[absent.Id].MissedLastTwo);
        Assert.Contains(view.Missing, l => l.OrganizationId == absent.Id);
        Assert.DoesNotContain(view.Lines, l => l.Kind == OrganizationKind.StatewideSupport);
        Assert.False((await Attendance.ParticipationAsync(member.Principal)).Value.Lines.Single().MissedLastTwo);
    }
}
