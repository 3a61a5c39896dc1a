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
public class Organization : Entity, IAudited
{
    private readonly List<Membership> _memberships = [];

    private Organization() { Name = NormalizedName = string.Empty; }

    public Organization(string name, OrganizationKind kind, IEnumerable<CaliforniaCounty> counties, PlanModel planModel = PlanModel.None, string? providerType = null, string? services = null)
    {
        Kind = kind;
        Name = NormalizedName = string.Empty;
        Update(name, counties, planModel, providerType, services);
    }

    /// <summary>Changes the profile. The kind stays: it decides which sections the organization assesses.</summary>
    public void Update(string name, IEnumerable<CaliforniaCounty> counties, PlanModel planModel, string? providerType, string? services)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(counties);
        Name = name.Trim();
        NormalizedName = NormalizeName(name);
        CountyFips = CodesOf(counties);
        PlanModel = Kind == OrganizationKind.ManagedCarePlan ? planModel : PlanModel.None;
        ProviderType = Kind == OrganizationKind.PalliativeCareProvider ? Blank(providerType) : null;
        Services = Kind == OrganizationKind.PalliativeCareProvider ? Blank(services) : null;
    }

    /// <summary>
    /// The form names are compared in: trimmed and upper-cased (invariant), so "Acme" and " ACME" are the same name on
    /// every database, whatever its collation. A unique index on <see cref="NormalizedName"/> enforces it.
    /// </summary>
    public static string NormalizeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public string Name { get; private set; }

    /// <summary><see cref="Name"/> as compared for uniqueness (<see cref="NormalizeName"/>), kept in step with it.</summary>
    public string NormalizedName { get; private set; }
    public OrganizationKind Kind { get; private set; }
    public PlanModel PlanModel { get; private set; }

    /// <summary>The California counties served, as their FIPS codes (in order): always some of the 58, never free text.</summary>
    public IReadOnlyList<string> CountyFips { get; private set; } = [];

    /// <summary>The counties served.</summary>
    public IReadOnlyList<CaliforniaCounty> Counties => CountyFips.Select(f => CaliforniaCounties.ByFips(f)!).ToList();

    /// <summary>
    /// What was typed as counties before they were reference data, until <see cref="AdoptLegacyCounties"/> turns it into
    /// counties (a database from before the change); empty after.
    /// </summary>
    public string? LegacyCounties { get; private set; }

    /// <summary>Turns the counties once typed as text into counties of the 58, and answers the names that are none (kept out).</summary>
    public IReadOnlyList<string> AdoptLegacyCounties()
    {
        if (string.IsNullOrWhiteSpace(LegacyCounties))
        {
            LegacyCounties = null;
            return [];
        }

        var names = LegacyCounties.Split([',', ';', '/', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var found = names.Select(CaliforniaCounties.ByName).OfType<CaliforniaCounty>();
        CountyFips = CodesOf(Counties.Concat(found));
        LegacyCounties = null;
        return names.Where(n => CaliforniaCounties.ByName(n) is null && !n.Equals("Statewide", StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static List<string> CodesOf(IEnumerable<CaliforniaCounty> counties) =>
        counties.Select(c => CaliforniaCounties.ByFips(c?.Fips) ?? throw new DomainException($"{c?.Name ?? "That"} is not a California county."))
            .Select(c => c.Fips).Distinct().Order(StringComparer.Ordinal).ToList();
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

    /// <summary>Gives the user this role here: adds the membership, or changes the role of the existing one.</summary>
    public Membership SetMember(string userId, OrganizationRole role)
    {
        var existing = _memberships.FirstOrDefault(m => m.UserId == userId);
        if (existing is null)
        {
            return AddMember(userId, role);
        }

        existing.ChangeRole(role);
        return existing;
    }

    public void RemoveMember(string userId)
    {
        var existing = _memberships.FirstOrDefault(m => m.UserId == userId)
            ?? throw new DomainException("This user does not belong to the organization.");
        _memberships.Remove(existing);
    }
}

/// <summary>A user's role in one organization.</summary>
public class Membership : Entity, IAudited, IOrganizationOwned
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

    internal void ChangeRole(OrganizationRole role) => Role = role;
}
