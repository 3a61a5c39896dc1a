using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Domain.Tests;

/// <summary>Small builders: a framework with a plan section, a provider section and a joint section.</summary>
internal static class Builders
{
    public static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static FrameworkVersion Framework()
    {
        var framework = new FrameworkVersion("test-1", "Test guide", new DateOnly(2026, 1, 1));
        var a = framework.AddSection("A", "Define the program", "", Audience.Plan, "");
        var a1 = a.AddElement("A1", "Eligibility", "", Provenance.Guide, "min", "enh");
        a1.AddCriterion("A1-M1", CriterionKind.Minimum, "Uses the APL criteria", Provenance.Guide, "APL 18-020");
        a1.AddCriterion("A1-M2", CriterionKind.Minimum, "Documents eligibility", Provenance.Provisional, null);
        a1.AddCriterion("A1-E1", CriterionKind.Enhancement, "Expands eligibility", Provenance.Guide, null);
        var a2 = a.AddElement("A2", "Providers", "", Provenance.Provisional, "min", "enh");
        a2.AddCriterion("A2-M1", CriterionKind.Minimum, "Licensed provider", Provenance.Provisional, null);
        a2.AddCriterion("A2-E1", CriterionKind.Enhancement, "Certified team", Provenance.Provisional, null);
        var b = framework.AddSection("B", "Provider readiness", "", Audience.Provider, "");
        b.AddElement("B1", "Leadership", "", Provenance.Provisional, "min", "enh")
            .AddCriterion("B1-M1", CriterionKind.Minimum, "Named lead", Provenance.Provisional, null);
        var e = framework.AddSection("E", "Partnership", "", Audience.Joint, "");
        e.AddElement("E1", "Governance", "", Provenance.Provisional, "min", "enh")
            .AddCriterion("E1-M1", CriterionKind.Minimum, "Named contacts", Provenance.Provisional, null);
        return framework;
    }

    public static Organization Plan(string name = "Test Plan") => new(name, OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named("Alameda"), PlanModel.SinglePlan);

    public static Organization Provider() => new("Test Provider", OrganizationKind.PalliativeCareProvider, CaliforniaCounties.Named("Alameda"), providerType: "Hospice");
}
