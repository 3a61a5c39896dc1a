using FluentValidation;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.ActionPlans;

/// <summary>A resource copied into an item; a retired one stays listed, marked retired.</summary>
public sealed record ItemResource(Guid Id, string Title, string Url, bool Retired);

/// <summary>What became of the item's element in the next cycle's assessment (null until there is one).</summary>
public sealed record ItemOutcome(string Cycle, Level Level, LevelChange Change);

public sealed record ActionItemView(
    Guid Id, Guid Version, Guid AssessmentId, string Cycle, string SectionCode, string ElementCode, string ElementTitle, ActionSource Source,
    IReadOnlyList<string> CriteriaCodes, string Title, string? OwnerId, string? OwnerName, DateOnly? DueDate, ActionStatus Status, string Notes,
    string Guidance, IReadOnlyList<ItemResource> Resources, Level LevelWhenPlanned, ItemOutcome? Outcome)
{
    public bool IsOverdue(DateOnly today) => ActionText.IsOverdue(Status, DueDate, today);
}

/// <summary>A member who can own an item.</summary>
public sealed record Member(string UserId, string Name);

/// <summary>An organization whose action plan the viewer can open.</summary>
public sealed record PlanOrganization(Guid Id, string Name);

public sealed record AssessmentChoice(Guid Id, string Cycle, AssessmentStatus Status);

/// <summary>An unmet enhancement of an element, and the item drafted from it if there is one.</summary>
public sealed record EnhancementGap(string Code, string Text, Guid? ItemId);

/// <summary>An element of the chosen assessment: below minimum (a gap) or with enhancements not yet met.</summary>
public sealed record ElementGap(
    string SectionCode, string Code, string Title, Level Level, IReadOnlyList<string> UnmetMinimum, Guid? GapItemId, IReadOnlyList<EnhancementGap> Enhancements)
{
    public bool IsGap => Level == Level.BelowMinimum;
}

/// <summary>The action plan of one organization, as the page shows it.</summary>
public sealed record ActionPlanView(
    PlanOrganization Organization,
    IReadOnlyList<PlanOrganization> Organizations,
    bool CanEdit,
    DateOnly Today,
    IReadOnlyList<ActionItemView> Items,
    IReadOnlyList<Member> Members,
    IReadOnlyList<AssessmentChoice> Assessments,
    AssessmentChoice? Source,
    IReadOnlyList<ElementGap> Gaps);

/// <summary>How far an assessment's action plan has come (the report shows it).</summary>
public sealed record PlanProgress(int Planned, int InProgress, int Done, int Dropped, int Overdue)
{
    public int Total => Planned + InProgress + Done + Dropped;
}

/// <summary>Items of the viewer's organizations that are overdue or due in the next days (the home page shows them).</summary>
public sealed record DueItem(Guid Id, string Organization, string ElementCode, string Title, DateOnly? DueDate, ActionStatus Status, string? OwnerName, bool Overdue);

/// <summary>The items drafted from one assessment and their progress (the report shows them).</summary>
public sealed record AssessmentPlan(PlanProgress Progress, IReadOnlyList<DueItem> Items);

/// <summary>Statewide: how many items are open for an element, in how many organizations (submitted assessments only).</summary>
public sealed record OpenItemsForElement(string SectionCode, string ElementCode, string ElementTitle, int OpenItems, int Organizations, int Overdue);

/// <summary>Draft items from an assessment: the gaps and enhancements named (their element or criterion codes), or every gap.</summary>
public sealed record DraftItemsCommand(Guid AssessmentId, IReadOnlyList<string> Keys, bool AllGaps = false);

/// <summary>Changes an item, against the version the page showed.</summary>
public sealed class SaveActionItemCommand
{
    public Guid Id { get; set; }
    public Guid ExpectedVersion { get; set; }
    public string Title { get; set; } = string.Empty;
    public string? OwnerId { get; set; }
    public DateTime? DueDate { get; set; }
    public ActionStatus Status { get; set; }
    public string Notes { get; set; } = string.Empty;
    public IReadOnlyList<Guid> ResourceIds { get; set; } = [];
}

public sealed class SaveActionItemValidator : AbstractValidator<SaveActionItemCommand>
{
    public SaveActionItemValidator()
    {
        RuleFor(c => c.Title).NotEmpty().WithMessage("Give the item a title.")
            .MaximumLength(Limits.Title).WithMessage($"The title can be at most {Limits.Title} characters.").PlainLine();
        RuleFor(c => c.Status).IsInEnum().WithMessage("Choose the item's status.");
        RuleFor(c => c.Notes).MaximumLength(Limits.LongText).WithMessage($"Notes can be at most {Limits.LongText} characters.").PlainText();
        RuleFor(c => c.ResourceIds).Must(r => r.Count <= ActionItem.MaxResources).WithMessage($"Keep at most {ActionItem.MaxResources} resources.");
        RuleFor(c => c.DueDate).PlausibleDate();
    }
}
