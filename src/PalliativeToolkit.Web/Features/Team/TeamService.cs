using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Web.Features.Admin;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Team;

/// <summary>
/// The people of the user's own organizations. Every member reads the list; a manager adds people, changes their role
/// and removes them, in the organizations they manage only, and never changes their own membership.
/// </summary>
public sealed class TeamService(
    IDbContextFactory<ToolkitDbContext> dbFactory,
    Invitations invitations,
    ILookupNormalizer normalizer,
    TimeProvider time,
    ILogger<TeamService> logger)
{
    private const string OnlyManagers = "Only a manager of this organization can change its people.";
    private const string NotYourself = "You cannot change your own membership; ask another manager or an administrator.";
    private readonly AddTeamMemberValidator _addValidator = new();

    public async Task<IReadOnlyList<TeamOrganization>> GetAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await AccessScope.ForAsync(db, principal, time, cancellationToken);
        var own = user.Memberships.Keys.ToList();
        var organizations = await db.VisibleOrganizations(user).Where(o => own.Contains(o.Id))
            .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name, o.Kind }).ToListAsync(cancellationToken);
        var members = await (from m in db.Memberships
                             join u in db.Users on m.UserId equals u.Id
                             where own.Contains(m.OrganizationId)
                             select new { m.OrganizationId, m.UserId, u.DisplayName, u.Email, m.Role, m.Version, u.LockoutEnd, HasPassword = u.PasswordHash != null })
            .AsNoTracking().ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return organizations.Select(o => new TeamOrganization(
            o.Id, o.Name, o.Kind, user.RoleIn(o.Id)!.Value,
            members.Where(m => m.OrganizationId == o.Id)
                .OrderByDescending(m => m.Role).ThenBy(m => m.DisplayName, StringComparer.Ordinal)
                .Select(m => new TeamMember(m.UserId, m.DisplayName, m.Email ?? string.Empty, m.Role,
                    m.LockoutEnd > now ? AccountState.Locked : m.HasPassword ? AccountState.Active : AccountState.Invited,
                    m.UserId == user.UserId, m.Version))
                .ToList())).ToList();
    }

    public async Task<OperationResult> AddAsync(ClaimsPrincipal principal, AddTeamMemberCommand command, Uri portal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var validation = await _addValidator.ValidateAsync(command, cancellationToken);
        if (!validation.IsValid)
        {
            return OperationResult.Invalid(validation);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await AccessScope.ForAsync(db, principal, time, cancellationToken);
        if (!user.CanManage(command.OrganizationId))
        {
            return OperationResult.Refused(OnlyManagers);
        }

        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == command.OrganizationId, cancellationToken);
        // Someone already in the team is named: the manager sees the team anyway.
        var normalized = normalizer.NormalizeEmail(command.Email.Trim());
        var member = await (from m in db.Memberships
                            join u in db.Users on m.UserId equals u.Id
                            where m.OrganizationId == organization.Id && u.NormalizedEmail == normalized
                            select u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        if (member is not null)
        {
            return OperationResult.FieldError(nameof(AddTeamMemberCommand.Email), $"{member} already belongs to {organization.Name}.");
        }

        // An account that already exists belongs to someone an administrator knows; a manager can't enrol it (nor learn whose it is).
        var (created, refusal) = await invitations.CreateAccountAsync(
            command.Email, command.DisplayName, [], (organization.Id, command.Role),
            nameof(AddTeamMemberCommand.Email), $"This address already has an account. Ask an administrator to add it to {organization.Name}.");
        if (created is null)
        {
            return refusal!;
        }

        var sent = await invitations.SendPasswordLinkAsync(created, portal, $"{command.Role} of {organization.Name}", "The account was created");
        return sent.Succeeded
            ? new OperationResult { Succeeded = true, Message = $"{created.DisplayName} was added and an invitation was emailed to {created.Email}." }
            : sent;
    }

    public Task<OperationResult> SetRoleAsync(ClaimsPrincipal principal, Guid organizationId, string userId, Guid expectedVersion, OrganizationRole role, CancellationToken cancellationToken = default) =>
        Enum.IsDefined(role)
            ? ChangeAsync(principal, organizationId, userId, expectedVersion, o => o.SetMember(userId, role), cancellationToken)
            : Task.FromResult(OperationResult.Refused("Choose a role."));

    public Task<OperationResult> RemoveAsync(ClaimsPrincipal principal, Guid organizationId, string userId, Guid expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeAsync(principal, organizationId, userId, expectedVersion, o => o.RemoveMember(userId), cancellationToken);

    private async Task<OperationResult> ChangeAsync(ClaimsPrincipal principal, Guid organizationId, string userId, Guid expectedVersion, Action<Organization> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await AccessScope.ForAsync(db, principal, time, cancellationToken);
        if (!user.CanManage(organizationId))
        {
            return OperationResult.Refused(OnlyManagers);
        }

        if (userId == user.UserId)
        {
            return OperationResult.Refused(NotYourself);
        }

        // A manager reaches only people already in the organization they manage.
        if (!await db.Memberships.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == userId, cancellationToken))
        {
            return OperationResult.Refused("This person does not belong to the organization.");
        }

        return await MembershipChanges.ApplyAsync(db, organizationId, userId, expectedVersion, change, logger, cancellationToken);
    }
}
