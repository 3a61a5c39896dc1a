using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Web.Features.Admin;

public sealed record AdminOrganization(
    Guid Id,
    string Name,
    OrganizationKind Kind,
    PlanModel PlanModel,
    IReadOnlyList<string> CountyFips,
    string? ProviderType,
    string? Services,
    int MemberCount,
    Guid Version);

public static class AdminOrganizationText
{
    /// <summary>The counties served as people read them ("Napa, Solano, Sonoma").</summary>
    public static string CountyNames(this AdminOrganization organization) =>
        CaliforniaCounties.Describe(organization.CountyFips);
}

public sealed record AdminMembership(Guid OrganizationId, string OrganizationName, OrganizationRole Role, Guid Version);

public enum AccountState
{
    /// <summary>Invited: no password chosen yet.</summary>
    Invited,
    Active,
    Locked,
}

public sealed record AdminUser(
    string Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> GlobalRoles,
    IReadOnlyList<AdminMembership> Memberships,
    AccountState State,
    bool HasSecondFactor);

public sealed record AdminOverview(IReadOnlyList<AdminOrganization> Organizations, IReadOnlyList<AdminUser> Users);

public static class OrganizationKindText
{
    public static string Describe(this OrganizationKind kind) => kind switch
    {
        OrganizationKind.ManagedCarePlan => "Managed care plan",
        OrganizationKind.PalliativeCareProvider => "Palliative care provider",
        _ => "Statewide support",
    };
}

public static class AccountStateText
{
    public static string Describe(this AccountState state) => state switch
    {
        AccountState.Invited => "Invited",
        AccountState.Locked => "Locked",
        _ => "Active",
    };
}
