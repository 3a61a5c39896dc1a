using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Domain.Organizations;

public enum OrganizationKind
{
    ManagedCarePlan,
    PalliativeCareProvider,
    StatewideSupport,
}

/// <summary>Medi-Cal managed care models (a plan may run under different models in different counties).</summary>
public enum PlanModel
{
    None,
    Cohs,
    TwoPlan,
    Gmc,
    Regional,
    SinglePlan,
}

public static class PlanModelText
{
    public static string Describe(this PlanModel model) => model switch
    {
        PlanModel.Cohs => "COHS",
        PlanModel.TwoPlan => "Two-Plan",
        PlanModel.Gmc => "GMC",
        PlanModel.Regional => "Regional",
        PlanModel.SinglePlan => "Single Plan",
        _ => "—",
    };
}

public enum OrganizationRole
{
    Viewer,
    Contributor,
    Manager,
}

/// <summary>A managed care plan, a palliative care provider, or a statewide support organization.</summary>
public class Organization : Entity
{
    private readonly List<Membership> _memberships = [];

    private Organization() { Name = Counties = string.Empty; }

    public Organization(string name, OrganizationKind kind, string counties, PlanModel planModel = PlanModel.None, string? providerType = null, string? services = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        Counties = counties;
        PlanModel = kind == OrganizationKind.ManagedCarePlan ? planModel : PlanModel.None;
        ProviderType = providerType;
        Services = services;
    }

    public string Name { get; private set; }
    public OrganizationKind Kind { get; private set; }
    public PlanModel PlanModel { get; private set; }

    /// <summary>Comma-separated California counties served.</summary>
    public string Counties { get; private set; }
    public string? ProviderType { get; private set; }
    public string? Services { get; private set; }

    public IReadOnlyList<Membership> Memberships => _memberships;

    /// <summary>The audience this organization assesses as: plans assess plan sections, providers provider sections.</summary>
    public Audience? AssessesAs => Kind switch
    {
        OrganizationKind.ManagedCarePlan => Audience.Plan,
        OrganizationKind.PalliativeCareProvider => Audience.Provider,
        _ => null,
    };

    public Membership AddMember(string userId, OrganizationRole role)
    {
        if (_memberships.Any(m => m.UserId == userId))
        {
            throw new DomainException("This user already belongs to the organization.");
        }

        var membership = new Membership(userId, Id, role);
        _memberships.Add(membership);
        return membership;
    }
}

/// <summary>A user's role in one organization.</summary>
public class Membership : Entity
{
    private Membership() { UserId = string.Empty; }

    public Membership(string userId, Guid organizationId, OrganizationRole role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        UserId = userId;
        OrganizationId = organizationId;
        Role = role;
    }

    public string UserId { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Organization? Organization { get; private set; }
    public OrganizationRole Role { get; private set; }

    public bool CanEdit => Role is OrganizationRole.Manager or OrganizationRole.Contributor;
    public bool CanSubmit => Role == OrganizationRole.Manager;
}
