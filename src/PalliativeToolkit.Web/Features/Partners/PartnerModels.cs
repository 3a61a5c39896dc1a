using FluentValidation;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Web.Features.Admin;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Partners;

/// <summary>An organization the viewer may pick or read, by name.</summary>
public sealed record OrganizationChoice(Guid Id, string Name);

/// <summary>One of the viewer's plans: its counties, and whether the viewer manages its partners.</summary>
public sealed record PlanArea(Guid Id, string Name, IReadOnlyList<string> CountyFips, bool CanManage);

/// <summary>One partnership in a list, seen from either side.</summary>
public sealed record PartnerRow(
    Guid Id, Guid PlanId, string PlanName, Guid ProviderId, string ProviderName, PartnershipStatus Status, DateOnly StatusSince,
    IReadOnlyList<string> CountyFips, IReadOnlyList<CareService> Services, int? MonthlyReferralCapacity, DateOnly? ContractEnd)
{
    public string Counties => CaliforniaCounties.Describe(CountyFips);
}

/// <summary>
/// The partners page: a plan member's plans with their partnerships (and the providers a manager may add), and a
/// provider member's partnerships with plans.
/// </summary>
public sealed record PartnersView(
    IReadOnlyList<PlanArea> Plans,
    IReadOnlyList<PartnerRow> AsPlan,
    IReadOnlyList<OrganizationChoice> Providers,
    IReadOnlyList<PartnerRow> AsProvider);

public sealed record StatusEntry(PartnershipStatus Status, DateOnly EffectiveOn, DateTime RecordedAt, string RecordedBy);

/// <summary>One element of a shared readiness round: its level then, and in the previous shared cycle.</summary>
public sealed record ReadinessElement(string Code, string Title, Level Level, Level? Previous)
{
    public LevelChange Change => CycleChange.Of(Previous, Level, nowAssessed: true);
}

/// <summary>A provider's submitted round of one cycle that stands (its latest not taken back).</summary>
public sealed record StandingReadiness(Guid Id, Guid AssessmentId, string Cycle, int Round, DateTime SubmittedAt, Decision Decision);

/// <summary>A provider's latest submitted readiness (section B) that the plan may read, with the change since the previous cycle.</summary>
public sealed record SharedReadiness(Guid AssessmentId, string Cycle, int Round, DateTime SubmittedAt, Decision Decision, string? PreviousCycle, IReadOnlyList<ReadinessElement> Elements);

public sealed record PartnerDetail(
    PartnerRow Row,
    Guid Version,
    bool CanManage,
    bool ViewerIsProvider,
    DateOnly? ContractStart,
    IReadOnlyList<PartnerContact> Contacts,
    IReadOnlyList<StatusEntry> History,
    IReadOnlyList<string> PlanCountyFips,
    bool ReadinessShared,
    SharedReadiness? Readiness,
    IReadOnlyList<JointListItem> Joint,
    bool CanStartJoint);

/// <summary>A partnership saved; <see cref="InvitationNotSent"/> when the new provider's manager could not be emailed.</summary>
public sealed record PartnerSaved(Guid Id, bool InvitationNotSent = false);

/// <summary>A contact as typed in the form.</summary>
public sealed class ContactInput
{
    public PartnerSide Side { get; set; } = PartnerSide.Provider;
    public string Name { get; set; } = string.Empty;
    public string? Title { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }

    internal PartnerContact ToContact() => new(Side, Name, Title, Email, Phone);

    internal static ContactInput From(PartnerContact c) => new() { Side = c.Side, Name = c.Name, Title = c.Title, Email = c.Email, Phone = c.Phone };
}

/// <summary>
/// Adds a partnership (no <see cref="Id"/>) with an existing provider or a new one invited by name and its manager's
/// email, or changes one's terms (its id and the version the page showed).
/// </summary>
public sealed class SavePartnershipCommand
{
    public Guid? Id { get; set; }
    public Guid ExpectedVersion { get; set; }
    public Guid PlanOrganizationId { get; set; }

    /// <summary>Add: invite a provider that is not in the portal yet instead of picking one.</summary>
    public bool InviteNewProvider { get; set; }
    public Guid? ProviderOrganizationId { get; set; }
    public string NewProviderName { get; set; } = string.Empty;
    public string NewProviderManagerName { get; set; } = string.Empty;
    public string NewProviderManagerEmail { get; set; } = string.Empty;

    /// <summary>Add only: the status the partnership starts in, and since when.</summary>
    public PartnershipStatus Status { get; set; } = PartnershipStatus.Prospective;
    public DateTime? StatusSince { get; set; }

    public IReadOnlyCollection<string> CountyFips { get; set; } = [];
    public IReadOnlyCollection<CareService> Services { get; set; } = [];
    public DateTime? ContractStart { get; set; }
    public DateTime? ContractEnd { get; set; }
    public int? MonthlyReferralCapacity { get; set; }
    public List<ContactInput> Contacts { get; set; } = [];

    internal PartnershipTerms Terms() => new(
        CountyFips.Select(CaliforniaCounties.ByFips).OfType<CaliforniaCounty>().ToList(),
        Services.ToList(),
        DateOf(ContractStart),
        DateOf(ContractEnd),
        MonthlyReferralCapacity,
        Contacts.Select(c => c.ToContact()).ToList());

    internal static DateOnly? DateOf(DateTime? value) => value is { } v ? DateOnly.FromDateTime(v) : null;
}

public sealed class SavePartnershipValidator : AbstractValidator<SavePartnershipCommand>
{
    /// <summary>Text in the capacity field that is not a whole number (see WholeNumberField).</summary>
    public const string CapacityUnreadableMessage = "Enter the monthly referral capacity as a whole number, such as 12, or leave it empty.";

    public SavePartnershipValidator(TimeProvider time)
    {
        RuleFor(c => c.PlanOrganizationId).NotEmpty().WithMessage("Choose the plan.");
        When(c => c.Id is null && !c.InviteNewProvider, () =>
            RuleFor(c => c.ProviderOrganizationId).NotEmpty().WithMessage("Choose the provider, or invite a new one."));
        When(c => c.Id is null && c.InviteNewProvider, () =>
        {
            RuleFor(c => c.NewProviderName)
                .NotEmpty().WithMessage("Enter the provider organization's name.")
                .MaximumLength(Limits.Name).WithMessage($"The name can be at most {Limits.Name} characters.");
            RuleFor(c => c.NewProviderName).PlainLine();
            RuleFor(c => c.NewProviderManagerName).PersonName();
            RuleFor(c => c.NewProviderManagerEmail).PersonEmail();
        });
        When(c => c.Id is null, () =>
        {
            RuleFor(c => c.Status).IsInEnum().WithMessage("Choose a status.");
            RuleFor(c => c.StatusSince)
                .NotNull().WithMessage("Enter the date the status took effect.")
                .PlausibleDate()
                .Must(d => d is null || DateOnly.FromDateTime(d.Value) <= Today(time)).WithMessage("The status cannot take effect in the future; record it on the day it does.");
        });
        RuleFor(c => c.CountyFips)
            .NotEmpty().WithMessage("Choose the counties served under this partnership.")
            .Must(f => f.All(code => CaliforniaCounties.ByFips(code) is not null)).WithMessage("Choose counties from California's 58.");
        RuleFor(c => c.Services).Must(s => s.All(Enum.IsDefined)).WithMessage("Choose services from the list.");
        RuleFor(c => c.MonthlyReferralCapacity)
            .GreaterThanOrEqualTo(0).WithMessage("The monthly referral capacity is a whole number, 0 or more.")
            .LessThanOrEqualTo(100_000).WithMessage("The monthly referral capacity can be at most 100,000.");
        RuleFor(c => c.ContractStart).PlausibleDate();
        RuleFor(c => c.ContractEnd).PlausibleDate()
            .Must((c, end) => end is null || c.ContractStart is null || end.Value.Date >= c.ContractStart.Value.Date)
            .WithMessage("The contract's end date must be on or after its start date.");
        RuleFor(c => c.Contacts.Count).LessThanOrEqualTo(Limits.PartnerContacts)
            .OverridePropertyName(nameof(SavePartnershipCommand.Contacts))
            .WithMessage($"Keep at most {Limits.PartnerContacts} contacts.");
        RuleForEach(c => c.Contacts).ChildRules(contact =>
        {
            contact.RuleFor(x => x.Side).IsInEnum().WithMessage("Choose the side the contact works for.");
            contact.RuleFor(x => x.Name).PersonName();
            contact.RuleFor(x => x.Title).MaximumLength(Limits.Name).WithMessage($"The title can be at most {Limits.Name} characters.").PlainLine();
            contact.RuleFor(x => x.Email!)
                .MaximumLength(InviteUserValidator.EmailLength).WithMessage($"The email address can be at most {InviteUserValidator.EmailLength} characters.")
                .Must(InviteUserValidator.BeEmailAddress).WithMessage("Enter a valid email address, for example name@plan.org.")
                .When(x => !string.IsNullOrWhiteSpace(x.Email));
            contact.RuleFor(x => x.Phone)
                .MaximumLength(Limits.Phone).WithMessage($"The phone number can be at most {Limits.Phone} characters.")
                .Matches(@"^[0-9+().\-\s]*(?:(?:x|ext\.?)\s*[0-9]+)?$").WithMessage("Enter a phone number with digits, spaces, + ( ) - . and an optional extension (x123).")
                .When(x => !string.IsNullOrWhiteSpace(x.Phone));
        });
    }

    internal static DateOnly Today(TimeProvider time) => CaliforniaTime.Today(time);
}

/// <summary>A plan manager records the partnership's new status and the day it took effect.</summary>
public sealed class ChangePartnershipStatusCommand
{
    public Guid Id { get; set; }
    public Guid ExpectedVersion { get; set; }
    public PartnershipStatus Status { get; set; }
    public DateTime? EffectiveOn { get; set; }
}

public sealed class ChangePartnershipStatusValidator : AbstractValidator<ChangePartnershipStatusCommand>
{
    public ChangePartnershipStatusValidator(TimeProvider time)
    {
        RuleFor(c => c.Id).NotEmpty();
        RuleFor(c => c.Status).IsInEnum().WithMessage("Choose a status.");
        RuleFor(c => c.EffectiveOn)
            .NotNull().WithMessage("Enter the date the change took effect.")
            .PlausibleDate()
            .Must(d => d is null || DateOnly.FromDateTime(d.Value) <= SavePartnershipValidator.Today(time))
            .WithMessage("The change cannot take effect in the future; record it on the day it does.");
    }
}
