using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Seeding;

/// <summary>
/// The demo's annual surveys (labelled demo data: no published CCCC survey results exist to copy): a question bank for
/// plans and providers; last year's waves of both, closed, with every demo organization's submitted response; and this
/// year's plan survey, open, with one plan submitted, one part-way and the others not started. Questions that map to
/// portal data were answered by confirming it or correcting it.
/// </summary>
public static class DemoSurveys
{
    public static async Task SeedAsync(ToolkitDbContext db, IReadOnlyList<Organization> plans, IReadOnlyList<Organization> providers, string reviewerId,
        IReadOnlyList<string> planManagers, IReadOnlyList<string> providerManagers, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(planManagers);
        ArgumentNullException.ThrowIfNull(providerManagers);
        var random = new Random(2026);
        var year = now.Year;
        SurveyQuestion Ask(QuestionKind kind, string text, string? help = null, string[]? options = null, int? min = null, int? max = null, PortalSource source = PortalSource.None) =>
            new(new QuestionDefinition(text, help, kind, options ?? [], min, max, source), new DateTime(year - 1, 7, 15, 16, 0, 0, DateTimeKind.Utc), reviewerId);

        // The plans' questions.
        var partners = Ask(QuestionKind.Number, "How many palliative care provider organizations does your plan have an active agreement with?", min: 0, max: 500, source: PortalSource.PartnersAndCounties);
        var partnerCounties = Ask(QuestionKind.CountyGrid, "In which counties do your palliative care partners serve your members, and how many partners serve each?",
            "Name every county with at least one partner.", source: PortalSource.PartnersAndCounties);
        var elements = Ask(QuestionKind.Number, "How many of the guide's essential elements does your program meet at minimum or better?", min: 0, max: 40, source: PortalSource.ElementLevels);
        var identification = Ask(QuestionKind.MultipleChoice, "How does your plan identify members who may be eligible for palliative care?", "Choose all that apply.",
            ["Claims and utilization data", "Referrals from primary care", "Referrals from hospitals", "A predictive model", "Care management assessments"]);
        var payment = Ask(QuestionKind.SingleChoice, "How does your plan pay for palliative care?", options: ["Per-member-per-month case rate", "Fee for service", "A mix of both", "Other"]);
        var capacity = Ask(QuestionKind.Scale, "How confident are you that your partners can meet referral demand over the next year?", "1 = not at all confident, 5 = fully confident.");
        var barrier = Ask(QuestionKind.Text, "What is the biggest barrier to growing your palliative care program?");
        var actions = Ask(QuestionKind.Number, "How many improvement items are open in your action plan?", min: 0, max: 500, source: PortalSource.ActionItemCounts);

        // The providers' questions.
        var plansServed = Ask(QuestionKind.Number, "How many Medi-Cal managed care plans does your organization have an active agreement with?", min: 0, max: 50, source: PortalSource.PartnersAndCounties);
        var phone = Ask(QuestionKind.SingleChoice, "Do your palliative care patients have a 24/7 telephone line?", options: ["Yes", "No", "Planned this year"]);
        var referrals = Ask(QuestionKind.Scale, "How well do plan referrals match your program's eligibility criteria?", "1 = rarely, 5 = almost always.");
        var support = Ask(QuestionKind.Text, "What support from plans would help your program most?");
        db.SurveyQuestions.AddRange(partners, partnerCounties, elements, identification, payment, capacity, barrier, actions, plansServed, phone, referrals, support);

        SurveyInstrument Wave(string title, SurveyAudience audience, int waveYear, DateOnly opens, DateOnly closes, params SurveyQuestion[] questions)
        {
            // Built a month before it opened.
            var wave = new SurveyInstrument(title, audience, waveYear, opens, closes, opens.AddMonths(-1).ToDateTime(new TimeOnly(16, 0), DateTimeKind.Utc), reviewerId);
            foreach (var question in questions)
            {
                wave.Add(question);
            }

            db.SurveyInstruments.Add(wave);
            return wave;
        }

        var lastOpens = new DateOnly(year - 1, 9, 1);
        var lastCloses = new DateOnly(year - 1, 10, 31);
        var lastPlans = Wave($"{year - 1} survey of plans (demo)", SurveyAudience.Plans, year - 1, lastOpens, lastCloses,
            partners, partnerCounties, identification, payment, capacity, barrier);
        var lastProviders = Wave($"{year - 1} survey of providers (demo)", SurveyAudience.Providers, year - 1, lastOpens, lastCloses, plansServed, phone, referrals, support);
        var today = DateOnly.FromDateTime(now);
        var thisPlans = Wave($"{year} survey of plans (demo)", SurveyAudience.Plans, year, today.AddDays(-20), today.AddDays(40),
            partners, partnerCounties, elements, identification, payment, capacity, barrier, actions);
        await db.SaveChangesAsync(cancellationToken);

        // Last year: every organization answered and submitted; the waves then closed.
        var answeredOn = lastOpens.AddDays(20);
        var answeredAt = answeredOn.ToDateTime(new TimeOnly(17, 0), DateTimeKind.Utc);
        lastPlans.Open(lastOpens.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        lastProviders.Open(lastOpens.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var planCounties = new[] { new[] { "06097", "06055" }, ["06005", "06009", "06109"], ["06001"], ["06067", "06073"] };
        for (var i = 0; i < plans.Count; i++)
        {
            var response = SurveyResponse.Start(lastPlans, plans[i].Id, answeredOn, answeredAt, planManagers[i]);
            var counties = planCounties[i % planCounties.Length];
            var values = new Dictionary<SurveyQuestion, SurveyValue>
            {
                [partners] = SurveyValue.Of(counties.Length > 2 ? 1 : 1 + random.Next(2)),
                [partnerCounties] = SurveyValue.Grid(counties.Select(c => new KeyValuePair<string, int>(c, 1))),
                [identification] = SurveyValue.Choose(identification.Options.Where((_, k) => k == 0 || random.NextDouble() < 0.5)),
                [payment] = SurveyValue.Choose([payment.Options[random.Next(3)]]),
                [capacity] = SurveyValue.Of(2 + random.Next(3)),
                [barrier] = SurveyValue.Write(Barriers[i % Barriers.Length]),
            };
            Answer(response, lastPlans, values, answeredAt, planManagers[i]);
            response.Submit(lastPlans.Items, answeredAt.AddDays(2), planManagers[i]);
            db.SurveyResponses.Add(response);
        }

        for (var i = 0; i < providers.Count; i++)
        {
            var response = SurveyResponse.Start(lastProviders, providers[i].Id, answeredOn, answeredAt, providerManagers[i]);
            var values = new Dictionary<SurveyQuestion, SurveyValue>
            {
                [plansServed] = SurveyValue.Of(1 + random.Next(2)),
                [phone] = SurveyValue.Choose([phone.Options[i % 2 == 0 ? 0 : 1 + random.Next(2)]]),
                [referrals] = SurveyValue.Of(2 + random.Next(4)),
                [support] = SurveyValue.Write(Support[i % Support.Length]),
            };
            Answer(response, lastProviders, values, answeredAt, providerManagers[i]);
            response.Submit(lastProviders.Items, answeredAt.AddDays(3), providerManagers[i]);
            db.SurveyResponses.Add(response);
        }

        lastPlans.Close(lastCloses.ToDateTime(new TimeOnly(23, 0), DateTimeKind.Utc));
        lastProviders.Close(lastCloses.ToDateTime(new TimeOnly(23, 0), DateTimeKind.Utc));

        // This year: open; Sierra Vista submitted (confirming its partners from the portal), Bayshore part-way, the others not started.
        thisPlans.Open(today.AddDays(-20).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var sierraPartners = await db.Partnerships.CountAsync(p => p.PlanOrganizationId == plans[1].Id && p.Status == PartnershipStatus.Active, cancellationToken);
        var sierra = SurveyResponse.Start(thisPlans, plans[1].Id, today.AddDays(-10), now.AddDays(-10), planManagers[1]);
        var note = $"From your partners list: {sierraPartners} active partner{(sierraPartners == 1 ? string.Empty : "s")}, counties Amador (1), Calaveras (1), Tuolumne (1).";
        var sierraGrid = SurveyValue.Grid([new("06005", 1), new("06009", 1), new("06109", 1)]);
        sierra.Record(Item(thisPlans, partners), SurveyValue.Of(sierraPartners), (SurveyValue.Of(sierraPartners), note), now.AddDays(-10), planManagers[1]);
        sierra.Record(Item(thisPlans, partnerCounties), SurveyValue.Grid([new("06005", 1), new("06009", 1), new("06109", 1), new("06051", 1)]), (sierraGrid, note), now.AddDays(-10), planManagers[1]);
        sierra.Record(Item(thisPlans, elements), SurveyValue.Of(9), null, now.AddDays(-9), planManagers[1]);
        sierra.Record(Item(thisPlans, identification), SurveyValue.Choose(["Claims and utilization data", "Referrals from primary care"]), null, now.AddDays(-9), planManagers[1]);
        sierra.Record(Item(thisPlans, payment), SurveyValue.Choose(["Per-member-per-month case rate"]), null, now.AddDays(-9), planManagers[1]);
        sierra.Record(Item(thisPlans, capacity), SurveyValue.Of(3), null, now.AddDays(-9), planManagers[1]);
        sierra.Record(Item(thisPlans, barrier), SurveyValue.Write("Too few palliative care teams in the mountain counties; travel time limits home visits."), null, now.AddDays(-9), planManagers[1]);
        sierra.Record(Item(thisPlans, actions), SurveyValue.Of(0), null, now.AddDays(-9), planManagers[1]);
        sierra.Submit(thisPlans.Items, now.AddDays(-8), planManagers[1]);
        var bayshore = SurveyResponse.Start(thisPlans, plans[2].Id, today.AddDays(-3), now.AddDays(-3), planManagers[2]);
        bayshore.Record(Item(thisPlans, identification), SurveyValue.Choose(["Referrals from hospitals", "Care management assessments"]), null, now.AddDays(-3), planManagers[2]);
        bayshore.Record(Item(thisPlans, capacity), SurveyValue.Of(2), null, now.AddDays(-3), planManagers[2]);
        db.SurveyResponses.AddRange(sierra, bayshore);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static readonly string[] Barriers =
    [
        "Finding members early enough: most referrals come after a hospital stay.",
        "Too few palliative care teams in the mountain counties; travel time limits home visits.",
        "Contracting takes months, and our partner's capacity is already full.",
        "Members decline when palliative care is confused with hospice.",
    ];

    private static readonly string[] Support =
    [
        "Timely eligibility lists from the plan each month.",
        "A single contact at each plan for referrals and authorizations.",
        "Case rates that cover the social worker and chaplain visits.",
        "Shared data on hospital admissions of enrolled members.",
    ];

    private static SurveyItem Item(SurveyInstrument wave, SurveyQuestion question) => wave.Items.Single(i => i.QuestionId == question.Id);

    private static void Answer(SurveyResponse response, SurveyInstrument wave, Dictionary<SurveyQuestion, SurveyValue> values, DateTime at, string userId)
    {
        foreach (var (question, value) in values)
        {
            response.Record(Item(wave, question), value, null, at, userId);
        }
    }
}
