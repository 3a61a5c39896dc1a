using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Infrastructure.Access;

/// <summary>
/// Who is acting in an operation and what they may see: global roles, organization memberships and the grants other
/// organizations made to theirs. The database's access filters and the audit trail both read the same viewer.
/// </summary>
public sealed class Viewer
{
    private readonly Dictionary<Guid, OrganizationRole> _memberships;
    private readonly HashSet<(Guid Owner, ShareKind Kind)> _grants;

    public Viewer(string userId, bool isAdministrator, bool isReviewer, IReadOnlyDictionary<Guid, OrganizationRole> memberships, IEnumerable<(Guid Owner, ShareKind Kind)>? grants = null)
        : this(userId, isAdministrator, isReviewer, memberships, grants, isSystem: false)
    {
    }

    private Viewer(string userId, bool isAdministrator, bool isReviewer, IReadOnlyDictionary<Guid, OrganizationRole> memberships, IEnumerable<(Guid Owner, ShareKind Kind)>? grants, bool isSystem)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(memberships);
        UserId = userId;
        IsAdministrator = isAdministrator;
        IsReviewer = isReviewer;
        IsSystem = isSystem;
        _memberships = new Dictionary<Guid, OrganizationRole>(memberships);
        _grants = [.. grants ?? []];
        OrganizationIds = [.. _memberships.Keys];
        ReadinessSharedWithMe = _grants.Where(g => g.Kind == ShareKind.SubmittedReadiness).Select(g => g.Owner).Distinct().ToList();
    }

    /// <summary>Nobody signed in (or a locked account): sees nothing and may do nothing. A context that was never given a viewer acts as this.</summary>
    public static Viewer Nobody { get; } = new(string.Empty, false, false, new Dictionary<Guid, OrganizationRole>());

    /// <summary>The portal itself (start-up seeding, migrations): sees everything; its changes are audited as "system".</summary>
    public static Viewer System { get; } = new(SystemUserId, false, false, new Dictionary<Guid, OrganizationRole>(), null, isSystem: true);

    public const string SystemUserId = "system";

    public string UserId { get; }

    /// <summary>The person's name as others see it (read with their account when the operation opened); empty for nobody and the portal.</summary>
    public string DisplayName { get; init; } = string.Empty;
    public bool IsAdministrator { get; }
    public bool IsReviewer { get; }
    public bool IsSystem { get; }
    public bool IsAuthenticated => UserId.Length > 0 && !IsSystem;

    public IReadOnlyDictionary<Guid, OrganizationRole> Memberships => _memberships;

    /// <summary>The organizations the viewer belongs to (a parameter of the access filters).</summary>
    public IReadOnlyList<Guid> OrganizationIds { get; }

    /// <summary>Organizations whose submitted readiness is shared with one of the viewer's organizations.</summary>
    public IReadOnlyList<Guid> ReadinessSharedWithMe { get; }

    /// <summary>
    /// Organizations in a partnership (of any status, ended included) with one of the viewer's organizations: the viewer
    /// sees their profile and the partnership, never their assessments unless a grant says so.
    /// </summary>
    public IReadOnlyList<Guid> PartnerOrganizationIds { get; init; } = [];

    /// <summary>Whether the viewer belongs to a managed care plan: plans pick their partners from every palliative care provider.</summary>
    public bool BelongsToAPlan { get; init; }

    /// <summary>Statewide reviewers (and administrators) read every organization's submitted rounds.</summary>
    public bool SeesSubmittedWork => May(Permission.ViewStatewide);

    public OrganizationRole? RoleIn(Guid organizationId) =>
        _memberships.TryGetValue(organizationId, out var role) ? role : null;

    /// <summary>Whether the viewer holds a global permission (through a global role).</summary>
    public bool May(Permission permission) =>
        !IsSystem && Permissions.GlobalRolesFor(permission).Any(role =>
            (role == Identity.GlobalRoles.Administrator && IsAdministrator) || (role == Identity.GlobalRoles.StatewideReviewer && IsReviewer));

    /// <summary>Whether the viewer may do this in the organization (through their role there).</summary>
    public bool May(OrganizationPermission permission, Guid organizationId) =>
        RoleIn(organizationId) is { } role && Permissions.Allows(role, permission);

    /// <summary>Whether one of the viewer's organizations was granted this kind of item of <paramref name="owner"/>.</summary>
    public bool WasGranted(Guid owner, ShareKind kind) => _grants.Contains((owner, kind));
}
