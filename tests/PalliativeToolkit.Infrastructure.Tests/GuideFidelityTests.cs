using System.Text.RegularExpressions;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Seeding;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>
/// The shipped framework and the demo organizations say only what the published guide and the sources in
/// docs/domain.md support (see its §1.2, §2.4–2.7, §3.4 and §3.5).
/// </summary>
public partial class GuideFidelityTests
{
    // The 58 California counties, to catch misspelt or invented county names in demo data.
    private static readonly HashSet<string> CaliforniaCounties =
    [
        "Alameda", "Alpine", "Amador", "Butte", "Calaveras", "Colusa", "Contra Costa", "Del Norte", "El Dorado", "Fresno",
        "Glenn", "Humboldt", "Imperial", "Inyo", "Kern", "Kings", "Lake", "Lassen", "Los Angeles", "Madera", "Marin",
        "Mariposa", "Mendocino", "Merced", "Modoc", "Mono", "Monterey", "Napa", "Nevada", "Orange", "Placer", "Plumas",
        "Riverside", "Sacramento", "San Benito", "San Bernardino", "San Diego", "San Francisco", "San Joaquin",
        "San Luis Obispo", "San Mateo", "Santa Barbara", "Santa Clara", "Santa Cruz", "Shasta", "Sierra", "Siskiyou",
        "Solano", "Sonoma", "Stanislaus", "Sutter", "Tehama", "Trinity", "Tulare", "Tuolumne", "Ventura", "Yolo", "Yuba",
    ];

    // Regional model in 2024-2026: rural counties where Anthem and Health Net are the only two plans (domain.md §3.5).
    private static readonly HashSet<string> RegionalCounties = ["Amador", "Calaveras", "Tuolumne", "Inyo", "Mono"];

    // Counties where each model applies in 2026 (domain.md §3.4 and §3.5). COHS includes the Partnership HealthPlan
    // counties after its 2024 expansion (Nevada, Placer and the other North State counties).
    private static readonly Dictionary<PlanModel, HashSet<string>> CountiesByModel = new()
    {
        [PlanModel.Cohs] =
        [
            "Butte", "Colusa", "Del Norte", "Glenn", "Humboldt", "Lake", "Lassen", "Marin", "Mendocino", "Modoc", "Napa",
            "Nevada", "Placer", "Plumas", "Shasta", "Sierra", "Siskiyou", "Solano", "Sonoma", "Sutter", "Tehama", "Trinity",
            "Yolo", "Yuba", "Santa Barbara", "San Luis Obispo", "San Mateo", "Santa Cruz", "Monterey", "Merced", "Mariposa",
            "San Benito", "Ventura", "Orange",
        ],
        [PlanModel.TwoPlan] =
        [
            "Fresno", "Kern", "Kings", "Los Angeles", "Madera", "Riverside", "San Bernardino", "San Francisco", "San Joaquin",
            "Santa Clara", "Stanislaus", "Tulare",
        ],
        [PlanModel.Gmc] = ["Sacramento", "San Diego"],
        [PlanModel.Regional] = RegionalCounties,
        [PlanModel.SinglePlan] = ["Alameda", "Contra Costa"],
    };

    // Criteria whose APL 18-020 tag has a source in domain.md: general criteria, the four diagnoses and the under-21
    // pathway (A1); the seven minimum services and "does not reduce other benefits" (A3, B3-M1, B3-M2); the
    // age-based concurrency rule (B3-M4); authorization regardless of age (C2-M4); network adequacy (C3-M1); written
    // policies and procedures and the medical-necessity process (C5).
    private static readonly string[] SourcedAplCriteria =
    [
        "A1-M1", "A1-M2", "A1-M3", "A3-M1", "A3-M2", "A3-M3", "B3-M1", "B3-M2", "B3-M4", "C2-M4", "C3-M1", "C5-M1", "C5-M2",
    ];

    // The Tools and Links the guide's readable pages list: A1's two and D1's two (domain.md §1.2, §1.3).
    private static readonly string[] GuideListedResources =
    [
        "dhcs-pc-sb1004", "chcf-expanded-eligibility-graduation", "chcf-promising-practices-identifying", "chcf-mcp-processes-identifying",
    ];

    private static readonly (FrameworkVersion Framework, IReadOnlyList<Resource> Resources) Shipped = FrameworkLoader.LoadEmbedded();

    private static IEnumerable<Criterion> AllCriteria => Shipped.Framework.Elements.SelectMany(e => e.Criteria);

    private static Element ElementNamed(string code) => Shipped.Framework.Elements.Single(e => e.Code == code);

    private static Criterion CriterionNamed(string code) => AllCriteria.Single(c => c.Code == code);

    private static List<string> CountiesOf(Organization organization) =>
        organization.Counties.Select(c => c.Name).ToList();

    private static bool MentionsGraduation(string text) => text.Contains("graduat", StringComparison.OrdinalIgnoreCase);

    // ---- Demo organizations -------------------------------------------------------------------------------------

    [Fact]
    public void No_Regional_demo_plan_lists_Placer_or_Nevada()
    {
        foreach (var plan in DemoData.Plans().Where(p => p.PlanModel == PlanModel.Regional))
        {
            Assert.DoesNotContain("Placer", CountiesOf(plan));
            Assert.DoesNotContain("Nevada", CountiesOf(plan));
        }
    }

    [Fact]
    public void Every_Regional_demo_plan_serves_only_known_Regional_counties()
    {
        var regional = DemoData.Plans().Where(p => p.PlanModel == PlanModel.Regional).ToList();

        Assert.NotEmpty(regional);
        Assert.All(regional, plan => Assert.All(CountiesOf(plan), county => Assert.Contains(county, RegionalCounties)));
    }

    [Fact]
    public void Every_demo_plan_serves_only_counties_where_its_plan_model_applies_in_2026()
    {
        var mismatches = DemoData.Plans()
            .SelectMany(plan => CountiesOf(plan)
                .Where(county => !CountiesByModel[plan.PlanModel].Contains(county))
                .Select(county => $"{plan.Name}: {county} is not a {plan.PlanModel.Describe()} county"))
            .ToList();

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Demo_organizations_serve_real_California_counties()
    {
        var organizations = DemoData.Plans().Concat(DemoData.Providers()).ToList();

        Assert.All(organizations, o => Assert.NotEmpty(CountiesOf(o)));
        Assert.All(organizations, o => Assert.All(CountiesOf(o), county => Assert.Contains(county, CaliforniaCounties)));
    }

    [Fact]
    public void Every_demo_plan_has_a_demo_provider_in_one_of_its_counties_and_every_provider_a_plan()
    {
        var plans = DemoData.Plans();
        var providers = DemoData.Providers();

        Assert.All(plans, plan => Assert.Contains(providers, provider => CountiesOf(provider).Intersect(CountiesOf(plan)).Any()));
        Assert.All(providers, provider => Assert.Contains(plans, plan => CountiesOf(plan).Intersect(CountiesOf(provider)).Any()));
    }

    [Fact]
    public void Demo_organizations_keep_their_fictional_names_and_counts()
    {
        Assert.Equal(
            ["Golden Poppy Health Plan (demo)", "Sierra Vista Community Health (demo)", "Bayshore Family Health Alliance (demo)", "Central Coast Unity Health Plan (demo)"],
            DemoData.Plans().Select(p => p.Name));
        Assert.Equal(4, DemoData.Providers().Count);
        Assert.All(DemoData.Providers().Append(DemoData.Statewide()), o => Assert.EndsWith("(demo)", o.Name));
    }

    // ---- A1: eligibility, entry and graduation -------------------------------------------------------------------

    [Fact]
    public void A1_under_21_pathway_is_sourced_not_provisional()
    {
        var pathway = CriterionNamed("A1-M3");

        Assert.Contains("under 21", pathway.Text);
        Assert.Equal(CriterionKind.Minimum, pathway.Kind);
        Assert.Equal(Provenance.Guide, pathway.Provenance);
        Assert.Equal("APL 18-020", pathway.AplReference);
    }

    [Fact]
    public void A1_has_a_minimum_graduation_criterion_from_the_guide()
    {
        var a1 = ElementNamed("A1");

        var graduation = Assert.Single(a1.Criteria, c => MentionsGraduation(c.Text));
        Assert.Equal(CriterionKind.Minimum, graduation.Kind);
        Assert.Equal(Provenance.Guide, graduation.Provenance);
        Assert.StartsWith("A1-M", graduation.Code);
        Assert.Contains("entry", a1.MinimumText, StringComparison.OrdinalIgnoreCase);
        Assert.True(MentionsGraduation(a1.MinimumText), "A1's minimum text should name graduation criteria");
    }

    [Fact]
    public void No_enhancement_mentions_graduation()
    {
        Assert.DoesNotContain(AllCriteria, c => c.Kind == CriterionKind.Enhancement && MentionsGraduation(c.Text));
        Assert.DoesNotContain(Shipped.Framework.Elements, e => MentionsGraduation(e.EnhancementText));
    }

    [Fact]
    public void Criterion_codes_are_unique_and_follow_their_kind()
    {
        Assert.Equal(AllCriteria.Count(), AllCriteria.Select(c => c.Code).Distinct().Count());
        foreach (var element in Shipped.Framework.Elements)
        {
            Assert.All(element.Criteria, c => Assert.StartsWith(
                $"{element.Code}-{(c.Kind == CriterionKind.Minimum ? "M" : "E")}", c.Code));
        }
    }

    // ---- APL 18-020 crosswalk -------------------------------------------------------------------------------------

    [Theory]
    [InlineData("B2-M1")] // team composition in the APL is unconfirmed
    [InlineData("A2-M1")] // the APL's provider-qualification language is permissive ("may contract with ...")
    [InlineData("B3-M3")] // POLST or advance directive completion as a requirement is unverified
    public void Criteria_without_a_source_carry_no_APL_reference(string code)
    {
        Assert.Null(CriterionNamed(code).AplReference);
    }

    [Fact]
    public void Only_criteria_with_a_source_are_tagged_as_required_by_APL_18_020()
    {
        var tagged = AllCriteria.Where(c => c.AplReference is not null).ToList();

        Assert.Equal(SourcedAplCriteria.Order(StringComparer.Ordinal), tagged.Select(c => c.Code).Order(StringComparer.Ordinal));
        Assert.All(tagged, c => Assert.Equal("APL 18-020", c.AplReference));
        Assert.All(tagged, c => Assert.Equal(CriterionKind.Minimum, c.Kind));
    }

    // ---- Tools and Links, Progress in California -----------------------------------------------------------------

    [Fact]
    public void Every_resource_has_a_short_summary_and_a_provenance()
    {
        Assert.NotEmpty(Shipped.Resources);
        Assert.All(Shipped.Resources, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Description), $"resource '{r.Key}' has no summary");
            Assert.True(r.Description.Length <= 400, $"resource '{r.Key}' has a summary longer than 400 characters");
            Assert.True(Enum.IsDefined(r.Provenance), $"resource '{r.Key}' has no provenance");
            Assert.False(string.IsNullOrWhiteSpace(r.Publisher), $"resource '{r.Key}' has no publisher");
        });
    }

    [Fact]
    public void Only_the_tools_the_guide_lists_are_marked_as_from_the_guide()
    {
        var fromGuide = Shipped.Resources.Where(r => r.Provenance == Provenance.Guide).Select(r => r.Key);

        Assert.Equal(GuideListedResources.Order(StringComparer.Ordinal), fromGuide.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_section_has_a_progress_note()
    {
        Assert.All(Shipped.Framework.Sections, s => Assert.False(string.IsNullOrWhiteSpace(s.ProgressNote), $"section {s.Code} has no progress note"));
    }

    [Fact]
    public void Progress_notes_state_no_statewide_figure_without_a_source()
    {
        // Years, "under 21", the 2015 DHCS survey (7 of 22 plans answered) and the 7,400 DHCS projection have sources in
        // domain.md; no DHCS reporting figures, CCCC survey results or statewide enrollment counts were found.
        string[] sourced = ["21", "7", "22", "7,400"];
        foreach (var section in Shipped.Framework.Sections)
        {
            var unsourced = Figure().Matches(section.ProgressNote).Select(m => m.Value)
                .Where(n => !(n.Length == 4 && int.TryParse(n, out var year) && year is >= 2014 and <= 2026) && !sourced.Contains(n))
                .ToList();

            Assert.True(unsourced.Count == 0, $"section {section.Code}'s progress note states figure(s) {string.Join(", ", unsourced)} without a source");
            Assert.DoesNotContain("%", section.ProgressNote);
        }
    }

    [GeneratedRegex(@"\d[\d,.]*\d|\d")]
    private static partial Regex Figure();
}
