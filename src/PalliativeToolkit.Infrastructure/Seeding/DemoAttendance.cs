using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Community;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Seeding;

/// <summary>
/// The demo's attendance: the latest webinar that took place imported from a Zoom participant report (Seeding/Data, its
/// dates set to the webinar's day) through the import's own code, with a reviewer's decisions for the rows that match
/// nothing (a guest on a public mail service, a provider's clinician whose domain no one has, the host skipped); the other
/// events that took place recorded as staff would, most organizations at most of them, the last plan at neither of the
/// last two (so participation has someone to flag).
/// </summary>
internal static class DemoAttendance
{
    private const string ReportResource = "demo-webinar-attendees.csv";

    public static async Task SeedAsync(ToolkitDbContext db, IReadOnlyList<Organization> plans, IReadOnlyList<Organization> providers, string reviewerId, DateTime now,
        CancellationToken cancellationToken)
    {
        var past = (await db.CommunityEvents.Where(e => e.Status == EventStatus.Scheduled && e.StartsAt <= now).OrderBy(e => e.StartsAt).ToListAsync(cancellationToken)).ToList();
        var imported = past.LastOrDefault(e => e.Kind == EventKind.Webinar);
        if (imported is null)
        {
            return;
        }

        var organizations = plans.Concat(providers).ToList();
        var people = await AttendanceImporter.PeopleOfAsync(db, organizations.Select(o => o.Id).ToList(), cancellationToken);
        var open = past.Where(e => e.PlanOrganizationId is null).ToList();
        var lastTwo = open.TakeLast(2).Select(e => e.Id).ToHashSet();
        var index = 0;
        foreach (var communityEvent in past.Where(e => e != imported))
        {
            index++;
            var attending = communityEvent.PlanOrganizationId is { } privateTo
                ? organizations.Where(o => o.Id == privateTo).ToList()
                : organizations.Where((o, i) => (index + i) % 3 != 0 && !(o == plans[^1] && lastTwo.Contains(communityEvent.Id))).ToList();
            foreach (var organization in attending)
            {
                if (people.FirstOrDefault(p => p.OrganizationId == organization.Id) is { } person)
                {
                    db.Attendances.Add(Attendance.ByStaff(communityEvent, organization.Id, person.UserId, person.Name, person.Email, Before(communityEvent.EndsAt.AddDays(1), now), reviewerId));
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        // The webinar's attendee report, imported as a reviewer would: read, matched, then saved with the reviewer's decisions.
        var day = EventTime.LocalIn(imported.StartsAt, EventTime.Pacific).ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);
        var content = Encoding.UTF8.GetBytes(ReadReport().Replace("{DATE}", day, StringComparison.Ordinal));
        var plan = await AttendanceImporter.PlanAsync(db, imported, AttendeeReport.Parse(content), cancellationToken);
        var decisions = new Dictionary<string, RowDecision>(StringComparer.Ordinal)
        {
            [$"reviewer@{DemoData.EmailDomain}"] = RowDecision.Skip,
            ["amy.chen.md@gmail.com"] = new(plans[0].Id),
            ["r.patel@manzanita-care.example.org"] = new(providers[^1].Id),
        };
        AttendanceImporter.Apply(db, plan, "zoom_participants_webinar.csv", decisions, Before(imported.EndsAt.AddHours(2), now), reviewerId);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static DateTime Before(DateTime at, DateTime now) => at < now ? at : now;

    private static string ReadReport()
    {
        var assembly = typeof(DemoAttendance).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(ReportResource, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
