using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.ActionPlans;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Features.ActionPlans;

/// <summary>
/// Action plans: items drafted from an assessment's gaps (and the enhancements an organization chooses), owned by its
/// members, with due dates and a status. Members read their organization's plan and contributors and managers change it;
/// statewide reviewers read the items of assessments that were submitted, and where plans are working statewide.
/// </summary>
public sealed class ActionPlanService(OperationRunner operations, FrameworkCatalog catalog, Notifier notifier, TimeProvider time)
{
    private const string NotFound = "That action plan does not exist, or you do not have access to it.";
    private const string OnlyEditors = "Only the organization's managers and contributors change its action plan.";
    private readonly SaveActionItemValidator _validator = new();

    /// <summary>The action plan of one organization (the viewer's first when none is named), with the gaps of one of its assessments.</summary>
    public Task<Outcome<ActionPlanView>> GetAsync(ClaimsPrincipal principal, Guid? organizationId = null, Guid? assessmentId = null, Guid? itemId = null, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ActionPlanView>(principal, async op =>
        {
            if (organizationId is null && itemId is not null)
            {
                // A link to an item (a notification, the home page) opens its organization's plan.
                organizationId = await op.Db.ActionItems.AsNoTracking().Where(i => i.Id == itemId).Select(i => (Guid?)i.OrganizationId).SingleOrDefaultAsync(op.Cancellation);
            }

            var organizations = await OrganizationsAsync(op);
            var organization = organizationId is { } wanted ? organizations.FirstOrDefault(o => o.Id == wanted) : organizations.FirstOrDefault();
            if (organization is null)
            {
                return organizationId is null && organizations.Count == 0
                    ? Failure.Refuse("Action plans belong to managed care plans and palliative care providers: you are not a member of one.")
                    : Failure.Missing(NotFound);
            }

            var member = op.Viewer.RoleIn(organization.Id) is not null;
            var today = CaliforniaTime.Today(time);
            var assessments = await op.Db.Assessments.AsNoTracking().Where(a => a.OrganizationId == organization.Id && (member || a.Round > 0))
                .Select(a => new AssessmentChoice(a.Id, a.Cycle, a.Status)).ToListAsync(op.Cancellation);
            assessments = [.. assessments.OrderByDescending(a => ReportingCycle.Of(a.Cycle))];
            var items = await ItemsAsync(op, organization.Id);
            var members = await (from m in op.Db.Memberships
                                 join u in op.Db.Users on m.UserId equals u.Id
                                 where m.OrganizationId == organization.Id
                                 orderby u.DisplayName
                                 select new Member(u.Id, u.DisplayName)).AsNoTracking().ToListAsync(op.Cancellation);

            var source = member ? assessments.FirstOrDefault(a => a.Id == assessmentId) ?? assessments.FirstOrDefault() : null;
            var gaps = source is null ? [] : await GapsAsync(op, source.Id, items);
            return new ActionPlanView(organization, organizations, op.Viewer.May(OrganizationPermission.EditAssessments, organization.Id), today,
                items, member ? members : [], assessments, source, gaps);
        }, cancellationToken);

    /// <summary>One item as it is now (after a conflict, to show the other person's version).</summary>
    public Task<Outcome<ActionItemView>> GetItemAsync(ClaimsPrincipal principal, Guid itemId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ActionItemView>(principal, async op =>
        {
            var organizationId = await op.Db.ActionItems.AsNoTracking().Where(i => i.Id == itemId).Select(i => (Guid?)i.OrganizationId).SingleOrDefaultAsync(op.Cancellation);
            if (organizationId is null)
            {
                return Failure.Missing(NotFound);
            }

            return (await ItemsAsync(op, organizationId.Value, itemId)).Single();
        }, cancellationToken);

    /// <summary>Members: their organizations that assess. Reviewers also: every organization that has submitted an assessment.</summary>
    private static async Task<List<PlanOrganization>> OrganizationsAsync(Operation op)
    {
        var own = op.Viewer.OrganizationIds;
        var mine = await op.Db.Organizations.AsNoTracking().Where(o => own.Contains(o.Id))
            .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name, o.Kind }).ToListAsync(op.Cancellation);
        var result = mine.Where(o => o.Kind is Domain.Organizations.OrganizationKind.ManagedCarePlan or Domain.Organizations.OrganizationKind.PalliativeCareProvider)
            .Select(o => new PlanOrganization(o.Id, o.Name)).ToList();
        if (op.Viewer.SeesSubmittedWork)
        {
            var submitted = await op.Db.Organizations.AsNoTracking()
                .Where(o => !own.Contains(o.Id) && op.Db.Assessments.Any(a => a.OrganizationId == o.Id && a.Round > 0))
                .OrderBy(o => o.Name).Select(o => new PlanOrganization(o.Id, o.Name)).ToListAsync(op.Cancellation);
            result.AddRange(submitted);
        }

        return result;
    }

    /// <summary>The organization's items as pages show them (only <paramref name="itemId"/> when it is given).</summary>
    private async Task<List<ActionItemView>> ItemsAsync(Operation op, Guid organizationId, Guid? itemId = null)
    {
        var items = await op.Db.ActionItems.AsNoTracking().Where(i => i.OrganizationId == organizationId && (itemId == null || i.Id == itemId)).ToListAsync(op.Cancellation);
        if (items.Count == 0)
        {
            return [];
        }

        var ownerIds = items.Where(i => i.OwnerId != null).Select(i => i.OwnerId!).Distinct().ToList();
        var owners = await op.Db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, op.Cancellation);
        var resourceIds = items.SelectMany(i => i.ResourceIds).Distinct().ToList();
        var resources = await op.Db.LibraryResources.AsNoTracking().Where(r => resourceIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => new ItemResource(r.Id, r.Title, Resources.ResourceCard.AddressOf(r.Id, r.Url, r.FileKey), r.RetiredAt != null), op.Cancellation);
        var elementIds = items.Select(i => i.ElementId).Distinct().ToList();
        var titles = await op.Db.Elements.AsNoTracking().Where(e => elementIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Title, op.Cancellation);
        var outcomes = await OutcomesAsync(op, organizationId, items);
        return items
            .OrderBy(i => i.SectionCode, StringComparer.Ordinal).ThenBy(i => i.ElementCode, StringComparer.Ordinal).ThenBy(i => i.Source).ThenBy(i => i.SourceKey, StringComparer.Ordinal)
            .Select(i => new ActionItemView(i.Id, i.Version, i.AssessmentId, i.Cycle, i.SectionCode, i.ElementCode, titles.GetValueOrDefault(i.ElementId, i.ElementCode), i.Source,
                i.CriteriaCodes, i.Title, i.OwnerId, i.OwnerId is null ? null : owners.GetValueOrDefault(i.OwnerId, "a former member"), i.DueDate, i.Status, i.Notes, i.Guidance,
                i.ResourceIds.Where(resources.ContainsKey).Select(id => resources[id]).ToList(), i.LevelWhenPlanned, outcomes.GetValueOrDefault(i.Id)))
            .ToList();
    }

    /// <summary>
    /// For each item, its element's level in the organization's first assessment of a later cycle: the working answers for
    /// members, the latest submitted round for reviewers.
    /// </summary>
    private static async Task<Dictionary<Guid, ItemOutcome>> OutcomesAsync(Operation op, Guid organizationId, IReadOnlyList<ActionItem> items)
    {
        var member = op.Viewer.RoleIn(organizationId) is not null;
        var assessments = (await op.Db.Assessments.AsNoTracking().Where(a => a.OrganizationId == organizationId && (member || a.Round > 0))
            .Select(a => new { a.Id, a.Cycle, a.Round }).ToListAsync(op.Cancellation))
            .OrderBy(a => ReportingCycle.Of(a.Cycle)).ToList();
        var result = new Dictionary<Guid, ItemOutcome>();
        foreach (var group in items.GroupBy(i => i.Cycle))
        {
            var cycle = ReportingCycle.Of(group.Key);
            var next = assessments.FirstOrDefault(a => ReportingCycle.Of(a.Cycle) > cycle);
            if (next is null)
            {
                continue;
            }

            var codes = group.Select(i => i.ElementCode).Distinct().ToList();
            var levels = member ? await WorkingLevelsAsync(op, next.Id, codes) : await SubmittedLevelsAsync(op, next.Id, next.Round, codes);
            foreach (var item in group)
            {
                if (levels.TryGetValue(item.ElementCode, out var now))
                {
                    result[item.Id] = new ItemOutcome(next.Cycle, now.Level, CycleChange.Of(item.LevelWhenPlanned, now.Level, now.Assessed));
                }
            }
        }

        return result;
    }

    private static async Task<Dictionary<string, (Level Level, bool Assessed)>> WorkingLevelsAsync(Operation op, Guid assessmentId, IReadOnlyList<string> codes)
    {
        var elements = await op.Db.ElementResponses.AsNoTracking().Include(e => e.Criteria).Include(e => e.Element)
            .Where(e => e.AssessmentId == assessmentId && codes.Contains(e.Element!.Code)).ToListAsync(op.Cancellation);
        return elements.ToDictionary(e => e.Element!.Code, e => (e.Level, e.IsAssessed));
    }

    private static async Task<Dictionary<string, (Level Level, bool Assessed)>> SubmittedLevelsAsync(Operation op, Guid assessmentId, int round, IReadOnlyList<string> codes)
    {
        var rows = await (from s in op.Db.SubmittedElements.Include(s => s.Answers)
                          join sub in op.Db.Submissions on s.SubmissionId equals sub.Id
                          join e in op.Db.Elements on s.ElementId equals e.Id
                          where sub.AssessmentId == assessmentId && sub.Round == round && codes.Contains(e.Code)
                          select new { e.Code, Element = s }).AsNoTracking().ToListAsync(op.Cancellation);
        return rows.ToDictionary(r => r.Code, r => (r.Element.Level, Scoring.IsAssessed(r.Element.Answers.Select(a => (a.Kind, a.Answer)).ToList())));
    }

    /// <summary>The chosen assessment's elements below minimum or with enhancements not yet met, and the items already drafted from them.</summary>
    private async Task<List<ElementGap>> GapsAsync(Operation op, Guid assessmentId, IReadOnlyList<ActionItemView> items)
    {
        var assessment = await op.Db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId).Select(a => new { a.FrameworkVersionId }).SingleAsync(op.Cancellation);
        var framework = await catalog.GetAsync(op, assessment.FrameworkVersionId);
        var elements = await op.Db.ElementResponses.AsNoTracking().Include(e => e.Criteria).Where(e => e.AssessmentId == assessmentId).ToListAsync(op.Cancellation);
        var drafted = items.Where(i => i.AssessmentId == assessmentId).ToList();
        var gaps = new List<ElementGap>();
        foreach (var element in elements)
        {
            if (framework.ElementsById.GetValueOrDefault(element.ElementId) is not { } definition)
            {
                continue;
            }

            var answers = element.Criteria.ToDictionary(c => c.CriterionId, c => c.Answer);
            var unmet = definition.Criteria.Where(c => c.Kind == CriterionKind.Minimum && answers.GetValueOrDefault(c.Id) != Answer.Met).Select(c => c.Code).ToList();
            var enhancements = definition.Criteria.Where(c => c.Kind == CriterionKind.Enhancement && answers.GetValueOrDefault(c.Id) != Answer.Met)
                .Select(c => new EnhancementGap(c.Code, c.Text, drafted.FirstOrDefault(i => i.Source == ActionSource.Enhancement && i.CriteriaCodes.Contains(c.Code))?.Id))
                .ToList();
            var level = element.Level;
            if (level == Level.BelowMinimum || enhancements.Count > 0)
            {
                gaps.Add(new ElementGap(definition.SectionCode, definition.Code, definition.Title, level, level == Level.BelowMinimum ? unmet : [],
                    drafted.FirstOrDefault(i => i.Source == ActionSource.Gap && i.ElementCode == definition.Code)?.Id, enhancements));
            }
        }

        return [.. gaps.OrderBy(g => g.SectionCode, StringComparer.Ordinal).ThenBy(g => g.Code, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Drafts items from an assessment: each gap (element below minimum) and enhancement named by its code, or every gap at
    /// once. What was drafted before is left as it is. Answers how many items were added.
    /// </summary>
    public Task<Outcome<int>> DraftAsync(ClaimsPrincipal principal, DraftItemsCommand command, CancellationToken cancellationToken = default) =>
        operations.RunAsync<int>(principal, async op =>
        {
            ArgumentNullException.ThrowIfNull(command);
            var assessment = await op.Db.Assessments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == command.AssessmentId, op.Cancellation);
            if (assessment is null || op.Viewer.RoleIn(assessment.OrganizationId) is null)
            {
                return Failure.Missing(NotFound);
            }

            op.Demand(OrganizationPermission.EditAssessments, assessment.OrganizationId, OnlyEditors);
            var framework = await catalog.GetAsync(op, assessment.FrameworkVersionId);
            var elements = await op.Db.ElementResponses.AsNoTracking().Include(e => e.Criteria).Where(e => e.AssessmentId == assessment.Id).ToListAsync(op.Cancellation);
            var existing = (await op.Db.ActionItems.AsNoTracking().Where(i => i.AssessmentId == assessment.Id).Select(i => i.SourceKey).ToListAsync(op.Cancellation)).ToHashSet();
            var library = await op.Db.LibraryResources.AsNoTracking().Where(r => r.RetiredAt == null).Select(r => new { r.Id, r.ElementCodes, r.Title }).ToListAsync(op.Cancellation);
            var wanted = command.Keys.Select(k => k.Trim().ToUpperInvariant()).ToHashSet();
            var added = 0;
            foreach (var element in elements)
            {
                if (framework.ElementsById.GetValueOrDefault(element.ElementId) is not { } definition)
                {
                    continue;
                }

                var answers = element.Criteria.ToDictionary(c => c.CriterionId, c => c.Answer);
                var resources = library.Where(r => r.ElementCodes.Contains(definition.Code)).OrderBy(r => r.Title, StringComparer.OrdinalIgnoreCase)
                    .Select(r => r.Id).Take(ActionItem.MaxResources).ToList();
                var level = element.Level;
                if (level == Level.BelowMinimum && (command.AllGaps || wanted.Remove(definition.Code)) && !existing.Contains(definition.Code))
                {
                    var unmet = definition.Criteria.Where(c => c.Kind == CriterionKind.Minimum && answers.GetValueOrDefault(c.Id) != Answer.Met).Select(c => c.Code).ToList();
                    op.Db.ActionItems.Add(ActionItem.ForGap(assessment.OrganizationId, assessment.Id, assessment.Cycle, definition.Id, definition.SectionCode, definition.Code,
                        definition.Title, unmet, definition.EnhancementText, resources, level, op.Now, op.Viewer.UserId));
                    added++;
                }

                foreach (var enhancement in definition.Criteria.Where(c => c.Kind == CriterionKind.Enhancement && answers.GetValueOrDefault(c.Id) != Answer.Met))
                {
                    if (wanted.Remove(enhancement.Code) && !existing.Contains(enhancement.Code))
                    {
                        op.Db.ActionItems.Add(ActionItem.ForEnhancement(assessment.OrganizationId, assessment.Id, assessment.Cycle, definition.Id, definition.SectionCode,
                            definition.Code, enhancement.Code, enhancement.Text, resources, level, op.Now, op.Viewer.UserId));
                        added++;
                    }
                }
            }

            if (wanted.Count > 0)
            {
                return Failure.Refuse($"{string.Join(", ", wanted.Order(StringComparer.Ordinal))} is not a gap or an unmet enhancement of this assessment.");
            }

            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
            {
                // Someone else drafted the same gap at the same moment: the unique index kept one item.
                return Failure.Refuse("Someone drafted some of these items at the same moment. Reload the page to see the plan as it is now.");
            }

            return added;
        }, cancellationToken);

    /// <summary>Saves what a member decided about an item. The owner must belong to the organization; a due date that changes can't be in the past.</summary>
    public async Task<Outcome<Guid>> SaveAsync(ClaimsPrincipal principal, SaveActionItemCommand command, Uri? portal = null, CancellationToken cancellationToken = default)
    {
        string? assigned = null;
        var outcome = await operations.RunAsync<SaveActionItemCommand, Guid>(principal, command, _validator, async op =>
        {
            var item = await op.Db.ActionItems.SingleOrDefaultAsync(i => i.Id == command.Id, op.Cancellation);
            if (item is null || op.Viewer.RoleIn(item.OrganizationId) is null)
            {
                return Failure.Missing(NotFound);
            }

            op.Demand(OrganizationPermission.EditAssessments, item.OrganizationId, OnlyEditors);
            op.ExpectVersion(item, command.ExpectedVersion);
            var owner = string.IsNullOrWhiteSpace(command.OwnerId) ? null : command.OwnerId;
            // The owner is checked when it changes: an item whose owner left can still get its notes and status saved.
            if (owner is not null && owner != item.OwnerId && !await op.Db.Memberships.AnyAsync(m => m.OrganizationId == item.OrganizationId && m.UserId == owner, op.Cancellation))
            {
                return Failure.FieldError(nameof(SaveActionItemCommand.OwnerId), "Choose a member of the organization as the owner.");
            }

            var due = command.DueDate is { } date ? DateOnly.FromDateTime(date) : (DateOnly?)null;
            var today = CaliforniaTime.Today(time);
            if (due != item.DueDate && due < today)
            {
                return Failure.FieldError(nameof(SaveActionItemCommand.DueDate), $"The due date can't be in the past (today is {today:MMMM d, yyyy}).");
            }

            var ownerBefore = item.OwnerId;
            item.Update(command.Title, owner, due, command.Status, command.Notes, command.ResourceIds, today, op.Now);
            await op.SaveAsync();
            assigned = owner is not null && owner != ownerBefore ? owner : null;
            return item.Version;
        }, cancellationToken);
        if (outcome.Succeeded && assigned is not null)
        {
            await notifier.ActionItemAssignedAsync(command.Id, principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty, portal);
        }

        return outcome;
    }

    /// <summary>
    /// The action plan drafted from one assessment, for its report: progress by status and each item. Empty when it has
    /// none or the viewer may not see them (a partner reading shared readiness does not).
    /// </summary>
    public Task<Outcome<AssessmentPlan>> ForAssessmentAsync(ClaimsPrincipal principal, Guid assessmentId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<AssessmentPlan>(principal, async op =>
        {
            var today = CaliforniaTime.Today(time);
            var items = await op.Db.ActionItems.AsNoTracking().Where(i => i.AssessmentId == assessmentId)
                .Select(i => new { i.Id, i.ElementCode, i.Title, i.Status, i.DueDate, i.OwnerId }).ToListAsync(op.Cancellation);
            var ownerIds = items.Where(i => i.OwnerId != null).Select(i => i.OwnerId!).Distinct().ToList();
            var owners = await op.Db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, op.Cancellation);
            var progress = new PlanProgress(items.Count(i => i.Status == ActionStatus.Planned), items.Count(i => i.Status == ActionStatus.InProgress),
                items.Count(i => i.Status == ActionStatus.Done), items.Count(i => i.Status == ActionStatus.Dropped), items.Count(i => ActionText.IsOverdue(i.Status, i.DueDate, today)));
            return new AssessmentPlan(progress, items.OrderBy(i => i.ElementCode, StringComparer.Ordinal).ThenBy(i => i.Title, StringComparer.Ordinal)
                .Select(i => new DueItem(i.Id, string.Empty, i.ElementCode, i.Title, i.DueDate, i.Status, i.OwnerId is null ? null : owners.GetValueOrDefault(i.OwnerId),
                    ActionText.IsOverdue(i.Status, i.DueDate, today)))
                .ToList());
        }, cancellationToken);

    /// <summary>Open items of the viewer's organizations that are overdue or due within <paramref name="days"/> days, soonest first.</summary>
    public Task<Outcome<IReadOnlyList<DueItem>>> DueAsync(ClaimsPrincipal principal, int days = 30, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<DueItem>>(principal, async op =>
        {
            var own = op.Viewer.OrganizationIds;
            var today = CaliforniaTime.Today(time);
            var horizon = today.AddDays(days);
            var items = await (from i in op.Db.ActionItems
                               join o in op.Db.Organizations on i.OrganizationId equals o.Id
                               where own.Contains(i.OrganizationId) && (i.Status == ActionStatus.Planned || i.Status == ActionStatus.InProgress)
                                     && i.DueDate != null && i.DueDate <= horizon
                               select new { i.Id, Organization = o.Name, i.ElementCode, i.Title, i.DueDate, i.Status, i.OwnerId }).AsNoTracking().ToListAsync(op.Cancellation);
            var ownerIds = items.Where(i => i.OwnerId != null).Select(i => i.OwnerId!).Distinct().ToList();
            var owners = await op.Db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, op.Cancellation);
            return items.OrderBy(i => i.DueDate).ThenBy(i => i.ElementCode, StringComparer.Ordinal)
                .Select(i => new DueItem(i.Id, i.Organization, i.ElementCode, i.Title, i.DueDate, i.Status, i.OwnerId is null ? null : owners.GetValueOrDefault(i.OwnerId),
                    ActionText.IsOverdue(i.Status, i.DueDate, today)))
                .ToList();
        }, cancellationToken);

    /// <summary>Statewide reviewers: open items per element across every organization's submitted assessments, the most first.</summary>
    public Task<Outcome<IReadOnlyList<OpenItemsForElement>>> OpenItemsPerElementAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<OpenItemsForElement>>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, OnlyStatewideReviewers);
            var elements = new List<OpenItemsForElement>();
            await foreach (var element in OpenItemsPerElementAsync(op, CaliforniaTime.Today(time)))
            {
                elements.Add(element);
            }

            return elements;
        }, cancellationToken);

    internal const string OnlyStatewideReviewers = "Only statewide reviewers see where plans are working statewide.";

    /// <summary>
    /// Open items (planned or in progress) of submitted assessments per element, the most first, counted by the database:
    /// the titles of the elements they name (one short command), then a row per element as it streams (one more).
    /// </summary>
    internal static async IAsyncEnumerable<OpenItemsForElement> OpenItemsPerElementAsync(Operation op, DateOnly today)
    {
        var db = op.Db;
        var open = db.ActionItems.AsNoTracking()
            .Where(i => (i.Status == ActionStatus.Planned || i.Status == ActionStatus.InProgress) && db.Assessments.Any(a => a.Id == i.AssessmentId && a.Round > 0));
        var titles = await db.Elements.AsNoTracking().Where(e => open.Any(i => i.ElementId == e.Id)).Select(e => new { e.Code, e.Title }).ToListAsync(op.Cancellation);
        var titleOf = titles.GroupBy(t => t.Code).ToDictionary(g => g.Key, g => g.First().Title);
        var counts = open.GroupBy(i => new { i.SectionCode, i.ElementCode })
            .Select(g => new
            {
                g.Key.SectionCode,
                g.Key.ElementCode,
                OpenItems = g.Count(),
                Organizations = g.Select(i => i.OrganizationId).Distinct().Count(),
                Overdue = g.Count(i => i.DueDate != null && i.DueDate < today),
            })
            .OrderByDescending(e => e.OpenItems).ThenBy(e => e.ElementCode);
        await foreach (var e in counts.AsAsyncEnumerable().WithCancellation(op.Cancellation))
        {
            yield return new OpenItemsForElement(e.SectionCode, e.ElementCode, titleOf.GetValueOrDefault(e.ElementCode, e.ElementCode), e.OpenItems, e.Organizations, e.Overdue);
        }
    }
}
