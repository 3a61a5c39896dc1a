using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Organizations;

/// <summary>What one organization may let another read.</summary>
public enum ShareKind
{
    /// <summary>A provider's submitted section-B readiness rounds, shared with a partner plan.</summary>
    SubmittedReadiness,
}

/// <summary>
/// A grant: "organization <see cref="GranteeOrganizationId"/> may read <see cref="OwnerOrganizationId"/>'s items of
/// kind <see cref="Kind"/>". Revocable; a revoked grant stays as history and grants nothing.
/// </summary>
public class ShareGrant : Entity, IAudited
{
    private ShareGrant() { GrantedBy = string.Empty; }

    private ShareGrant(Guid owner, Guid grantee, ShareKind kind, DateTime now, string userId)
    {
        OwnerOrganizationId = owner;
        GranteeOrganizationId = grantee;
        Kind = kind;
        GrantedAt = now;
        GrantedBy = userId;
    }

    public Guid OwnerOrganizationId { get; private set; }
    public Guid GranteeOrganizationId { get; private set; }
    public ShareKind Kind { get; private set; }
    public DateTime GrantedAt { get; private set; }
    public string GrantedBy { get; private set; }
    public DateTime? RevokedAt { get; private set; }
    public string? RevokedBy { get; private set; }

    public bool IsActive => RevokedAt is null;

    public static ShareGrant Grant(Organization owner, Organization grantee, ShareKind kind, DateTime now, string userId)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(grantee);
        if (owner.Id == grantee.Id)
        {
            throw new DomainException("An organization does not need to share with itself.");
        }

        if (kind == ShareKind.SubmittedReadiness
            && (owner.Kind != OrganizationKind.PalliativeCareProvider || grantee.Kind != OrganizationKind.ManagedCarePlan))
        {
            throw new DomainException("A palliative care provider shares its readiness with a managed care plan.");
        }

        return new ShareGrant(owner.Id, grantee.Id, kind, now, userId);
    }

    public void Revoke(DateTime now, string userId)
    {
        if (!IsActive)
        {
            throw new DomainException("This share was already revoked.");
        }

        RevokedAt = now;
        RevokedBy = userId;
    }
}

/// <summary>The one way features ask for a provider's standing share of its readiness with a plan.</summary>
public static class ShareGrantQueries
{
    /// <summary>The share of <paramref name="provider"/>'s submitted readiness with <paramref name="plan"/> that stands (not revoked).</summary>
    public static IQueryable<ShareGrant> StandingReadiness(this IQueryable<ShareGrant> grants, Guid provider, Guid plan) =>
        grants.Where(g => g.OwnerOrganizationId == provider && g.GranteeOrganizationId == plan && g.Kind == ShareKind.SubmittedReadiness && g.RevokedAt == null);
}
