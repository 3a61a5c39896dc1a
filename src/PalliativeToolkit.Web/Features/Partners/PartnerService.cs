using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Admin;

namespace PalliativeToolkit.Web.Features.Partners;

/// <summary>
/// A plan's palliative care provider partners. A plan's manager adds (an existing provider, or a new one invited with
/// its manager's account), changes the terms and records each change of status; the plan's members read them; the
/// provider's members read the partnerships that concern them. A partnership is never deleted: it ends, and keeps its
/// history.
/// </summary>
public sealed class PartnerService(
    OperationRunner operations,
    Invitations invitations,
    InvitationLimit invitationLimit,
    ISharingSignals sharing,
    ILogger<PartnerService> logger,
    TimeProvider time)
{
    private const string OnlyManagers = "Only a manager of the plan can change its partners.";
    private const string NotFound = "That partnership does not exist, or you do not have access to it.";
    private readonly SavePartnershipValidator _saveValidator = new(time);
    private readonly ChangePartnershipStatusValidator _statusValidator = new(time);

    public Task<Outcome<PartnersView>> GetAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<PartnersView>(principal, async op =>
        {
            var own = op.Viewer.OrganizationIds;
            var mine = await op.Db.Organizations.AsNoTracking().Where(o => own.Contains(o.Id))
                .Select(o => new { o.Id, o.Name, o.Kind, o.CountyFips }).ToListAsync(op.Cancellation);
            var plans = mine.Where(o => o.Kind == OrganizationKind.ManagedCarePlan).OrderBy(o => o.Name, StringComparer.Ordinal)
                .Select(o => new PlanArea(o.Id, o.Name, o.CountyFips, op.Viewer.May(OrganizationPermission.ManagePartners, o.Id))).ToList();
            var rows = await Rows(op.Db.Partnerships.Where(p => own.Contains(p.PlanOrganizationId) || own.Contains(p.ProviderOrganizationId)))
                .ToListAsync(op.Cancellation);
            var providers = plans.Any(p => p.CanManage)
                ? await op.Db.Organizations.AsNoTracking().Where(o => o.Kind == OrganizationKind.PalliativeCareProvider)
                    .OrderBy(o => o.Name).Select(o => new OrganizationChoice(o.Id, o.Name)).ToListAsync(op.Cancellation)
                : [];
            return new PartnersView(
                plans,
                Sorted(rows.Where(r => own.Contains(r.PlanId))),
                providers,
                Sorted(rows.Where(r => own.Contains(r.ProviderId))));
        }, cancellationToken);

    public Task<Outcome<PartnerDetail>> GetPartnerAsync(ClaimsPrincipal principal, Guid id, CancellationToken cancellationToken = default) =>
        operations.RunAsync<PartnerDetail>(principal, async op =>
        {
            var row = await Rows(op.Db.Partnerships.Where(p => p.Id == id)).SingleOrDefaultAsync(op.Cancellation);
            if (row is null)
            {
                return Failure.Missing(NotFound);
            }

            var extra = await op.Db.Partnerships.AsNoTracking().Where(p => p.Id == id)
                .Select(p => new { p.Version, p.ContractStart, PlanCounties = p.Plan!.CountyFips }).SingleAsync(op.Cancellation);
            var contacts = await op.Db.Set<PartnershipContact>().AsNoTracking().Where(c => c.PartnershipId == id).OrderBy(c => c.Order)
                .Select(c => new PartnerContact(c.Side, c.Name, c.Title, c.Email, c.Phone)).ToListAsync(op.Cancellation);
            var history = await (from h in op.Db.Set<PartnershipStatusChange>()
                                 where h.PartnershipId == id
                                 join u in op.Db.Users on h.RecordedBy equals u.Id into users
                                 from u in users.DefaultIfEmpty()
                                 orderby h.RecordedAt
                                 select new StatusEntry(h.Status, h.EffectiveOn, h.RecordedAt, u != null ? u.DisplayName : h.RecordedBy))
                .AsNoTracking().ToListAsync(op.Cancellation);
            var shared = await op.Db.ShareGrants.AsNoTracking().StandingReadiness(row.ProviderId, row.PlanId).AnyAsync(op.Cancellation);
            return new PartnerDetail(
                row,
                extra.Version,
                op.Viewer.May(OrganizationPermission.ManagePartners, row.PlanId),
                op.Viewer.OrganizationIds.Contains(row.ProviderId),
                extra.ContractStart,
                contacts,
                history,
                extra.PlanCounties,
                shared,
                await LatestReadinessAsync(op, row.ProviderId),
                await JointService.ListAsync(op, id),
                row.Status == PartnershipStatus.Active
                    && (op.Viewer.May(OrganizationPermission.StartAssessments, row.PlanId) || op.Viewer.May(OrganizationPermission.StartAssessments, row.ProviderId)));
        }, cancellationToken);

    /// <summary>
    /// The provider's latest submitted readiness that the viewer may read, with the change since its previous cycle: the
    /// access filters decide (the provider's members, reviewers, and plans it shares with while the share stands), so a
    /// plan without a share reads nothing here.
    /// </summary>
    internal static async Task<SharedReadiness?> LatestReadinessAsync(Operation op, Guid providerId)
    {
        var byCycle = await StandingReadinessAsync(op, providerId);
        if (byCycle.Count == 0)
        {
            return null;
        }

        var latest = byCycle[0];
        var previous = byCycle.Skip(1).FirstOrDefault();
        var ids = new[] { latest.Id, previous?.Id ?? latest.Id };
        var answers = await (from answer in op.Db.SubmittedAnswers
                             join element in op.Db.SubmittedElements on answer.SubmittedElementId equals element.Id
                             where ids.Contains(element.SubmissionId)
                             join definition in op.Db.Elements on element.ElementId equals definition.Id
                             where definition.Section!.Audience == Audience.Provider
                             select new { element.SubmissionId, definition.Code, definition.Title, SectionOrder = definition.Section!.Order, definition.Order, answer.Kind, answer.Answer })
            .AsNoTracking().ToListAsync(op.Cancellation);
        Dictionary<string, Level> Levels(Guid submissionId) => answers.Where(a => a.SubmissionId == submissionId).GroupBy(a => a.Code)
            .ToDictionary(g => g.Key, g => Scoring.LevelOf(g.Select(a => (a.Kind, a.Answer)).ToList()));
        var now = Levels(latest.Id);
        var before = previous is null ? null : Levels(previous.Id);
        var elements = answers.Where(a => a.SubmissionId == latest.Id).DistinctBy(a => a.Code)
            .OrderBy(a => a.SectionOrder).ThenBy(a => a.Order)
            .Select(a => new ReadinessElement(a.Code, a.Title, now[a.Code], before is null ? null : before.TryGetValue(a.Code, out var then) ? then : null))
            .ToList();
        return new SharedReadiness(latest.AssessmentId, latest.Cycle, latest.Round, latest.SubmittedAt, latest.Decision, previous?.Cycle, elements);
    }

    /// <summary>
    /// The provider's submitted readiness that stands, as far as the viewer may read it: per cycle, the latest round not
    /// taken back; latest cycle first.
    /// </summary>
    internal static async Task<IReadOnlyList<StandingReadiness>> StandingReadinessAsync(Operation op, Guid providerId)
    {
        var rounds = await (from s in op.Db.Submissions
                            where s.OrganizationId == providerId && s.Decision != Decision.Withdrawn
                            join a in op.Db.Assessments on s.AssessmentId equals a.Id
                            select new StandingReadiness(s.Id, a.Id, a.Cycle, s.Round, s.SubmittedAt, s.Decision))
            .AsNoTracking().ToListAsync(op.Cancellation);
        return rounds.GroupBy(r => r.Cycle).Select(g => g.MaxBy(r => r.Round)!)
            .OrderByDescending(r => r.Cycle, ReportingCycle.LabelOrder).ToList();
    }

    /// <summary>Adds a partnership, or changes one's terms.</summary>
    public Task<Outcome<PartnerSaved>> SaveAsync(ClaimsPrincipal principal, SavePartnershipCommand command, Uri portal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<SavePartnershipCommand, PartnerSaved>(principal, command, _saveValidator, async op =>
        {
            op.Demand(OrganizationPermission.ManagePartners, command.PlanOrganizationId, OnlyManagers);
            var plan = await op.Db.Organizations.SingleOrDefaultAsync(
                o => o.Id == command.PlanOrganizationId && o.Kind == OrganizationKind.ManagedCarePlan, op.Cancellation);
            if (plan is null)
            {
                return Failure.FieldError(nameof(SavePartnershipCommand.PlanOrganizationId), "Choose one of your plans.");
            }

            var outside = command.CountyFips.Where(f => !plan.CountyFips.Contains(f)).Select(CaliforniaCounties.ByFips).OfType<CaliforniaCounty>().ToList();
            if (outside.Count > 0)
            {
                return Failure.FieldError(nameof(SavePartnershipCommand.CountyFips),
                    $"{string.Join(", ", outside.Select(c => c.Name))} {(outside.Count == 1 ? "is" : "are")} not in {plan.Name}'s service area; choose among its counties.");
            }

            if (command.Id is { } id)
            {
                var partnership = await op.Db.Partnerships.Include(p => p.Contacts)
                    .SingleOrDefaultAsync(p => p.Id == id && p.PlanOrganizationId == plan.Id, op.Cancellation);
                if (partnership is null)
                {
                    return Failure.Missing(NotFound);
                }

                op.ExpectVersion(partnership, command.ExpectedVersion);
                partnership.Revise(command.Terms());
                await op.SaveAsync();
                return new PartnerSaved(partnership.Id);
            }

            return await AddAsync(op, plan, command, portal);
        }, cancellationToken);

    private async Task<Outcome<PartnerSaved>> AddAsync(Operation op, Organization plan, SavePartnershipCommand command, Uri portal)
    {
        Organization? provider;
        if (command.InviteNewProvider)
        {
            var name = command.NewProviderName.Trim();
            var normalized = Organization.NormalizeName(name);
            var existing = await op.Db.Organizations.AsNoTracking().Where(o => o.NormalizedName == normalized).Select(o => new { o.Kind }).FirstOrDefaultAsync(op.Cancellation);
            if (existing is not null)
            {
                return Failure.FieldError(nameof(SavePartnershipCommand.NewProviderName), existing?.Kind == OrganizationKind.PalliativeCareProvider
                    ? $"{name} is already in the portal: choose it from the list of providers instead."
                    : NameTaken(name));
            }

            var users = op.Services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PalliativeToolkit.Infrastructure.Identity.ApplicationUser>>();
            if (await users.FindByEmailAsync(command.NewProviderManagerEmail.Trim()) is not null)
            {
                return Failure.FieldError(nameof(SavePartnershipCommand.NewProviderManagerEmail),
                    "This address already has an account. Pick the provider from the list if it is in the portal, or ask an administrator.");
            }

            if (invitationLimit.Take(op) is { } tooMany)
            {
                return tooMany;
            }

            // The provider starts with the partnership's counties; its manager completes its profile.
            provider = new Organization(name, OrganizationKind.PalliativeCareProvider, command.Terms().Counties);
            op.Db.Organizations.Add(provider);
            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException)
            {
                // Names are unique across the portal, among organizations a plan's manager cannot see too.
                return Failure.FieldError(nameof(SavePartnershipCommand.NewProviderName), NameTaken(name));
            }

            var created = await invitations.CreateAccountAsync(
                op, command.NewProviderManagerEmail, command.NewProviderManagerName, [], (provider.Id, OrganizationRole.Manager),
                nameof(SavePartnershipCommand.NewProviderManagerEmail), "This address already has an account; ask an administrator.");
            if (!created.Succeeded)
            {
                // Nothing refers to the organization created a moment ago: it goes, so a retry can use the name. What the
                // failed account creation left tracked is dropped first, so it is not tried again.
                op.Db.ChangeTracker.Clear();
                op.Db.Organizations.Remove(provider);
                await op.SaveAsync();
                return created.Failure!;
            }

            var partnership = await StartAsync(op, plan, provider, command);
            if (!partnership.Succeeded)
            {
                return partnership.Failure!;
            }

            var sent = await invitations.SendPasswordLinkAsync(op, created.Value, portal, $"Manager of {provider.Name}, partner of {plan.Name}", "The provider and its manager's account were created");
            if (!sent.Succeeded)
            {
                // The partnership, the provider and its manager's account exist: the page says the email did not go.
                logger.LogWarning("The invitation of the new provider {ProviderId}'s manager could not be emailed", provider.Id);
                return new PartnerSaved(partnership.Value, InvitationNotSent: true);
            }

            return new PartnerSaved(partnership.Value);
        }

        provider = await op.Db.Organizations.SingleOrDefaultAsync(
            o => o.Id == command.ProviderOrganizationId && o.Kind == OrganizationKind.PalliativeCareProvider, op.Cancellation);
        if (provider is null)
        {
            return Failure.FieldError(nameof(SavePartnershipCommand.ProviderOrganizationId), "Choose a provider from the list.");
        }

        var already = await op.Db.Partnerships.AsNoTracking()
            .Where(p => p.PlanOrganizationId == plan.Id && p.ProviderOrganizationId == provider.Id)
            .Select(p => new { p.Status }).FirstOrDefaultAsync(op.Cancellation);
        if (already is not null)
        {
            return Failure.FieldError(nameof(SavePartnershipCommand.ProviderOrganizationId), already.Status == PartnershipStatus.Ended
                ? $"{provider.Name} was a partner of {plan.Name}; open that partnership and change its status to take it up again."
                : $"{provider.Name} is already a partner of {plan.Name} ({already.Status.Describe().ToLowerInvariant()}).");
        }

        var started = await StartAsync(op, plan, provider, command);
        return started.Succeeded ? new PartnerSaved(started.Value) : started.Failure!;
    }

    private static string NameTaken(string name) => $"An organization named {name} already exists; check the name, or ask an administrator.";

    private static async Task<Outcome<Guid>> StartAsync(Operation op, Organization plan, Organization provider, SavePartnershipCommand command)
    {
        var since = SavePartnershipCommand.DateOf(command.StatusSince)!.Value;
        var partnership = Partnership.Start(plan, provider, command.Status, since, command.Terms(), op.Now, op.Viewer.UserId);
        op.Db.Partnerships.Add(partnership);
        try
        {
            await op.SaveAsync();
        }
        catch (DbUpdateException)
        {
            // Someone added the same partner a moment ago (one partnership per plan and provider).
            return Failure.FieldError(nameof(SavePartnershipCommand.ProviderOrganizationId), $"{provider.Name} was just added as a partner of {plan.Name}; reload the page to see it.");
        }

        return partnership.Id;
    }

    /// <summary>
    /// Records a change of status. Ending a partnership also revokes the provider's share of its readiness with the plan:
    /// readiness is shared with current partners only (the provider can share again if the partnership is taken up).
    /// </summary>
    public async Task<Outcome<Done>> ChangeStatusAsync(ClaimsPrincipal principal, ChangePartnershipStatusCommand command, CancellationToken cancellationToken = default)
    {
        Guid? revokedFrom = null;
        var outcome = await operations.RunAsync<ChangePartnershipStatusCommand, Done>(principal, command, _statusValidator, async op =>
        {
            var partnership = await op.Db.Partnerships.SingleOrDefaultAsync(p => p.Id == command.Id, op.Cancellation);
            if (partnership is null)
            {
                return Failure.Missing(NotFound);
            }

            op.Demand(OrganizationPermission.ManagePartners, partnership.PlanOrganizationId, OnlyManagers);
            op.ExpectVersion(partnership, command.ExpectedVersion);
            if (command.Status == partnership.Status)
            {
                return Failure.FieldError(nameof(ChangePartnershipStatusCommand.Status), $"The partnership is already {command.Status.Describe().ToLowerInvariant()}.");
            }

            try
            {
                partnership.ChangeStatus(command.Status, SavePartnershipCommand.DateOf(command.EffectiveOn)!.Value, op.Now, op.Viewer.UserId);
            }
            catch (Domain.Common.DomainException ex)
            {
                return Failure.FieldError(nameof(ChangePartnershipStatusCommand.EffectiveOn), ex.Message);
            }

            if (partnership.Status == PartnershipStatus.Ended)
            {
                var shares = await op.Db.ShareGrants.StandingReadiness(partnership.ProviderOrganizationId, partnership.PlanOrganizationId)
                    .ToListAsync(op.Cancellation);
                shares.ForEach(g => g.Revoke(op.Now, op.Viewer.UserId));
                revokedFrom = shares.Count > 0 ? partnership.ProviderOrganizationId : null;

                // Documents either side shared with the other stop being shared too.
                var (plan, provider) = (partnership.PlanOrganizationId, partnership.ProviderOrganizationId);
                op.Db.DocumentShares.RemoveRange(await op.Db.DocumentShares
                    .Where(d => (d.OwnerOrganizationId == plan && d.GranteeOrganizationId == provider) || (d.OwnerOrganizationId == provider && d.GranteeOrganizationId == plan))
                    .ToListAsync(op.Cancellation));
            }

            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);
        if (outcome.Succeeded && revokedFrom is { } provider)
        {
            sharing.Tell(provider);
        }

        return outcome;
    }

    private static IQueryable<PartnerRow> Rows(IQueryable<Partnership> partnerships) =>
        partnerships.AsNoTracking().Select(p => new PartnerRow(
            p.Id, p.PlanOrganizationId, p.Plan!.Name, p.ProviderOrganizationId, p.Provider!.Name, p.Status, p.StatusSince,
            p.CountyFips, p.Services, p.MonthlyReferralCapacity, p.ContractEnd));

    private static List<PartnerRow> Sorted(IEnumerable<PartnerRow> rows) =>
        rows.OrderBy(r => r.Status == PartnershipStatus.Ended).ThenBy(r => r.PlanName, StringComparer.Ordinal).ThenBy(r => r.ProviderName, StringComparer.Ordinal).ToList();
}
