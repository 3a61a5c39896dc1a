using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Infrastructure.Seeding;

/// <summary>
/// Clearly fictional demo organizations: none of these is a real plan or provider. Each plan's model and counties
/// agree with the Medi-Cal managed care models in force in 2026 (docs/domain.md §3.4 and §3.5): COHS counties for the
/// COHS plan, Regional-model counties for the Regional plan, Sacramento and San Diego for GMC, Alameda for Single Plan.
/// Providers serve counties of the plans they would partner with.
/// </summary>
public static class DemoData
{
    public const string EmailDomain = "demo.palliativetoolkit.org";

    public static IReadOnlyList<Organization> Plans() =>
    [
        new("Golden Poppy Health Plan (demo)", OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named("Sonoma", "Napa", "Solano"), PlanModel.Cohs),
        new("Sierra Vista Community Health (demo)", OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named("Amador", "Calaveras", "Tuolumne", "Mono", "Inyo"), PlanModel.Regional),
        new("Bayshore Family Health Alliance (demo)", OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named("Alameda"), PlanModel.SinglePlan),
        new("Central Coast Unity Health Plan (demo)", OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named("Sacramento", "San Diego"), PlanModel.Gmc),
    ];

    public static IReadOnlyList<Organization> Providers() =>
    [
        new("Redwood Grove Hospice & Palliative Care (demo)", OrganizationKind.PalliativeCareProvider, CaliforniaCounties.Named("Sonoma", "Napa"), providerType: "Hospice", services: "Home visits, 24/7 phone line, chaplaincy"),
        new("Valley Oak Home Health Palliative Program (demo)", OrganizationKind.PalliativeCareProvider, CaliforniaCounties.Named("Sacramento", "Amador", "Calaveras", "Tuolumne"), providerType: "Home health agency", services: "Home visits, telehealth"),
        new("Harborlight Community Palliative Group (demo)", OrganizationKind.PalliativeCareProvider, CaliforniaCounties.Named("Alameda", "Contra Costa"), providerType: "Community-based PC group", services: "Clinic and home visits, caregiver support"),
        new("Manzanita Supportive Care Partners (demo)", OrganizationKind.PalliativeCareProvider, CaliforniaCounties.Named("San Diego"), providerType: "Community-based PC group", services: "Home visits, bilingual team, bereavement"),
    ];

    public static Organization Statewide() =>
        new("Statewide Palliative Learning Network (demo)", OrganizationKind.StatewideSupport, []);
}
