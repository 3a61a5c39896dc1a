using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Infrastructure.Access;

/// <summary>What the signed-in user may see and do: global roles and organization memberships.</summary>
public sealed record UserContext(
    string UserId,
    bool IsAdministrator,
    bool IsReviewer,
    IReadOnlyDictionary<Guid, OrganizationRole> Memberships)
{
    public static readonly UserContext Anonymous = new(string.Empty, false, false, new Dictionary<Guid, OrganizationRole>());

    public bool IsAuthenticated => UserId.Length > 0;

    /// <summary>Statewide reviewers (and administrators) read every organization's submitted work.</summary>
    public bool SeesSubmittedWork => IsReviewer || IsAdministrator;

    public OrganizationRole? RoleIn(Guid organizationId) =>
        Memberships.TryGetValue(organizationId, out var role) ? role : null;

    public bool CanEdit(Guid organizationId) => RoleIn(organizationId) is OrganizationRole.Manager or OrganizationRole.Contributor;

    public bool CanManage(Guid organizationId) => RoleIn(organizationId) is OrganizationRole.Manager;
}
