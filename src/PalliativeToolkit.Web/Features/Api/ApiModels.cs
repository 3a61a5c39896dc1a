using System.ComponentModel;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Web.Features.Api;

/// <summary>One page of a list: its items, where it is, how many there are in all, and the address of the next page.</summary>
public sealed record ApiPage<T>(
    IReadOnlyList<T> Items,
    [property: Description("The page's number, from 1.")] int Page,
    [property: Description("How many items a page holds at most.")] int PageSize,
    [property: Description("How many items there are in all, over every page.")] int Total,
    [property: Description("The address of the next page, with the same filters; null on the last page.")] string? Next);

/// <summary>Where a list starts and how long it is: page from 1, at most <see cref="MaxPageSize"/> items a page.</summary>
public readonly record struct Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 100_000;

    public int Skip => (Page - 1) * PageSize;
}

/// <summary>A California county, by its FIPS code and name.</summary>
public sealed record ApiCounty(string Fips, string Name);

/// <summary>A reporting cycle with at least one submitted round that stands, and how many organizations of each kind submitted for it.</summary>
public sealed record ApiCycle(
    [property: Description("The cycle as the portal writes it: a year such as 2026, or a fiscal year such as FY 2026-27.")] string Cycle,
    [property: Description("The cycle's first day; null for a label stored before the portal checked cycles.")] DateOnly? Starts,
    [property: Description("The cycle's last day; null for a label stored before the portal checked cycles.")] DateOnly? Ends,
    [property: Description("Managed care plans with a submitted round for the cycle.")] int Plans,
    [property: Description("Palliative care providers with a submitted readiness round for the cycle.")] int Providers);

public sealed record ApiOrganization(Guid Id, string Name, OrganizationKind Kind,
    [property: Description("The plan's Medi-Cal managed care model; null for organizations that are not plans.")] PlanModel? PlanModel,
    IReadOnlyList<ApiCounty> Counties,
    [property: Description("A provider's kind (hospice, clinic…); null for others.")] string? ProviderType);

/// <summary>An element of a submitted round and its level, derived with the guide's scoring from the round's frozen answers.</summary>
public sealed record ApiElementLevel(string Section, string Code, string Title, Level Level);

/// <summary>A roll-up of elements: how many, how many assessed, at minimum or above, at enhancement.</summary>
public sealed record ApiProgress(int Elements, int Assessed, int AtMinimum, int AtEnhancement);

/// <summary>An organization's latest submitted round of one cycle (a withdrawn round does not count), with its elements' levels.</summary>
public sealed record ApiAssessment(
    Guid AssessmentId,
    Guid OrganizationId,
    string Organization,
    OrganizationKind Kind,
    PlanModel? PlanModel,
    IReadOnlyList<string> CountyFips,
    string Cycle,
    [property: Description("The round's number: 1 for the first submission, 2 after a return and a new submission, and so on.")] int Round,
    DateTime SubmittedAt,
    [property: Description("The reviewers' decision on the round: Pending, Returned or Accepted.")] Decision Decision,
    DateTime? DecidedAt,
    ApiProgress Progress,
    IReadOnlyList<ApiElementLevel> Elements);

/// <summary>A partnership between a plan and a palliative care provider (its contacts are left out).</summary>
public sealed record ApiPartnership(
    Guid Id,
    Guid PlanId,
    string Plan,
    Guid ProviderId,
    string Provider,
    PartnershipStatus Status,
    DateOnly StatusSince,
    IReadOnlyList<string> CountyFips,
    IReadOnlyList<CareService> Services,
    DateOnly? ContractStart,
    DateOnly? ContractEnd,
    int? MonthlyReferralCapacity);

/// <summary>How many action items an organization has for one of its submitted assessments, by status.</summary>
public sealed record ApiActionItemCounts(
    Guid OrganizationId,
    string Organization,
    Guid AssessmentId,
    string Cycle,
    int Planned,
    int InProgress,
    int Done,
    int Dropped,
    [property: Description("Planned or in progress, and due before today (California's date).")] int Overdue,
    int Total);

/// <summary>Which organizations a list covers (each filter optional).</summary>
public sealed record ApiOrganizationFilter(OrganizationKind? Kind = null, PlanModel? PlanModel = null, string? CountyFips = null, Guid? OrganizationId = null);

/// <summary>Which partnerships a list covers (each filter optional).</summary>
public sealed record ApiPartnershipFilter(PartnershipStatus? Status = null, string? CountyFips = null, Guid? PlanId = null, Guid? ProviderId = null);
