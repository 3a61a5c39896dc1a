using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Partners;

/// <summary>A partner plan of a provider, and whether the provider's submitted readiness is shared with it now.</summary>
public sealed record PlanShare(Guid PlanId, string PlanName, PartnershipStatus Status, Guid? GrantId, Guid GrantVersion, DateTime? SharedAt, DateTime? LastRevokedAt)
{
    public bool IsShared => GrantId is not null;
}

/// <summary>One of the viewer's provider organizations: its latest submitted readiness and the plans it may share it with.</summary>
public sealed record ProviderSharing(Guid Id, string Name, bool CanManage, SharedReadiness? Latest, IReadOnlyList<PlanShare> Plans);

/// <summary>
/// A provider chooses which partner plans may read its submitted readiness (section B): a share given to a plan it is in
/// a partnership with, revocable at any time. A revoked share grants nothing from the next operation on, and the pages
/// that showed it are told at once (<see cref="ISharingSignals"/>).
/// </summary>
public sealed class ReadinessService(OperationRunner operations, ISharingSignals signals)
{
    private const string OnlyManagers = "Only a manager of the provider can choose whom it shares its readiness with.";

    public Task<Outcome<IReadOnlyList<ProviderSharing>>> GetAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<ProviderSharing>>(principal, async op =>
        {
            var own = op.Viewer.OrganizationIds;
            var providers = await op.Db.Organizations.AsNoTracking()
                .Where(o => own.Contains(o.Id) && o.Kind == OrganizationKind.PalliativeCareProvider)
                .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(op.Cancellation);
            var ids = providers.Select(p => p.Id).ToList();
            var partners = await op.Db.Partnerships.AsNoTracking().Where(p => ids.Contains(p.ProviderOrganizationId))
                .Select(p => new { p.ProviderOrganizationId, p.PlanOrganizationId, PlanName = p.Plan!.Name, p.Status }).ToListAsync(op.Cancellation);
            var grants = await op.Db.ShareGrants.AsNoTracking()
                .Where(g => ids.Contains(g.OwnerOrganizationId) && g.Kind == ShareKind.SubmittedReadiness).ToListAsync(op.Cancellation);
            var result = new List<ProviderSharing>();
            foreach (var provider in providers)
            {
                var plans = partners.Where(p => p.ProviderOrganizationId == provider.Id)
                    .OrderBy(p => p.PlanName, StringComparer.Ordinal)
                    .Select(p =>
                    {
                        var mine = grants.Where(g => g.OwnerOrganizationId == provider.Id && g.GranteeOrganizationId == p.PlanOrganizationId).ToList();
                        var active = mine.FirstOrDefault(g => g.IsActive);
                        return new PlanShare(p.PlanOrganizationId, p.PlanName, p.Status, active?.Id, active?.Version ?? Guid.Empty, active?.GrantedAt,
                            mine.Where(g => !g.IsActive).Max(g => g.RevokedAt));
                    })
                    .ToList();
                result.Add(new ProviderSharing(provider.Id, provider.Name, op.Viewer.May(OrganizationPermission.ManagePartners, provider.Id),
                    await PartnerService.LatestReadinessAsync(op, provider.Id), plans));
            }

            return result;
        }, cancellationToken);

    /// <summary>Lets a partner plan read the provider's submitted readiness.</summary>
    public async Task<Outcome<Done>> ShareAsync(ClaimsPrincipal principal, Guid providerId, Guid planId, CancellationToken cancellationToken = default)
    {
        var outcome = await operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(OrganizationPermission.ManagePartners, providerId, OnlyManagers);
            var partnership = await op.Db.Partnerships.Include(p => p.Plan).Include(p => p.Provider)
                .SingleOrDefaultAsync(p => p.ProviderOrganizationId == providerId && p.PlanOrganizationId == planId, op.Cancellation);
            if (partnership is null)
            {
                return Failure.Refuse("Readiness is shared with partner plans only: this plan has no partnership with the provider.");
            }

            if (partnership.Status == PartnershipStatus.Ended)
            {
                return Failure.Refuse($"The partnership with {partnership.Plan!.Name} has ended: readiness is shared with current partners only.");
            }

            if (await op.Db.ShareGrants.StandingReadiness(providerId, planId).AnyAsync(op.Cancellation))
            {
                return Failure.Refuse($"The readiness is already shared with {partnership.Plan!.Name}.");
            }

            op.Db.ShareGrants.Add(ShareGrant.Grant(partnership.Provider!, partnership.Plan!, ShareKind.SubmittedReadiness, op.Now, op.Viewer.UserId));
            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException)
            {
                // Shared a moment ago from another page (one standing share per provider and plan).
                return Failure.Refuse($"The readiness is already shared with {partnership.Plan!.Name}.");
            }

            return Done.Value;
        }, cancellationToken);
        if (outcome.Succeeded)
        {
            signals.Tell(providerId);
        }

        return outcome;
    }

    /// <summary>Takes a share back: the plan reads nothing more of the provider's readiness, on its open pages too.</summary>
    public async Task<Outcome<Done>> RevokeAsync(ClaimsPrincipal principal, Guid providerId, Guid grantId, Guid expectedVersion, CancellationToken cancellationToken = default)
    {
        var outcome = await operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(OrganizationPermission.ManagePartners, providerId, OnlyManagers);
            var grant = await op.Db.ShareGrants.SingleOrDefaultAsync(
                g => g.Id == grantId && g.OwnerOrganizationId == providerId && g.Kind == ShareKind.SubmittedReadiness, op.Cancellation);
            if (grant is null)
            {
                return Failure.Missing("That share does not exist, or you do not have access to it.");
            }

            op.ExpectVersion(grant, expectedVersion);
            grant.Revoke(op.Now, op.Viewer.UserId);
            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);
        if (outcome.Succeeded)
        {
            signals.Tell(providerId);
        }

        return outcome;
    }
}
