using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Live;
using PalliativeToolkit.Web.Features.Notifications;
using PalliativeToolkit.Web.Features.Partners;

namespace PalliativeToolkit.Web.Features.Assessments;

/// <summary>
/// Everything a page does with assessments. Each call is one operation of the signed-in user: the database shows it only
/// what that user may see, reads are projections, and changes go through the <see cref="Assessment"/> aggregate.
/// </summary>
public sealed class AssessmentService(OperationRunner operations, FrameworkCatalog catalog, IAssessmentLive live, Notifier notifier, ILogger<AssessmentService> logger)
{
    private const string NotFound = "That assessment does not exist or you do not have access to it.";
    private readonly StartAssessmentValidator _startValidator = new();
    private readonly SaveElementValidator _saveValidator = new();
    private readonly ReturnAssessmentValidator _returnValidator = new();

    /// <summary>The assessments of the user's own organizations, with progress, and the organizations where they may start one.</summary>
    public Task<Outcome<AssessmentListView>> ListAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<AssessmentListView>(principal, async op =>
        {
            var own = op.Viewer.OrganizationIds;
            var headers = await op.Db.Assessments.AsNoTracking()
                .Where(a => own.Contains(a.OrganizationId))
                .Select(a => new { a.Id, a.OrganizationId, Organization = a.Organization!.Name, a.Cycle, Framework = a.FrameworkVersion!.Label, a.Status, a.CreatedAt, a.SubmittedAt })
                .ToListAsync(op.Cancellation);
            var answers = await (from c in op.Db.CriterionResponses
                                 join e in op.Db.ElementResponses on c.ElementResponseId equals e.Id
                                 where own.Contains(e.OrganizationId)
                                 select new { e.AssessmentId, c.ElementResponseId, c.Kind, c.Answer })
                .AsNoTracking().ToListAsync(op.Cancellation);
            var progress = answers.GroupBy(a => a.AssessmentId).ToDictionary(
                g => g.Key,
                g => Scoring.Summarize(g.GroupBy(a => a.ElementResponseId).Select(e => (IReadOnlyCollection<(CriterionKind, Answer)>)e.Select(a => (a.Kind, a.Answer)).ToList())));
            var items = headers
                .OrderBy(a => a.Organization, StringComparer.Ordinal).ThenByDescending(a => a.Cycle, ReportingCycle.LabelOrder).ThenByDescending(a => a.CreatedAt)
                .Select(a => new AssessmentListItem(a.Id, a.OrganizationId, a.Organization, a.Cycle, a.Framework, a.Status, progress.GetValueOrDefault(a.Id), a.CreatedAt))
                .ToList();
            var managed = own.Where(o => op.Viewer.May(OrganizationPermission.StartAssessments, o)).ToList();
            var startable = await op.Db.Organizations.AsNoTracking()
                .Where(o => managed.Contains(o.Id) && o.Kind != OrganizationKind.StatewideSupport)
                .OrderBy(o => o.Name)
                .Select(o => new { o.Id, o.Name })
                .ToListAsync(op.Cancellation);
            return new AssessmentListView(
                items,
                startable.Select(o => new StartableOrganization(o.Id, o.Name, headers.Where(a => a.OrganizationId == o.Id)
                    .Select(a => new CycleCandidate(a.Id, a.Cycle, a.Status, a.SubmittedAt)).ToList())).ToList());
        }, cancellationToken);

    public Task<Outcome<Guid>> StartAsync(ClaimsPrincipal principal, StartAssessmentCommand command, CancellationToken cancellationToken = default) =>
        operations.RunAsync<StartAssessmentCommand, Guid>(principal, command, _startValidator, async op =>
        {
            op.Demand(OrganizationPermission.StartAssessments, command.OrganizationId, "Only a manager of this organization can start an assessment.");
            var organization = await op.Db.Organizations.SingleOrDefaultAsync(o => o.Id == command.OrganizationId, op.Cancellation);
            if (organization is null)
            {
                return Failure.Refuse("That organization does not exist or you do not belong to it.");
            }

            var framework = await op.Db.FrameworkVersions
                .Include(f => f.Sections).ThenInclude(s => s.Elements).ThenInclude(e => e.Criteria)
                .SingleAsync(f => f.IsCurrent, op.Cancellation);
            var cycle = ReportingCycle.Parse(command.Cycle);
            if (cycle.TooFarAhead(op.Now) is { } tooFar)
            {
                return Failure.FieldError(nameof(StartAssessmentCommand.Cycle), tooFar);
            }

            var existing = await CandidatesAsync(op, organization.Id);
            if (existing.Any(a => ReportingCycle.Of(a.Cycle) == cycle))
            {
                return Failure.FieldError(nameof(StartAssessmentCommand.Cycle), $"{organization.Name} already has an assessment for cycle {cycle}.");
            }

            Assessment? previous = null;
            if (command.CopyFromPrevious && PreviousCycle.Choose(cycle, existing) is { } chosen)
            {
                previous = await op.Db.Assessments
                    .Include(a => a.Elements).ThenInclude(e => e.Criteria).ThenInclude(c => c.Criterion)
                    .Include(a => a.Elements).ThenInclude(e => e.Element)
                    .AsSplitQuery()
                    .SingleAsync(a => a.Id == chosen.Id, op.Cancellation);
            }

            var assessment = Assessment.Start(organization, framework, cycle.Label, op.Now, op.Viewer.UserId, previous);
            op.Db.Assessments.Add(assessment);
            await op.SaveAsync();
            logger.LogInformation("Assessment {AssessmentId} started for organization {OrganizationId}, cycle {Cycle}, copied from {PreviousId}", assessment.Id, organization.Id, cycle, previous?.Id);
            return assessment.Id;
        }, cancellationToken);

    /// <summary>
    /// The assessment as the user may see it: members see their organization's working answers; reviewers see the latest
    /// submitted round, never the working draft; a plan a provider shares its readiness with sees that round of the
    /// provider's latest submitted cycle only, with the earlier cycle's levels but not its evidence.
    /// </summary>
    public Task<Outcome<AssessmentView>> GetAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<AssessmentView>(principal, async op =>
        {
            var header = await op.Db.Assessments.AsNoTracking().Where(a => a.Id == id)
                .Select(a => new { a.Id, a.OrganizationId, Organization = a.Organization!.Name, a.Cycle, a.FrameworkVersionId, a.Status, a.SubmittedAt, a.ReviewedAt, a.Round })
                .SingleOrDefaultAsync(op.Cancellation);
            if (header is null)
            {
                return Failure.Missing(NotFound);
            }

            var isMember = op.Viewer.RoleIn(header.OrganizationId) is not null;
            var throughShare = !isMember && !op.Viewer.SeesSubmittedWork;
            if (throughShare)
            {
                // A plan reads a provider's readiness through the provider's share, which gives its latest submitted cycle
                // (the cycle before only as the change beside it): an earlier cycle's page, or its evidence, is not part of it.
                var shared = await PartnerService.StandingReadinessAsync(op, header.OrganizationId);
                if (shared.Count == 0 || shared[0].AssessmentId != header.Id)
                {
                    return Failure.Missing(NotFound);
                }
            }

            var framework = await catalog.GetAsync(op, header.FrameworkVersionId);
            var editable = header.Status is AssessmentStatus.Draft or AssessmentStatus.Returned;
            var rounds = await op.Db.Submissions.AsNoTracking().Where(s => s.AssessmentId == id)
                .Select(s => new { s.Id, s.Round, s.Decision })
                .ToListAsync(op.Cancellation);
            var standing = rounds.Where(r => r.Decision != Decision.Withdrawn).MaxBy(r => r.Round);
            var previous = await PreviousCycleAsync(op, header.OrganizationId, header.Cycle);
            var before = previous is null ? null : await PreviousElementsAsync(op, previous, withEvidence: !throughShare);
            IReadOnlyList<ElementView> elements;
            if (isMember)
            {
                elements = await WorkingElementsAsync(op, framework, id, before);
            }
            else if (standing is not null)
            {
                // Others read the latest round that stands, never the working draft (nor a round taken back).
                elements = await SubmittedElementsAsync(op, framework, standing.Id, before);
            }
            else
            {
                return Failure.Missing(NotFound);
            }

            // The feedback that applies now is the standing round's, when it was returned (for the organization, that is
            // exactly when the assessment is returned).
            var returns = await FeedbackRoundsAsync(op, framework, id);
            IReadOnlyList<FeedbackView> feedback = standing is { Decision: Decision.Returned }
                ? returns.FirstOrDefault(r => r.Round == standing.Round)?.Items ?? []
                : [];
            var byElement = feedback.Where(f => f.ElementCode is not null).ToLookup(f => f.ElementCode!, f => f.Text);
            foreach (var element in elements)
            {
                element.Feedback = [.. byElement[element.Code]];
            }

            var sections = framework.Sections
                .Select(s => new SectionView(s, elements.Where(e => e.Definition.SectionCode == s.Code).ToList()))
                .Where(s => s.Elements.Count > 0)
                .ToList();
            var manages = isMember && op.Viewer.May(OrganizationPermission.SubmitAssessments, header.OrganizationId);
            var me = op.Viewer.UserId;
            var myName = op.Viewer.DisplayName;
            return new AssessmentView
            {
                Id = header.Id,
                OrganizationId = header.OrganizationId,
                OrganizationName = header.Organization,
                Cycle = header.Cycle,
                Framework = framework,
                Status = header.Status,
                SubmittedAt = header.SubmittedAt,
                ReviewedAt = header.ReviewedAt,
                ShowsRound = isMember ? null : standing!.Round,
                Sections = sections,
                Feedback = feedback,
                CanEdit = isMember && editable && op.Viewer.May(OrganizationPermission.EditAssessments, header.OrganizationId),
                CanSubmit = manages && editable,
                CanReview = !isMember && standing!.Decision == Decision.Pending && op.Viewer.May(Permission.ReviewSubmissions),
                CanDelete = manages && header.Status == AssessmentStatus.Draft && header.Round == 0,
                CanWithdraw = manages && header.Status == AssessmentStatus.Submitted && standing?.Decision == Decision.Pending,
                PreviousCycle = previous,
                FeedbackRounds = returns,
                Viewer = isMember ? new PresentUser(me, string.IsNullOrWhiteSpace(myName) ? "A colleague" : myName) : null,
            };
        }, cancellationToken);

    /// <summary>
    /// Confirms that evidence carried from the earlier cycle into an element still holds, if the element is still as the
    /// user's page shows it (<paramref name="expectedVersion"/>); returns the element's new version.
    /// </summary>
    public Task<Outcome<Guid>> ConfirmCarriedEvidenceAsync(
        ClaimsPrincipal principal, Guid assessmentId, Guid elementResponseId, Guid expectedVersion, Guid? origin = null, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Guid>(principal, async op =>
        {
            var assessment = await op.Db.Assessments
                .Include(a => a.Elements.Where(e => e.Id == elementResponseId))
                .SingleOrDefaultAsync(a => a.Id == assessmentId, op.Cancellation);
            var element = assessment?.Elements.SingleOrDefault();
            if (assessment is null || element is null)
            {
                return Failure.Missing(NotFound);
            }

            op.Demand(OrganizationPermission.EditAssessments, assessment.OrganizationId, "You can read this assessment but not change it.");
            op.ExpectVersion(element, expectedVersion);

            assessment.ConfirmCarriedEvidence(element.Id, op.Viewer.UserId);
            await op.SaveAsync();
            var definition = (await catalog.GetAsync(op, assessment.FrameworkVersionId)).ElementsById.GetValueOrDefault(element.ElementId);
            Publish(op, assessment.Id, element.Id, element.Version, $"{definition?.Code ?? "An element"}: carried evidence confirmed", origin);
            return element.Version;
        }, cancellationToken);

    /// <summary>Deletes a draft that was never submitted. The audit trail keeps the deletion of the assessment (its header values); its answers go with it.</summary>
    public Task<Outcome<Done>> DeleteAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            var assessment = await op.Db.Assessments.SingleOrDefaultAsync(a => a.Id == id, op.Cancellation);
            if (assessment is null || op.Viewer.RoleIn(assessment.OrganizationId) is null)
            {
                return Failure.Missing(NotFound);
            }

            op.Demand(OrganizationPermission.SubmitAssessments, assessment.OrganizationId, "Only a manager of this organization can delete an assessment.");
            assessment.EnsureDeletable();
            var items = await op.Db.ActionItems.CountAsync(i => i.AssessmentId == id, op.Cancellation);
            if (items > 0)
            {
                return Failure.Refuse($"This draft can't be deleted: {items} action {(items == 1 ? "item was" : "items were")} drafted from its gaps, and the action plan keeps where each came from.");
            }

            foreach (var later in await op.Db.Assessments.Where(a => a.PreviousAssessmentId == id).ToListAsync(op.Cancellation))
            {
                later.ForgetPrevious();
            }

            op.Db.Assessments.Remove(assessment);
            await op.SaveAsync();
            Publish(op, assessment.Id, null, null, "deleted the draft");
            logger.LogInformation("Assessment {AssessmentId} (draft, cycle {Cycle}) deleted", assessment.Id, assessment.Cycle);
            return Done.Value;
        }, cancellationToken);

    /// <summary>Takes back a submission no reviewer has acted on; the assessment is editable again.</summary>
    public Task<Outcome<Done>> WithdrawAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            var assessment = await op.Db.Assessments.Include(a => a.Submissions).SingleOrDefaultAsync(a => a.Id == id, op.Cancellation);
            if (assessment is null || op.Viewer.RoleIn(assessment.OrganizationId) is null)
            {
                return Failure.Missing(NotFound);
            }

            op.Demand(OrganizationPermission.SubmitAssessments, assessment.OrganizationId, "Only a manager of this organization can withdraw a submission.");
            assessment.Withdraw(op.Now, op.Viewer.UserId);
            await op.SaveAsync();
            Publish(op, assessment.Id, null, null, "withdrew the submission");
            logger.LogInformation("Assessment {AssessmentId} round {Round} withdrawn", assessment.Id, assessment.Round);
            return Done.Value;
        }, cancellationToken);

    /// <summary>
    /// Saves one element as the user left it. With <see cref="SaveElementCommand.Base"/> the edit is merged field by field
    /// with what others saved meanwhile: ticking a criterion never conflicts with someone else's notes, and a field both
    /// changed differently is kept as saved and reported with both versions. Two saves racing each other are retried on
    /// the fresh row, so the merge always runs against what is stored.
    /// </summary>
    public async Task<Outcome<ElementSaved>> SaveElementAsync(ClaimsPrincipal principal, SaveElementCommand command, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await operations.RunAsync<SaveElementCommand, ElementSaved>(principal, command, _saveValidator, op => SaveElementOnceAsync(op, command), cancellationToken);
            if (command.Base is null || attempt == 3 || outcome.Failure is not Failure.Conflict)
            {
                return outcome;
            }
        }
    }

    private async Task<Outcome<ElementSaved>> SaveElementOnceAsync(Operation op, SaveElementCommand command)
    {
        var assessment = await op.Db.Assessments
            .Include(a => a.Elements.Where(e => e.Id == command.ElementResponseId)).ThenInclude(e => e.Criteria)
            .SingleOrDefaultAsync(a => a.Id == command.AssessmentId, op.Cancellation);
        var element = assessment?.Elements.SingleOrDefault();
        if (assessment is null || element is null)
        {
            return Failure.Missing(NotFound);
        }

        op.Demand(OrganizationPermission.EditAssessments, assessment.OrganizationId, "You can read this assessment but not change it.");
        if (command.Base is null)
        {
            op.ExpectVersion(element, command.ExpectedVersion);
        }

        var before = element.State;
        var lastEditor = element.LastEditedBy;
        var conflicts = assessment.MergeElement(element.Id, command.Base ?? element.State, command.Yours, op.Viewer.UserId);
        await op.SaveAsync();
        var framework = await catalog.GetAsync(op, assessment.FrameworkVersionId);
        if (DescribeChange(framework.ElementsById.GetValueOrDefault(element.ElementId), before, element.State) is { } description)
        {
            Publish(op, assessment.Id, element.Id, element.Version, description, command.Origin);
        }

        string? author = null;
        if (conflicts.Any)
        {
            author = lastEditor is null || lastEditor == op.Viewer.UserId ? null
                : await op.Db.Users.AsNoTracking().Where(u => u.Id == lastEditor).Select(u => u.DisplayName).FirstOrDefaultAsync(op.Cancellation);
            logger.LogInformation("Element {ElementResponseId} saved with {Count} field(s) in conflict", element.Id,
                conflicts.Answers.Count + (conflicts.EvidenceNotes is null ? 0 : 1) + (conflicts.Priority is null ? 0 : 1));
        }

        return new ElementSaved(element.Version, element.State, conflicts, author);
    }

    /// <summary>What a save changed, in words for the others on the page ("A1: A1-M2 met; evidence notes"), or null for nothing.</summary>
    internal static string? DescribeChange(ElementDefinition? definition, ElementState before, ElementState after)
    {
        var parts = new List<string>();
        foreach (var criterion in definition?.Criteria ?? [])
        {
            if (before.AnswerTo(criterion.Id) != after.AnswerTo(criterion.Id))
            {
                parts.Add($"{criterion.Code} {after.AnswerTo(criterion.Id).Describe().ToLowerInvariant()}");
            }
        }

        if (before.EvidenceNotes != after.EvidenceNotes)
        {
            parts.Add("evidence notes");
        }

        if (!before.EvidenceLinks.SequenceEqual(after.EvidenceLinks))
        {
            parts.Add("evidence links");
        }

        if (before.Priority != after.Priority)
        {
            parts.Add($"priority {(after.Priority == Priority.None ? "not set" : after.Priority.ToString().ToLowerInvariant())}");
        }

        return parts.Count == 0 ? null : $"{definition?.Code ?? "An element"}: {string.Join("; ", parts)}";
    }

    /// <summary>Tells the other pages that have the assessment open, naming the acting user (no query: the operation knows them).</summary>
    private void Publish(Operation op, Guid assessmentId, Guid? elementResponseId, Guid? version, string description, Guid? origin = null)
    {
        var name = op.Viewer.DisplayName;
        live.Publish(new AssessmentChange(assessmentId, elementResponseId, version, op.Viewer.UserId, string.IsNullOrWhiteSpace(name) ? "Someone" : name, description, origin));
    }

    /// <summary>
    /// One element's working state as stored now, for a page that heard someone else changed it. Only the organization's
    /// members read working answers.
    /// </summary>
    public Task<Outcome<ElementSnapshot>> GetElementAsync(ClaimsPrincipal principal, Guid assessmentId, Guid elementResponseId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ElementSnapshot>(principal, async op =>
        {
            var element = await op.Db.ElementResponses.AsNoTracking().Include(e => e.Criteria)
                .SingleOrDefaultAsync(e => e.Id == elementResponseId && e.AssessmentId == assessmentId, op.Cancellation);
            if (element is null || op.Viewer.RoleIn(element.OrganizationId) is null)
            {
                return Failure.Missing(NotFound);
            }

            return new ElementSnapshot(element.Version, element.State, element.EvidenceCarriedFrom);
        }, cancellationToken);

    /// <summary>Submits the assessment for review; reviewers are then notified (<paramref name="portal"/>: the page's address, for the email's link).</summary>
    public async Task<Outcome<Done>> SubmitAsync(ClaimsPrincipal principal, Guid id, Uri? portal = null, CancellationToken cancellationToken = default)
    {
        var outcome = await SubmitOnceAsync(principal, id, cancellationToken);
        if (outcome.Succeeded)
        {
            await notifier.AssessmentSubmittedAsync(id, ActorOf(principal), portal);
        }

        return outcome;
    }

    private static string ActorOf(ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty;

    private Task<Outcome<Done>> SubmitOnceAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            var assessment = await op.Db.Assessments
                .Include(a => a.Elements).ThenInclude(e => e.Criteria)
                .Include(a => a.Elements).ThenInclude(e => e.Element!).ThenInclude(e => e.Section)
                .AsSplitQuery()
                .SingleOrDefaultAsync(a => a.Id == id, op.Cancellation);
            if (assessment is null || op.Viewer.RoleIn(assessment.OrganizationId) is null)
            {
                return Failure.Missing(NotFound);
            }

            op.Demand(OrganizationPermission.SubmitAssessments, assessment.OrganizationId, "Only a manager of this organization can submit the assessment.");
            assessment.Submit(op.Now, op.Viewer.UserId);
            await op.SaveAsync();
            Publish(op, assessment.Id, null, null, "submitted the assessment for review");
            logger.LogInformation("Assessment {AssessmentId} submitted (round {Round})", assessment.Id, assessment.Round);
            return Done.Value;
        }, cancellationToken);

    /// <summary>Accepts the submitted round; the organization's managers are then notified.</summary>
    public async Task<Outcome<Done>> AcceptAsync(ClaimsPrincipal principal, Guid id, Uri? portal = null, CancellationToken cancellationToken = default)
    {
        var outcome = await ReviewAsync(principal, id, (a, op) => a.Accept(op.Now, op.Viewer.UserId), cancellationToken);
        if (outcome.Succeeded)
        {
            await notifier.AssessmentAcceptedAsync(id, ActorOf(principal), portal);
        }

        return outcome;
    }

    /// <summary>Returns the submitted round with feedback; the organization's managers are then notified, with the feedback.</summary>
    public async Task<Outcome<Done>> ReturnAsync(ClaimsPrincipal principal, ReturnAssessmentCommand command, Uri? portal = null, CancellationToken cancellationToken = default)
    {
        var outcome = await ReturnOnceAsync(principal, command, cancellationToken);
        if (outcome.Succeeded)
        {
            await notifier.AssessmentReturnedAsync(command.AssessmentId, ActorOf(principal), portal);
        }

        return outcome;
    }

    private async Task<Outcome<Done>> ReturnOnceAsync(ClaimsPrincipal principal, ReturnAssessmentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var validation = await _returnValidator.ValidateAsync(command, cancellationToken);
        if (!validation.IsValid)
        {
            return Failure.FieldErrors(validation);
        }

        var feedback = command.ElementFeedback
            .Where(f => !string.IsNullOrWhiteSpace(f.Value))
            .Select(f => ((Guid?)f.Key, f.Value))
            .Prepend((null, command.GeneralFeedback))
            .ToList();
        return await ReviewAsync(principal, command.AssessmentId, (a, op) => a.Return(op.Now, op.Viewer.UserId, feedback), cancellationToken);
    }

    private Task<Outcome<Done>> ReviewAsync(ClaimsPrincipal principal, Guid id, Action<Assessment, Operation> decide, CancellationToken cancellationToken) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.ReviewSubmissions, "Only a statewide reviewer can review a submitted assessment.");
            var assessment = await op.Db.Assessments.SingleOrDefaultAsync(a => a.Id == id, op.Cancellation);
            if (assessment is null)
            {
                return Failure.Missing(NotFound);
            }

            // The round under review, with its elements (feedback may name one); fix-up attaches it to the assessment.
            await op.Db.Submissions.Include(s => s.Elements)
                .Where(s => s.AssessmentId == id && s.Round == assessment.Round)
                .LoadAsync(op.Cancellation);
            decide(assessment, op);
            await op.SaveAsync();
            Publish(op, assessment.Id, null, null, assessment.Status == AssessmentStatus.Accepted ? "accepted the assessment" : "returned the assessment with feedback");
            logger.LogInformation("Assessment {AssessmentId} round {Round} reviewed: {Status}", assessment.Id, assessment.Round, assessment.Status);
            return Done.Value;
        }, cancellationToken);

    /// <summary>Every returned round of the assessment with its feedback and the reviewer's name, newest first.</summary>
    private static async Task<IReadOnlyList<FeedbackRound>> FeedbackRoundsAsync(Operation op, FrameworkView framework, Guid assessmentId)
    {
        var rows = await (from f in op.Db.Feedback
                          join s in op.Db.Submissions on f.SubmissionId equals s.Id
                          join u in op.Db.Users on s.DecidedBy equals u.Id into reviewers
                          from u in reviewers.DefaultIfEmpty()
                          where s.AssessmentId == assessmentId && s.Decision == Decision.Returned
                          select new { s.Round, s.DecidedAt, Reviewer = u == null ? null : u.DisplayName, f.ElementId, f.Text, f.CreatedAt })
            .AsNoTracking().ToListAsync(op.Cancellation);
        return rows.GroupBy(r => r.Round)
            .OrderByDescending(g => g.Key)
            .Select(g => new FeedbackRound(
                g.Key,
                g.First().DecidedAt ?? g.Min(r => r.CreatedAt),
                string.IsNullOrWhiteSpace(g.First().Reviewer) ? "A statewide reviewer" : g.First().Reviewer!,
                g.OrderBy(r => r.ElementId is not null).ThenBy(r => r.CreatedAt)
                    .Select(r => new FeedbackView(r.ElementId is { } e && framework.ElementsById.TryGetValue(e, out var d) ? d.Code : null, r.Text, r.CreatedAt))
                    .ToList()))
            .ToList();
    }

    /// <summary>The organization's assessments as the choice of a previous cycle needs them (a few rows per organization).</summary>
    private static async Task<List<CycleCandidate>> CandidatesAsync(Operation op, Guid organizationId) =>
        await op.Db.Assessments.AsNoTracking().Where(a => a.OrganizationId == organizationId)
            .Select(a => new CycleCandidate(a.Id, a.Cycle, a.Status, a.SubmittedAt))
            .ToListAsync(op.Cancellation);

    /// <summary>The organization's latest accepted or submitted assessment of a cycle before <paramref name="cycle"/>, if any.</summary>
    private static async Task<PreviousCycleView?> PreviousCycleAsync(Operation op, Guid organizationId, string cycle)
    {
        return PreviousCycle.Choose(cycle, await CandidatesAsync(op, organizationId)) is { } chosen ? new PreviousCycleView(chosen.Id, chosen.Cycle, chosen.Status) : null;
    }

    /// <summary>
    /// The previous cycle's elements as it submitted them (its latest round that stands), keyed by element code: codes,
    /// not ids, match across framework versions.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, PreviousElementView>> PreviousElementsAsync(Operation op, PreviousCycleView previous, bool withEvidence)
    {
        var round = await op.Db.Submissions.AsNoTracking()
            .Where(s => s.AssessmentId == previous.Id && s.Decision != Decision.Withdrawn)
            .OrderByDescending(s => s.Round).Select(s => s.Id).FirstOrDefaultAsync(op.Cancellation);
        var elements = await (from e in op.Db.SubmittedElements
                              join d in op.Db.Elements on e.ElementId equals d.Id
                              where e.SubmissionId == round
                              select new { e.Id, d.Code, e.EvidenceNotes, e.EvidenceLinks })
            .AsNoTracking().ToListAsync(op.Cancellation);
        var answers = (await (from a in op.Db.SubmittedAnswers
                              join e in op.Db.SubmittedElements on a.SubmittedElementId equals e.Id
                              join c in op.Db.Criteria on a.CriterionId equals c.Id
                              where e.SubmissionId == round
                              select new { a.SubmittedElementId, c.Code, a.Kind, a.Answer })
            .AsNoTracking().ToListAsync(op.Cancellation)).ToLookup(a => a.SubmittedElementId);
        return elements.ToDictionary(
            e => e.Code,
            e => new PreviousElementView(previous.Cycle, new PreviousAnswers(answers[e.Id].ToDictionary(a => a.Code, a => (a.Kind, a.Answer))),
                withEvidence ? e.EvidenceNotes : string.Empty, withEvidence ? [.. e.EvidenceLinks] : [], withEvidence));
    }

    private static async Task<IReadOnlyList<ElementView>> WorkingElementsAsync(
        Operation op, FrameworkView framework, Guid assessmentId, IReadOnlyDictionary<string, PreviousElementView>? before)
    {
        var rows = await op.Db.ElementResponses.AsNoTracking().Where(e => e.AssessmentId == assessmentId)
            .Select(e => new { e.Id, e.ElementId, e.EvidenceNotes, e.EvidenceLinks, e.Priority, e.Version, e.EvidenceCarriedFrom })
            .ToListAsync(op.Cancellation);
        var answers = (await (from c in op.Db.CriterionResponses
                              join e in op.Db.ElementResponses on c.ElementResponseId equals e.Id
                              where e.AssessmentId == assessmentId
                              select new { c.ElementResponseId, c.CriterionId, c.Answer })
            .AsNoTracking().ToListAsync(op.Cancellation)).ToLookup(a => a.ElementResponseId);
        return rows.Where(r => framework.ElementsById.ContainsKey(r.ElementId))
            .Select(r => new ElementView(framework.ElementsById[r.ElementId], r.Id, answers[r.Id].ToDictionary(a => a.CriterionId, a => a.Answer))
            {
                EvidenceNotes = r.EvidenceNotes,
                EvidenceLinks = [.. r.EvidenceLinks],
                Priority = r.Priority,
                Version = r.Version,
                EvidenceCarriedFrom = r.EvidenceCarriedFrom,
                Previous = before?.GetValueOrDefault(framework.ElementsById[r.ElementId].Code),
            }.Loaded())
            .OrderBy(e => e.Definition.SectionCode, StringComparer.Ordinal).ThenBy(e => Order(framework, e))
            .ToList();
    }

    private static async Task<IReadOnlyList<ElementView>> SubmittedElementsAsync(
        Operation op, FrameworkView framework, Guid submissionId, IReadOnlyDictionary<string, PreviousElementView>? before)
    {
        var rows = await op.Db.SubmittedElements.AsNoTracking().Where(e => e.SubmissionId == submissionId)
            .Select(e => new { e.Id, e.ElementId, e.EvidenceNotes, e.EvidenceLinks, e.Priority, e.Version })
            .ToListAsync(op.Cancellation);
        var answers = (await (from a in op.Db.SubmittedAnswers
                              join e in op.Db.SubmittedElements on a.SubmittedElementId equals e.Id
                              where e.SubmissionId == submissionId
                              select new { a.SubmittedElementId, a.CriterionId, a.Answer })
            .AsNoTracking().ToListAsync(op.Cancellation)).ToLookup(a => a.SubmittedElementId);
        return rows.Where(r => framework.ElementsById.ContainsKey(r.ElementId))
            .Select(r => new ElementView(framework.ElementsById[r.ElementId], r.Id, answers[r.Id].ToDictionary(a => a.CriterionId, a => a.Answer))
            {
                EvidenceNotes = r.EvidenceNotes,
                EvidenceLinks = [.. r.EvidenceLinks],
                Priority = r.Priority,
                Version = r.Version,
                Previous = before?.GetValueOrDefault(framework.ElementsById[r.ElementId].Code),
            })
            .OrderBy(e => e.Definition.SectionCode, StringComparer.Ordinal).ThenBy(e => Order(framework, e))
            .ToList();
    }

    private static int Order(FrameworkView framework, ElementView element) =>
        framework.Sections.First(s => s.Code == element.Definition.SectionCode).Elements.ToList().IndexOf(element.Definition);
}
