using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Admin;

namespace PalliativeToolkit.Web.Features.Team;

/// <summary>
/// The people of the user's own organizations. Every member reads the list; a manager adds people, changes their role
/// and removes them, in the organizations they manage only, and never changes their own membership.
/// </summary>
public sealed class TeamService(
    OperationRunner operations,
    Invitations invitations,
    InvitationLimit invitationLimit,
    ILookupNormalizer normalizer,
    ILogger<TeamService> logger)
{
    private const string OnlyManagers = "Only a manager of this organization can change its people.";
    private const string NotYourself = "You cannot change your own membership; ask another manager or an administrator.";
    private readonly AddTeamMemberValidator _addValidator = new();

    public Task<Outcome<IReadOnlyList<TeamOrganization>>> GetAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<IReadOnlyList<TeamOrganization>>(principal, async op =>
        {
            var own = op.Viewer.OrganizationIds;
            var organizations = await op.Db.Organizations.AsNoTracking().Where(o => own.Contains(o.Id))
                .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name, o.Kind }).ToListAsync(op.Cancellation);
            var members = await (from m in op.Db.Memberships
                                 join u in op.Db.Users on m.UserId equals u.Id
                                 where own.Contains(m.OrganizationId)
                                 select new { m.OrganizationId, m.UserId, u.DisplayName, u.Email, m.Role, m.Version, u.LockoutEnd, HasPassword = u.PasswordHash != null })
                .AsNoTracking().ToListAsync(op.Cancellation);
            return organizations.Select(o => new TeamOrganization(
                o.Id, o.Name, o.Kind, op.Viewer.RoleIn(o.Id)!.Value,
                members.Where(m => m.OrganizationId == o.Id)
                    .OrderByDescending(m => m.Role).ThenBy(m => m.DisplayName, StringComparer.Ordinal)
                    .Select(m => new TeamMember(m.UserId, m.DisplayName, m.Email ?? string.Empty, m.Role,
                        m.LockoutEnd > op.Now ? AccountState.Locked : m.HasPassword ? AccountState.Active : AccountState.Invited,
                        m.UserId == op.Viewer.UserId, m.Version))
                    .ToList())).ToList();
        }, cancellationToken);

    /// <summary>Adds a new colleague: an account with an emailed invitation. Its value is what to tell the manager.</summary>
    public Task<Outcome<string>> AddAsync(ClaimsPrincipal principal, AddTeamMemberCommand command, Uri portal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<AddTeamMemberCommand, string>(principal, command, _addValidator, async op =>
        {
            op.Demand(OrganizationPermission.ManagePeople, command.OrganizationId, OnlyManagers);
            var organization = await op.Db.Organizations.AsNoTracking().SingleAsync(o => o.Id == command.OrganizationId, op.Cancellation);

            // Someone already in the team is named: the manager sees the team anyway.
            var normalized = normalizer.NormalizeEmail(command.Email.Trim());
            var member = await (from m in op.Db.Memberships
                                join u in op.Db.Users on m.UserId equals u.Id
                                where m.OrganizationId == organization.Id && u.NormalizedEmail == normalized
                                select u.DisplayName).FirstOrDefaultAsync(op.Cancellation);
            if (member is not null)
            {
                return Failure.FieldError(nameof(AddTeamMemberCommand.Email), $"{member} already belongs to {organization.Name}.");
            }

            if (invitationLimit.Take(op) is { } tooMany)
            {
                return tooMany;
            }

            // An account that already exists belongs to someone an administrator knows; a manager can't enrol it (nor learn whose it is).
            var created = await invitations.CreateAccountAsync(
                op, command.Email, command.DisplayName, [], (organization.Id, command.Role),
                nameof(AddTeamMemberCommand.Email), $"This address already has an account. Ask an administrator to add it to {organization.Name}.");
            if (!created.Succeeded)
            {
                return created.Failure!;
            }

            var user = created.Value;
            var sent = await invitations.SendPasswordLinkAsync(op, user, portal, $"{command.Role} of {organization.Name}", "The account was created");
            return sent.Succeeded
                ? $"{user.DisplayName} was added and an invitation was emailed to {user.Email}."
                : sent.Failure!;
        }, cancellationToken);

    public Task<Outcome<Done>> SetRoleAsync(ClaimsPrincipal principal, Guid organizationId, string userId, Guid expectedVersion, OrganizationRole role, CancellationToken cancellationToken = default) =>
        Enum.IsDefined(role)
            ? ChangeAsync(principal, organizationId, userId, expectedVersion, o => o.SetMember(userId, role), cancellationToken)
            : Task.FromResult<Outcome<Done>>(Failure.Refuse("Choose a role."));

    public Task<Outcome<Done>> RemoveAsync(ClaimsPrincipal principal, Guid organizationId, string userId, Guid expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeAsync(principal, organizationId, userId, expectedVersion, o => o.RemoveMember(userId), cancellationToken);

    private Task<Outcome<Done>> ChangeAsync(ClaimsPrincipal principal, Guid organizationId, string userId, Guid expectedVersion, Action<Organization> change, CancellationToken cancellationToken) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(OrganizationPermission.ManagePeople, organizationId, OnlyManagers);
            if (userId == op.Viewer.UserId)
            {
                return Failure.Refuse(NotYourself);
            }

            // A manager reaches only people already in the organization they manage.
            if (!await op.Db.Memberships.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == userId, op.Cancellation))
            {
                return Failure.Refuse("This person does not belong to the organization.");
            }

            return await MembershipChanges.ApplyAsync(op, organizationId, userId, expectedVersion, change, logger);
        }, cancellationToken);
}
