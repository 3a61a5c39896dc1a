using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Assessments;

/// <summary>Everything a page does with assessments. Each operation uses its own short-lived DbContext and checks access itself.</summary>
public sealed class AssessmentService(
    IDbContextFactory<ToolkitDbContext> dbFactory,
    TimeProvider time,
    ILogger<AssessmentService> logger)
{
    private readonly StartAssessmentValidator _startValidator = new();
    private readonly SaveElementValidator _saveValidator = new();
    private readonly ReturnAssessmentValidator _returnValidator = new();

    public async Task<AssessmentListView> ListAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await AccessScope.ForAsync(db, principal, time, cancellationToken);
        var own = user.Memberships.Keys.ToList();
        // Progress needs each element's criteria answers, nothing more: no feedback, no sections.
        var assessments = await db.VisibleAssessments(user).Where(a => own.Contains(a.OrganizationId))
            .Include(a => a.Organization)
            .Include(a => a.FrameworkVersion)
            .Include(a => a.Elements).ThenInclude(e => e.Criteria).ThenInclude(c => c.Criterion)
            .AsSplitQuery()
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        var items = assessments
            .OrderBy(a => a.Organization!.Name).ThenByDescending(a => a.Cycle)
            .Select(a => new AssessmentListItem(a.Id, a.OrganizationId, a.Organization!.Name, a.Cycle, a.FrameworkVersion!.Label, a.Status, a.Progress(), a.CreatedAt))
            .ToList();
        var managed = user.Memberships.Where(m => m.Value == OrganizationRole.Manager).Select(m => m.Key).ToList();
        var startable = await db.VisibleOrganizations(user)
            .Where(o => managed.Contains(o.Id) && o.Kind != OrganizationKind.StatewideSupport)
            .OrderBy(o => o.Name)
            .Select(o => new { o.Id, o.Name })
            .ToListAsync(cancellationToken);
        return new AssessmentListView(
            items,
            startable.Select(o => new StartableOrganization(o.Id, o.Name, items.Where(i => i.OrganizationId == o.Id).Select(i => i.Cycle).ToList())).ToList());
    }

    public async Task<OperationResult> StartAsync(ClaimsPrincipal principal, StartAssessmentCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var validation = await _startValidator.ValidateAsync(command, cancellationToken);
        if (!validation.IsValid)
        {
            return OperationResult.Invalid(validation);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await AccessScope.ForAsync(db, principal, time, cancellationToken);
        if (!user.CanManage(command.OrganizationId))
        {
            return OperationResult.Refused("Only a manager of this organization can start an assessment.");
        }

        var organization = await db.VisibleOrganizations(user).SingleOrDefaultAsync(o => o.Id == command.OrganizationId, cancellationToken);
        if (organization is null)
        {
            return OperationResult.Refused("That organization does not exist or you do not belong to it.");
        }

        var framework = await db.CurrentFrameworkAsync(cancellationToken);
        var cycle = command.Cycle.Trim();
        if (await db.Assessments.AnyAsync(a => a.OrganizationId == organization.Id && a.FrameworkVersionId == framework.Id && a.Cycle == cycle, cancellationToken))
        {
            return OperationResult.Invalid(new FluentValidation.Results.ValidationResult(
                [new FluentValidation.Results.ValidationFailure(nameof(StartAssessmentCommand.Cycle), $"{organization.Name} already has an assessment for cycle {cycle}.")]));
        }

        Assessment? previous = null;
        if (command.CopyFromPrevious)
        {
            previous = await LoadGraph(db.Assessments.Where(a => a.OrganizationId == organization.Id))
                .OrderByDescending(a => a.CreatedAt)
                .FirstOrDefaultAsync(cancellationToken);
        }

        try
        {
            var assessment = Assessment.Start(organization, framework, cycle, time.GetUtcNow().UtcDateTime, user.UserId, previous);
            db.Assessments.Add(assessment);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Assessment {AssessmentId} started for organization {OrganizationId}, cycle {Cycle}", assessment.Id, organization.Id, cycle);
            return OperationResult.Ok(assessment.Id);
        }
        catch (DomainException ex)
        {
            return OperationResult.Refused(ex.Message);
        }
    }

    /// <summary>The assessment as the user may see it, or null when it does not exist or is not visible to them.</summary>
    public async Task<AssessmentView?> GetAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await AccessScope.ForAsync(db, principal, time, cancellationToken);
        var assessment = await LoadGraph(db.VisibleAssessments(user).Where(a => a.Id == id))
            .Include(a => a.Elements).ThenInclude(e => e.Element!).ThenInclude(e => e.Resources).ThenInclude(r => r.Resource)
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);
        return assessment is null ? null : ToView(assessment, user);
    }

    public async Task<OperationResult> SaveElementAsync(ClaimsPrincipal principal, SaveElementCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var validation = await _saveValidator.ValidateAsync(command, cancellationToken);
        if (!validation.IsValid)
        {
            return OperationResult.Invalid(validation);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await AccessScope.ForAsync(db, principal, time, cancellationToken);
        var assessment = await db.VisibleAssessments(user)
            .Include(a => a.Elements.Where(e => e.Id == command.ElementResponseId)).ThenInclude(e => e.Criteria)
            .SingleOrDefaultAsync(a => a.Id == command.AssessmentId, cancellationToken);
        var element = assessment?.Elements.SingleOrDefault();
        if (assessment is null || element is null)
        {
            return OperationResult.NotFound();
        }

        if (!user.CanEdit(assessment.OrganizationId))
        {
            return OperationResult.Refused("You can read this assessment but not change it.");
        }

        try
        {
            assessment.EnsureEditable();
            db.Entry(element).Property(e => e.Version).OriginalValue = command.ExpectedVersion;
            element.Record(command.Answers, command.EvidenceNotes, command.EvidenceLinks, command.Priority);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult.Ok(element.Id, element.Version);
        }
        catch (DomainException ex)
        {
            return OperationResult.Refused(ex.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Stale save refused for element response {ElementResponseId}", command.ElementResponseId);
            return OperationResult.Conflict();
        }
    }

    public Task<OperationResult> SubmitAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        TransitionAsync(principal, id, (a, u) =>
        {
            if (!u.CanManage(a.OrganizationId))
            {
                throw new DomainException("Only a manager of this organization can submit the assessment.");
            }

            a.Submit(time.GetUtcNow().UtcDateTime, u.UserId);
        }, cancellationToken);

    public Task<OperationResult> AcceptAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        TransitionAsync(principal, id, (a, u) =>
        {
            RequireReviewer(u);
            a.Accept(time.GetUtcNow().UtcDateTime, u.UserId);
        }, cancellationToken);

    public async Task<OperationResult> ReturnAsync(ClaimsPrincipal principal, ReturnAssessmentCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var validation = await _returnValidator.ValidateAsync(command, cancellationToken);
        if (!validation.IsValid)
        {
            return OperationResult.Invalid(validation);
        }

        var feedback = command.ElementFeedback
            .Where(f => !string.IsNullOrWhiteSpace(f.Value))
            .Select(f => ((Guid?)f.Key, f.Value))
            .Prepend((null, command.GeneralFeedback))
            .ToList();
        return await TransitionAsync(principal, command.AssessmentId, (a, u) =>
        {
            RequireReviewer(u);
            a.Return(time.GetUtcNow().UtcDateTime, u.UserId, feedback);
        }, cancellationToken);
    }

    private static void RequireReviewer(UserContext user)
    {
        if (!user.IsReviewer)
        {
            throw new DomainException("Only a statewide reviewer can review a submitted assessment.");
        }
    }

    private async Task<OperationResult> TransitionAsync(ClaimsPrincipal principal, Guid id, Action<Assessment, UserContext> transition, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await AccessScope.ForAsync(db, principal, time, cancellationToken);
        var assessment = await LoadGraph(db.VisibleAssessments(user).Where(a => a.Id == id)).SingleOrDefaultAsync(cancellationToken);
        if (assessment is null)
        {
            return OperationResult.NotFound();
        }

        try
        {
            transition(assessment, user);
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult.Ok(assessment.Id);
        }
        catch (DomainException ex)
        {
            return OperationResult.Refused(ex.Message, ex.Details);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult.Conflict();
        }
    }

    private static IQueryable<Assessment> LoadGraph(IQueryable<Assessment> query) =>
        query
            .Include(a => a.Organization)
            .Include(a => a.FrameworkVersion)
            .Include(a => a.Feedback)
            .Include(a => a.Elements).ThenInclude(e => e.Criteria).ThenInclude(c => c.Criterion)
            .Include(a => a.Elements).ThenInclude(e => e.Element!).ThenInclude(e => e.Section)
            .AsSplitQuery();

    private static AssessmentView ToView(Assessment assessment, UserContext user)
    {
        var codes = assessment.Elements.ToDictionary(e => e.ElementId, e => e.Element!.Code);
        var sections = assessment.Elements
            .GroupBy(e => e.Element!.SectionId)
            .Select(g => (Section: g.First().Element!.Section!, Elements: g))
            .OrderBy(g => g.Section.Order)
            .Select(g => new SectionView(
                g.Section.Code, g.Section.Title, g.Section.Summary, g.Section.Audience, g.Section.ProgressNote,
                g.Elements.OrderBy(e => e.Element!.Order).Select(e => new ElementView
                {
                    ElementResponseId = e.Id,
                    ElementId = e.ElementId,
                    SectionCode = g.Section.Code,
                    Code = e.Element!.Code,
                    Title = e.Element.Title,
                    Description = e.Element.Description,
                    Provenance = e.Element.Provenance,
                    MinimumText = e.Element.MinimumText,
                    EnhancementText = e.Element.EnhancementText,
                    Criteria = e.Criteria.OrderBy(c => c.Kind).ThenBy(c => c.Criterion!.Order).Select(c => new CriterionView
                    {
                        CriterionId = c.CriterionId,
                        Code = c.Criterion!.Code,
                        Kind = c.Kind,
                        Text = c.Criterion.Text,
                        Provenance = c.Criterion.Provenance,
                        AplReference = c.Criterion.AplReference,
                        Answer = c.Answer,
                    }).ToList(),
                    Resources = e.Element.Resources.Where(r => r.Resource is not null)
                        .Select(r => new ResourceView(r.Resource!.Title, r.Resource.Format, r.Resource.Publisher, r.Resource.Url, r.Resource.Provenance)).ToList(),
                    Feedback = assessment.Feedback.Where(f => f.ElementId == e.ElementId).OrderBy(f => f.CreatedAt).Select(f => f.Text).ToList(),
                    EvidenceNotes = e.EvidenceNotes,
                    EvidenceLinks = [.. e.EvidenceLinks],
                    Priority = e.Priority,
                    Version = e.Version,
                }).ToList()))
            .ToList();

        return new AssessmentView
        {
            Id = assessment.Id,
            OrganizationId = assessment.OrganizationId,
            OrganizationName = assessment.Organization!.Name,
            Cycle = assessment.Cycle,
            FrameworkLabel = assessment.FrameworkVersion!.Label,
            FrameworkTitle = assessment.FrameworkVersion.Title,
            Status = assessment.Status,
            SubmittedAt = assessment.SubmittedAt,
            ReviewedAt = assessment.ReviewedAt,
            Sections = sections,
            Feedback = assessment.Feedback.OrderBy(f => f.CreatedAt)
                .Select(f => new FeedbackView(f.ElementId is { } eid && codes.TryGetValue(eid, out var code) ? code : null, f.Text, f.CreatedAt)).ToList(),
            CanEdit = assessment.IsEditable && user.CanEdit(assessment.OrganizationId),
            CanSubmit = assessment.IsEditable && user.CanManage(assessment.OrganizationId),
            CanReview = assessment.Status == AssessmentStatus.Submitted && user.IsReviewer,
        };
    }
}
