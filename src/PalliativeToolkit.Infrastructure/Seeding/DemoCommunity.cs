using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Seeding;

/// <summary>
/// The demo's learning community: a year of events around today (bi-monthly webinars, monthly open support calls, a
/// support call private to the first demo plan, one cancelled call, last year's convening and the next one), with
/// registrations of the demo accounts, materials as links to the guide's real pages and a recording link on past
/// webinars. Topics say they are demo events; the recordings' addresses are example.org placeholders.
/// </summary>
internal static class DemoCommunity
{
    private const string Guide = "https://www.chcf.org/resource-center/essential-elements-medi-cal-palliative-care-services/";
    private const string Dhcs = "https://www.dhcs.ca.gov/provgovpart/Pages/Palliative-Care-and-SB-1004.aspx";
    private const string Partnerships = "https://www.chcf.org/resource-center/payer-provider-partnerships-for-palliative-care/";
    private const string Rural = "https://www.chcf.org/project/increasing-access-palliative-care-rural-california/";
    private const string Identify = "https://www.chcf.org/resource/essential-elements-of-medi-cal-palliative-care-services/d-define-or-refine-strategies-to-identify-and-engage-mcp-members";

    private sealed record Webinar(string Title, string Topic, string Presenters, string[] Elements, string Material, string MaterialUrl);

    private static readonly Webinar[] Webinars =
    [
        new("Who is eligible? Applying the APL 18-020 criteria", "Eligibility criteria for SB 1004 palliative care, and how plans document expanded criteria as an enhancement.", "Statewide support team; a plan's medical director", ["A1"], "DHCS palliative care and SB 1004 page", Dhcs),
        new("Finding the members who need palliative care", "Identification strategies: claims, referrals and risk lists, and how to engage members once found.", "Statewide support team; a plan's care management lead", ["D1", "D2"], "Essential element D: identify and engage members", Identify),
        new("Services, costs and payment", "The minimum services of APL 18-020, what they cost to deliver, and payment models between plans and providers.", "Statewide support team; a provider's finance director", ["A3", "A5", "B5"], "The essential elements of Medi-Cal palliative care", Guide),
        new("Measuring what matters", "Choosing a balanced, feasible set of metrics for a partnership, and using them to improve.", "Statewide support team", ["A4", "E2"], "The essential elements of Medi-Cal palliative care", Guide),
        new("Payer-provider partnerships that last", "Lessons from payer-provider partnerships for community-based palliative care: contracts, data sharing and joint quality work.", "Statewide support team; a plan and provider pair", ["E1", "E3"], "Payer-provider partnerships for palliative care", Partnerships),
        new("Reaching rural members", "Telehealth, travelling teams and partnerships that bring palliative care to rural counties.", "Statewide support team; a rural hospice", ["B3", "D3"], "Increasing access to palliative care in rural California", Rural),
    ];

    /// <summary>Adds the events, materials and registrations (the caller saves).</summary>
    public static void Seed(ToolkitDbContext db, IReadOnlyList<Organization> plans, IReadOnlyList<Organization> providers, string reviewerId,
        IReadOnlyList<string> firstPlanPeople, IReadOnlyList<string> otherPlanManagers, IReadOnlyList<string> providerManagers, DateTime now)
    {
        var today = DateOnly.FromDateTime(EventTime.LocalIn(now, EventTime.Pacific));
        var firstOfMonth = new DateOnly(today.Year, today.Month, 1);

        // The second Tuesday (webinars) or the third Thursday (support calls) of a month, at a Pacific time of day.
        EventTime On(int monthOffset, DayOfWeek day, int week, int hour, int minutes)
        {
            var month = firstOfMonth.AddMonths(monthOffset);
            var first = month.AddDays(((int)day - (int)month.DayOfWeek + 7) % 7);
            var date = first.AddDays(7 * (week - 1));
            return EventTime.At(date.ToDateTime(new TimeOnly(hour, 0)), EventTime.Pacific, minutes);
        }

        var created = now.AddMonths(-8);
        var events = new List<CommunityEvent>();
        var materials = new List<EventMaterial>();
        var registrations = new List<EventRegistration>();

        void Register(CommunityEvent e, Guid organization, string userId) =>
            registrations.Add(new EventRegistration(e, organization, userId, e.StartsAt < now ? e.StartsAt.AddDays(-7) : now, userId));

        // Webinars every other month: three before today, three after.
        for (var i = 0; i < Webinars.Length; i++)
        {
            var w = Webinars[i];
            var time = On(-6 + (2 * i), DayOfWeek.Tuesday, 2, 10, 60);
            var webinar = new CommunityEvent(EventKind.Webinar, w.Title, time, w.Topic + " (Demo event.)", w.Presenters, w.Elements, null, created, reviewerId);
            events.Add(webinar);
            materials.Add(EventMaterial.Link(webinar, w.Material, w.MaterialUrl, created, reviewerId));
            if (webinar.StartsAt < now)
            {
                webinar.SetRecording($"https://www.example.org/demo/learning-community/webinar-{i + 1}", now);
                Register(webinar, plans[1].Id, otherPlanManagers[0]);
                Register(webinar, providers[0].Id, providerManagers[0]);
            }

            Register(webinar, plans[0].Id, firstPlanPeople[0]);
            if (i % 2 == 0 && firstPlanPeople.Count > 1)
            {
                Register(webinar, plans[0].Id, firstPlanPeople[1]);
            }
        }

        // Open support calls on the third Thursday of the other months; the one two months ago was cancelled.
        foreach (var offset in new[] { -7, -5, -3, -1, 1, 3, 5 })
        {
            var call = new CommunityEvent(EventKind.SupportCall, "Plan support call: questions and answers", On(offset, DayOfWeek.Thursday, 3, 12, 45),
                "An open call for plans: bring your questions on implementing the guide. (Demo event.)", "Statewide support team", [], null, created, reviewerId);
            events.Add(call);
            if (offset == -3)
            {
                call.Cancel("The presenters were at the statewide conference that week; questions were answered by email.", created);
            }
            else if (call.StartsAt < now)
            {
                Register(call, plans[2].Id, otherPlanManagers[1]);
            }
            else
            {
                Register(call, plans[1].Id, otherPlanManagers[0]);
            }
        }

        // A support call with the first demo plan only: private to it and the statewide reviewers.
        var privateCall = new CommunityEvent(EventKind.SupportCall, $"Support call with {plans[0].Name}", On(1, DayOfWeek.Wednesday, 2, 14, 60),
            "Your action plan's gaps in section D, and how other plans identify eligible members. (Demo event.)", "Statewide support team", ["D1", "D2"], plans[0].Id, created, reviewerId);
        events.Add(privateCall);
        materials.Add(EventMaterial.Link(privateCall, "Essential element D: identify and engage members", Identify, created, reviewerId));
        Register(privateCall, plans[0].Id, firstPlanPeople[0]);

        // Last year's annual convening and the next one.
        var convening = new CommunityEvent(EventKind.Convening, "Annual virtual convening", On(-4, DayOfWeek.Wednesday, 3, 9, 180),
            "A half day with every plan and provider: progress in California, partnership stories and small-group sessions by section. (Demo event.)",
            "Statewide support team; plans and providers of the learning community", ["A4", "E1", "E2", "E3"], null, created, reviewerId);
        convening.SetRecording("https://www.example.org/demo/learning-community/convening", now);
        events.Add(convening);
        materials.Add(EventMaterial.Link(convening, "The essential elements of Medi-Cal palliative care", Guide, created, reviewerId));
        foreach (var (organization, manager) in plans.Skip(1).Zip(otherPlanManagers))
        {
            Register(convening, organization.Id, manager);
        }

        Register(convening, plans[0].Id, firstPlanPeople[0]);
        Register(convening, providers[0].Id, providerManagers[0]);
        var next = new CommunityEvent(EventKind.Convening, "Annual virtual convening", On(8, DayOfWeek.Wednesday, 3, 9, 180),
            "This year's convening: what changed since the last cycle, and what to work on next. (Demo event.)", "Statewide support team", ["A4", "E2"], null, created, reviewerId);
        events.Add(next);

        db.CommunityEvents.AddRange(events);
        db.EventMaterials.AddRange(materials);
        db.EventRegistrations.AddRange(registrations.DistinctBy(r => (r.EventId, r.UserId)));
    }
}
