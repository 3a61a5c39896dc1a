using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Organizations;

/// <summary>Where a plan and a palliative care provider stand with each other.</summary>
public enum PartnershipStatus
{
    Prospective,
    Contracting,
    Active,
    Ended,
}

/// <summary>What a provider offers the plan's members under a partnership.</summary>
public enum CareService
{
    HomeVisits,
    Telehealth,
    PhoneLine247,
    ClinicVisits,
    Chaplaincy,
    SocialWork,
    AdvanceCarePlanning,
    CaregiverSupport,
    Bereavement,
    InterpreterServices,
}

/// <summary>Which organization of a partnership a contact works for.</summary>
public enum PartnerSide
{
    Plan,
    Provider,
}

public static class PartnershipText
{
    public static string Describe(this PartnershipStatus status) => status switch
    {
        PartnershipStatus.Prospective => "Prospective",
        PartnershipStatus.Contracting => "Contracting",
        PartnershipStatus.Active => "Active",
        PartnershipStatus.Ended => "Ended",
        _ => status.ToString(),
    };

    public static string Describe(this CareService service) => service switch
    {
        CareService.HomeVisits => "Home visits",
        CareService.Telehealth => "Telehealth",
        CareService.PhoneLine247 => "24/7 phone line",
        CareService.ClinicVisits => "Clinic visits",
        CareService.Chaplaincy => "Chaplaincy",
        CareService.SocialWork => "Social work",
        CareService.AdvanceCarePlanning => "Advance care planning",
        CareService.CaregiverSupport => "Caregiver support",
        CareService.Bereavement => "Bereavement support",
        CareService.InterpreterServices => "Interpreter services",
        _ => service.ToString(),
    };

    public static string Describe(this PartnerSide side) => side == PartnerSide.Plan ? "Plan" : "Provider";
}

/// <summary>A named person either side of a partnership calls about it.</summary>
public sealed record PartnerContact(PartnerSide Side, string Name, string? Title, string? Email, string? Phone);

/// <summary>The terms a partnership is kept under: everything but its status, which changes through <see cref="Partnership.ChangeStatus"/>.</summary>
public sealed record PartnershipTerms(
    IReadOnlyCollection<CaliforniaCounty> Counties,
    IReadOnlyCollection<CareService> Services,
    DateOnly? ContractStart,
    DateOnly? ContractEnd,
    int? MonthlyReferralCapacity,
    IReadOnlyList<PartnerContact> Contacts);

/// <summary>
/// A managed care plan's partnership with a palliative care provider: its status (with the date of every change), the
/// counties and services it covers, the contract's dates, the monthly referral capacity, and contacts on both sides.
/// One per plan and provider; an ended partnership is kept, with its history, and can be taken up again.
/// </summary>
public class Partnership : Entity, IAudited
{
    private readonly List<PartnershipStatusChange> _history = [];
    private readonly List<PartnershipContact> _contacts = [];

    private Partnership() { CreatedBy = string.Empty; }

    private Partnership(Organization plan, Organization provider, DateTime now, string userId)
    {
        PlanOrganizationId = plan.Id;
        ProviderOrganizationId = provider.Id;
        CreatedAt = now;
        CreatedBy = userId;
    }

    public Guid PlanOrganizationId { get; private set; }
    public Organization? Plan { get; private set; }
    public Guid ProviderOrganizationId { get; private set; }
    public Organization? Provider { get; private set; }
    public PartnershipStatus Status { get; private set; }

    /// <summary>The day the current status took effect.</summary>
    public DateOnly StatusSince { get; private set; }

    /// <summary>The counties served under this partnership (FIPS codes, in order): some of the plan's 58, never free text.</summary>
    public IReadOnlyList<string> CountyFips { get; private set; } = [];

    public IReadOnlyList<CaliforniaCounty> Counties => CountyFips.Select(f => CaliforniaCounties.ByFips(f)!).ToList();
    public IReadOnlyList<CareService> Services { get; private set; } = [];
    public DateOnly? ContractStart { get; private set; }
    public DateOnly? ContractEnd { get; private set; }
    public int? MonthlyReferralCapacity { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; }

    /// <summary>Every status the partnership has had, oldest first (the last is the current one).</summary>
    public IReadOnlyList<PartnershipStatusChange> History => _history;

    public IReadOnlyList<PartnershipContact> Contacts => _contacts;

    public bool IsActive => Status == PartnershipStatus.Active;

    /// <summary>Starts a partnership between a plan and a provider, in <paramref name="status"/> since <paramref name="since"/>.</summary>
    public static Partnership Start(Organization plan, Organization provider, PartnershipStatus status, DateOnly since, PartnershipTerms terms, DateTime now, string userId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(provider);
        if (plan.Kind != OrganizationKind.ManagedCarePlan)
        {
            throw new DomainException($"{plan.Name} is not a managed care plan.");
        }

        if (provider.Kind != OrganizationKind.PalliativeCareProvider)
        {
            throw new DomainException($"{provider.Name} is not a palliative care provider.");
        }

        var partnership = new Partnership(plan, provider, now, userId);
        partnership.Revise(terms);
        partnership.Record(status, since, now, userId);
        return partnership;
    }

    /// <summary>Changes the terms (counties, services, contract, capacity, contacts). The status keeps its own history.</summary>
    public void Revise(PartnershipTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(terms.Counties);
        ArgumentNullException.ThrowIfNull(terms.Services);
        ArgumentNullException.ThrowIfNull(terms.Contacts);
        if (terms.ContractStart is { } start && terms.ContractEnd is { } end && end < start)
        {
            throw new DomainException("The contract cannot end before it starts.");
        }

        if (terms.MonthlyReferralCapacity < 0)
        {
            throw new DomainException("The monthly referral capacity cannot be negative.");
        }

        if (terms.Services.Any(s => !Enum.IsDefined(s)))
        {
            throw new DomainException("Choose services from the list.");
        }

        CountyFips = terms.Counties
            .Select(c => CaliforniaCounties.ByFips(c?.Fips) ?? throw new DomainException($"{c?.Name ?? "That"} is not a California county."))
            .Select(c => c.Fips).Distinct().Order(StringComparer.Ordinal).ToList();
        Services = terms.Services.Distinct().Order().ToList();
        ContractStart = terms.ContractStart;
        ContractEnd = terms.ContractEnd;
        MonthlyReferralCapacity = terms.MonthlyReferralCapacity;

        _contacts.Clear();
        foreach (var contact in terms.Contacts)
        {
            _contacts.Add(new PartnershipContact(this, contact, _contacts.Count + 1));
        }

        Touch();
    }

    /// <summary>
    /// Moves the partnership to <paramref name="status"/>, effective on <paramref name="since"/> (not before the current
    /// status took effect). The earlier statuses stay in <see cref="History"/>.
    /// </summary>
    public void ChangeStatus(PartnershipStatus status, DateOnly since, DateTime now, string userId)
    {
        if (!Enum.IsDefined(status))
        {
            throw new DomainException("Choose a status.");
        }

        if (status == Status)
        {
            throw new DomainException($"The partnership is already {status.Describe().ToLowerInvariant()}.");
        }

        if (since < StatusSince)
        {
            throw new DomainException($"The change cannot take effect before the current status did ({StatusSince:yyyy-MM-dd}).");
        }

        Record(status, since, now, userId);
    }

    private void Record(PartnershipStatus status, DateOnly since, DateTime now, string userId)
    {
        Status = status;
        StatusSince = since;
        _history.Add(new PartnershipStatusChange(this, status, since, now, userId));
        Touch();
    }
}

/// <summary>One status of a partnership, the day it took effect, and who recorded it when.</summary>
public class PartnershipStatusChange : Entity, IAudited
{
    private PartnershipStatusChange() { RecordedBy = string.Empty; }

    internal PartnershipStatusChange(Partnership partnership, PartnershipStatus status, DateOnly effectiveOn, DateTime recordedAt, string recordedBy)
    {
        PartnershipId = partnership.Id;
        PlanOrganizationId = partnership.PlanOrganizationId;
        ProviderOrganizationId = partnership.ProviderOrganizationId;
        Status = status;
        EffectiveOn = effectiveOn;
        RecordedAt = recordedAt;
        RecordedBy = recordedBy;
    }

    public Guid PartnershipId { get; private set; }
    public Guid PlanOrganizationId { get; private set; }
    public Guid ProviderOrganizationId { get; private set; }
    public PartnershipStatus Status { get; private set; }
    public DateOnly EffectiveOn { get; private set; }
    public DateTime RecordedAt { get; private set; }
    public string RecordedBy { get; private set; }
}

/// <summary>A contact of a partnership, as stored.</summary>
public class PartnershipContact : Entity, IAudited
{
    private PartnershipContact() { Name = string.Empty; }

    internal PartnershipContact(Partnership partnership, PartnerContact contact, int order)
    {
        ArgumentNullException.ThrowIfNull(contact);
        if (string.IsNullOrWhiteSpace(contact.Name))
        {
            throw new DomainException("A contact needs a name.");
        }

        if (!Enum.IsDefined(contact.Side))
        {
            throw new DomainException("Choose the side the contact works for.");
        }

        PartnershipId = partnership.Id;
        PlanOrganizationId = partnership.PlanOrganizationId;
        ProviderOrganizationId = partnership.ProviderOrganizationId;
        Side = contact.Side;
        Name = contact.Name.Trim();
        Title = Blank(contact.Title);
        Email = Blank(contact.Email);
        Phone = Blank(contact.Phone);
        Order = order;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public Guid PartnershipId { get; private set; }
    public Guid PlanOrganizationId { get; private set; }
    public Guid ProviderOrganizationId { get; private set; }
    public PartnerSide Side { get; private set; }
    public string Name { get; private set; }
    public string? Title { get; private set; }
    public string? Email { get; private set; }
    public string? Phone { get; private set; }
    public int Order { get; private set; }

    public PartnerContact ToContact() => new(Side, Name, Title, Email, Phone);
}
