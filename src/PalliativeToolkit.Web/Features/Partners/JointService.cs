using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Partners;

/// <summary>
/// Section E assessed by a plan and an active provider partner together. Members of both sides read it; contributors
/// and managers of each side answer for their side only; a manager of each side marks its side ready; either side's
/// manager submits once both are. Reviewers read it once submitted. Every change compares with what the person saw, so
/// nothing anyone of the same side saved meanwhile is overwritten.
/// </summary>
public sealed class JointService(OperationRunner operations, FrameworkCatalog catalog, IJointSignals signals)
{
    private const string NotFound = "That joint assessment does not exist, or you do not have access to it.";
    private const string Meanwhile = "Someone on your side changed this a moment ago; the page now shows what they saved.";
    private const int Attempts = 3;

    /// <summary>Starts the joint section E of an active partnership for a cycle; its value is the new assessment's id.</summary>
    public Task<Outcome<Guid>> StartAsync(ClaimsPrincipal principal, Guid partnershipId, string cycle, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Guid>(principal, async op =>
        {
            var partnership = await op.Db.Partnerships.SingleOrDefaultAsync(p => p.Id == partnershipId, op.Cancellation);
            if (partnership is null)
            {
                return Failure.Missing("That partnership does not exist, or you do not have access to it.");
            }

            if (!op.Viewer.May(OrganizationPermission.StartAssessments, partnership.PlanOrganizationId)
                && !op.Viewer.May(OrganizationPermission.StartAssessments, partnership.ProviderOrganizationId))
            {
                return Failure.Refuse("Only a manager of the plan or of the provider can start a joint assessment.");
            }

            if (ReportingCycle.Of(cycle) is not { } reportingCycle)
            {
                return Failure.FieldError("Cycle", "Enter a cycle: a year (2026) or a fiscal year (FY 2026-27).");
            }

            if (reportingCycle.TooFarAhead(op.Now) is { } tooFar)
            {
                return Failure.FieldError("Cycle", tooFar);
            }

            if (await op.Db.JointAssessments.AnyAsync(j => j.PartnershipId == partnershipId && j.Cycle == reportingCycle.Label, op.Cancellation))
            {
                return Failure.FieldError("Cycle", $"This partnership already has a joint assessment for cycle {reportingCycle}.");
            }

            var framework = await op.Db.FrameworkVersions
                .Include(f => f.Sections).ThenInclude(s => s.Elements).ThenInclude(e => e.Criteria)
                .SingleAsync(f => f.IsCurrent, op.Cancellation);
            var joint = JointAssessment.Start(partnership, framework, reportingCycle.Label, op.Now, op.Viewer.UserId);
            op.Db.JointAssessments.Add(joint);
            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException)
            {
                // The other side started the same cycle a moment ago.
                return Failure.FieldError("Cycle", $"This partnership already has a joint assessment for cycle {reportingCycle}; reload the page to open it.");
            }

            return joint.Id;
        }, cancellationToken);

    /// <summary>The joint assessments of a partnership, newest cycle first (as the viewer may see them).</summary>
    internal static async Task<IReadOnlyList<JointListItem>> ListAsync(Operation op, Guid partnershipId) =>
        (await op.Db.JointAssessments.AsNoTracking().Where(j => j.PartnershipId == partnershipId)
            .Select(j => new { j.Id, j.Cycle, j.PlanReadyAt, j.ProviderReadyAt, j.SubmittedAt }).ToListAsync(op.Cancellation))
        .OrderByDescending(j => j.Cycle, ReportingCycle.LabelOrder)
        .Select(j => new JointListItem(j.Id, j.Cycle, j.PlanReadyAt is not null, j.ProviderReadyAt is not null, j.SubmittedAt))
        .ToList();

    public Task<Outcome<JointView>> GetAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<JointView>(principal, async op =>
        {
            var joint = await op.Db.JointAssessments.AsNoTracking().Include(j => j.Answers).Include(j => j.Notes).Include(j => j.Changes)
                .AsSplitQuery().SingleOrDefaultAsync(j => j.Id == id, op.Cancellation);
            if (joint is null)
            {
                return Failure.Missing(NotFound);
            }

            var names = await op.Db.Organizations.AsNoTracking()
                .Where(o => o.Id == joint.PlanOrganizationId || o.Id == joint.ProviderOrganizationId)
                .ToDictionaryAsync(o => o.Id, o => o.Name, op.Cancellation);
            var userIds = joint.Changes.Select(c => c.By).Append(joint.PlanReadyBy).Append(joint.ProviderReadyBy).Append(joint.SubmittedBy)
                .OfType<string>().Distinct().ToList();
            var people = await op.Db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
                .ToDictionaryAsync(u => u.Id, u => u.DisplayName, op.Cancellation);
            string Person(string? userId) => userId is null ? string.Empty : people.GetValueOrDefault(userId, userId);

            var framework = await catalog.GetAsync(op, joint.FrameworkVersionId);
            var answers = joint.Answers.ToDictionary(a => (a.CriterionId, a.Side), a => a.Answer);
            var notes = joint.Notes.ToDictionary(n => (n.ElementId, n.Side), n => n.Text);
            var elements = framework.Sections.Where(s => s.Audience == Audience.Joint).SelectMany(s => s.Elements)
                .Where(e => joint.Answers.Any(a => a.ElementId == e.Id))
                .Select(e => new JointElementView(e.Id, e.Code, e.Title, e.MinimumText,
                    e.Criteria.OrderBy(c => c.Kind).Select(c => new JointCriterionView(c.Id, c.Code, c.Kind, c.Text,
                        answers.GetValueOrDefault((c.Id, PartnerSide.Plan)), answers.GetValueOrDefault((c.Id, PartnerSide.Provider)))).ToList(),
                    notes.GetValueOrDefault((e.Id, PartnerSide.Plan), string.Empty), notes.GetValueOrDefault((e.Id, PartnerSide.Provider), string.Empty)))
                .ToList();
            var side = SideOf(op.Viewer, joint);
            var organization = side is null ? (Guid?)null : side == PartnerSide.Plan ? joint.PlanOrganizationId : joint.ProviderOrganizationId;
            var planName = names.GetValueOrDefault(joint.PlanOrganizationId, "The plan");
            var providerName = names.GetValueOrDefault(joint.ProviderOrganizationId, "The provider");
            return new JointView(
                joint.Id, joint.PartnershipId, planName, providerName, joint.Cycle, side,
                organization is { } o && !joint.IsSubmitted && op.Viewer.May(OrganizationPermission.EditAssessments, o),
                organization is { } m && !joint.IsSubmitted && op.Viewer.May(OrganizationPermission.SubmitAssessments, m),
                joint.PlanReadyAt, Person(joint.PlanReadyBy), joint.ProviderReadyAt, Person(joint.ProviderReadyBy), joint.SubmittedAt, Person(joint.SubmittedBy),
                elements,
                joint.Changes.OrderByDescending(c => c.At)
                    .Select(c => new JointChangeView(c.At, Person(c.By), c.Side, c.Side == PartnerSide.Plan ? planName : providerName,
                        c.ElementId is { } element && framework.ElementsById.TryGetValue(element, out var definition) ? definition.Code : null, c.What))
                    .ToList());
        }, cancellationToken);

    /// <summary>The viewer's side of the joint assessment: the plan's when they belong to it, else the provider's, else none.</summary>
    private static PartnerSide? SideOf(Viewer viewer, JointAssessment joint) =>
        viewer.RoleIn(joint.PlanOrganizationId) is not null ? PartnerSide.Plan
        : viewer.RoleIn(joint.ProviderOrganizationId) is not null ? PartnerSide.Provider
        : null;

    /// <summary>The viewer's side answers a criterion, from the answer their page showed.</summary>
    public Task<Outcome<Done>> AnswerAsync(ClaimsPrincipal principal, Guid id, Guid criterionId, Answer from, Answer to, CancellationToken cancellationToken = default) =>
        Enum.IsDefined(to) && Enum.IsDefined(from)
            ? ChangeAsync(principal, id, OrganizationPermission.EditAssessments, "Only the plan's and the provider's contributors and managers answer.", async (op, joint, side) =>
            {
                var code = await op.Db.Criteria.AsNoTracking().Where(c => c.Id == criterionId).Select(c => c.Code).FirstOrDefaultAsync(op.Cancellation) ?? "a criterion";
                return joint.Answer(side, criterionId, from, to, op.Now, op.Viewer.UserId, $"{code}: {from.Describe().ToLowerInvariant()} → {to.Describe().ToLowerInvariant()}")
                    ? Done.Value
                    : new Failure.Conflict(Meanwhile);
            }, cancellationToken)
            : Task.FromResult<Outcome<Done>>(Failure.Refuse("Choose met, not met or open."));

    /// <summary>The viewer's side writes its notes on an element, from the notes their page showed.</summary>
    public Task<Outcome<Done>> WriteNotesAsync(ClaimsPrincipal principal, Guid id, Guid elementId, string from, string to, CancellationToken cancellationToken = default)
    {
        if (to is null || to.Length > Limits.EvidenceNotes)
        {
            return Task.FromResult<Outcome<Done>>(Failure.FieldError("Notes", $"Notes can be at most {Limits.EvidenceNotes} characters."));
        }

        if (!TextRules.IsPlainText(to))
        {
            return Task.FromResult<Outcome<Done>>(Failure.FieldError("Notes", TextRules.HiddenCharactersMessage));
        }

        return ChangeAsync(principal, id, OrganizationPermission.EditAssessments, "Only the plan's and the provider's contributors and managers write notes.", (op, joint, side) =>
            Task.FromResult<Outcome<Done>>(joint.WriteNotes(side, elementId, from ?? string.Empty, to, op.Now, op.Viewer.UserId, "changed the notes")
                ? Done.Value
                : new Failure.Conflict(Meanwhile)), cancellationToken);
    }

    /// <summary>A manager marks their side ready (or takes the mark back).</summary>
    public Task<Outcome<Done>> MarkReadyAsync(ClaimsPrincipal principal, Guid id, bool ready, CancellationToken cancellationToken = default) =>
        ChangeAsync(principal, id, OrganizationPermission.SubmitAssessments, "Only a manager marks their side ready.", (op, joint, side) =>
        {
            if (ready)
            {
                joint.MarkReady(side, op.Now, op.Viewer.UserId);
            }
            else
            {
                joint.Unready(side, op.Now, op.Viewer.UserId);
            }

            return Task.FromResult(Outcome.Done());
        }, cancellationToken);

    /// <summary>Either side's manager submits it, once both sides marked it ready.</summary>
    public Task<Outcome<Done>> SubmitAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        ChangeAsync(principal, id, OrganizationPermission.SubmitAssessments, "Only a manager of the plan or of the provider submits.", (op, joint, side) =>
        {
            joint.Submit(side, op.Now, op.Viewer.UserId);
            return Task.FromResult(Outcome.Done());
        }, cancellationToken);

    /// <summary>
    /// Applies a change for the viewer's side on a fresh read of the assessment. Another change saved in between (to
    /// anything else of it) only moves its version: the change is applied again on the new state, a few times at most.
    /// </summary>
    private async Task<Outcome<Done>> ChangeAsync(
        ClaimsPrincipal principal, Guid id, OrganizationPermission permission, string refusal,
        Func<Operation, JointAssessment, PartnerSide, Task<Outcome<Done>>> change, CancellationToken cancellationToken)
    {
        Outcome<Done> outcome = Failure.Stale();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            outcome = await operations.RunAsync<Done>(principal, async op =>
            {
                // With its latest change only: a run of notes edits extends it rather than adding one entry per save.
                var joint = await op.Db.JointAssessments.Include(j => j.Answers).Include(j => j.Notes)
                    .Include(j => j.Changes.OrderByDescending(c => c.At).Take(1)).AsSplitQuery()
                    .SingleOrDefaultAsync(j => j.Id == id, op.Cancellation);
                if (joint is null)
                {
                    return Failure.Missing(NotFound);
                }

                var side = SideOf(op.Viewer, joint);
                var organization = side == PartnerSide.Plan ? joint.PlanOrganizationId : joint.ProviderOrganizationId;
                if (side is null || !op.Viewer.May(permission, organization))
                {
                    return Failure.Refuse(refusal);
                }

                if (!await op.Db.Partnerships.AnyAsync(p => p.Id == joint.PartnershipId && p.Status == PartnershipStatus.Active, op.Cancellation))
                {
                    return Failure.Refuse("The partnership is no longer active: this joint assessment can no longer be changed. Take the partnership up again to go on.");
                }

                var result = await change(op, joint, side.Value);
                if (result.Succeeded)
                {
                    await op.SaveAsync();
                }

                return result;
            }, cancellationToken);
            if (outcome.Failure is not Failure.Conflict { } conflict || conflict.Message == Meanwhile)
            {
                break;
            }
        }

        if (outcome.Succeeded)
        {
            signals.Tell(id);
        }

        return outcome;
    }
}
