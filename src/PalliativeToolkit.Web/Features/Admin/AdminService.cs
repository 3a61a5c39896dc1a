using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>
/// What an administrator does with organizations and accounts. Each call is one operation: it demands the
/// Administer permission, and Identity's UserManager works inside the same operation (and so the same audit user).
/// </summary>
public sealed class AdminService(OperationRunner operations, Invitations invitations, InvitationLimit invitationLimit, ILogger<AdminService> logger)
{
    private const string OnlyAdministrators = "Only an administrator can do this.";
    private readonly SaveOrganizationValidator _organizationValidator = new();
    private readonly InviteUserValidator _inviteValidator = new();
    private readonly SetMembershipValidator _membershipValidator = new();

    public Task<Outcome<AdminOverview>> OverviewAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<AdminOverview>(principal, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            var organizations = await op.Db.Organizations.AsNoTracking()
                .OrderBy(o => o.Name)
                .Select(o => new AdminOrganization(o.Id, o.Name, o.Kind, o.PlanModel, o.CountyFips, o.ProviderType, o.Services, o.Memberships.Count, o.Version))
                .ToListAsync(op.Cancellation);
            var names = organizations.ToDictionary(o => o.Id, o => o.Name);
            var memberships = (await op.Db.Memberships.AsNoTracking()
                .Select(m => new { m.UserId, m.OrganizationId, m.Role, m.Version }).ToListAsync(op.Cancellation)).ToLookup(m => m.UserId);
            var roles = (await (from ur in op.Db.UserRoles join r in op.Db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
                .ToListAsync(op.Cancellation)).ToLookup(r => r.UserId, r => r.Name!);
            var users = await op.Db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
                .Select(u => new { u.Id, u.Email, u.UserName, u.DisplayName, u.LockoutEnd, u.TwoFactorEnabled, HasPassword = u.PasswordHash != null })
                .ToListAsync(op.Cancellation);
            return new AdminOverview(
                organizations,
                users.Select(u => new AdminUser(
                    u.Id,
                    u.Email ?? u.UserName ?? string.Empty,
                    u.DisplayName,
                    roles[u.Id].Order(StringComparer.Ordinal).ToList(),
                    memberships[u.Id].Select(m => new AdminMembership(m.OrganizationId, names.GetValueOrDefault(m.OrganizationId, "?"), m.Role, m.Version))
                        .OrderBy(m => m.OrganizationName, StringComparer.Ordinal).ToList(),
                    u.LockoutEnd > op.Now ? AccountState.Locked : u.HasPassword ? AccountState.Active : AccountState.Invited,
                    u.TwoFactorEnabled)).ToList());
        }, cancellationToken);

    public Task<Outcome<Guid>> SaveOrganizationAsync(ClaimsPrincipal principal, SaveOrganizationCommand command, CancellationToken cancellationToken = default) =>
        operations.RunAsync<SaveOrganizationCommand, Guid>(principal, command, _organizationValidator, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            var name = command.Name.Trim();
            var normalized = Organization.NormalizeName(name);
            var taken = Failure.FieldError(nameof(SaveOrganizationCommand.Name), OrganizationNameTaken(name));
            if (await op.Db.Organizations.AnyAsync(o => o.NormalizedName == normalized && o.Id != command.Id, op.Cancellation))
            {
                return taken;
            }

            Organization organization;
            if (command.Id is { } id)
            {
                var found = await op.Db.Organizations.SingleOrDefaultAsync(o => o.Id == id, op.Cancellation);
                if (found is null)
                {
                    return Failure.Refuse("That organization no longer exists. Reload the page.");
                }

                if (found.Version != command.ExpectedVersion)
                {
                    return Failure.Stale();
                }

                organization = found;
                organization.Update(name, command.Counties(), command.PlanModel, command.ProviderType, command.Services);
            }
            else
            {
                organization = new Organization(name, command.Kind, command.Counties(), command.PlanModel, command.ProviderType, command.Services);
                op.Db.Organizations.Add(organization);
            }

            try
            {
                await op.SaveAsync();
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
            {
                // Another administrator took the name (in any case) between the check and the save (unique index).
                return taken;
            }

            logger.LogInformation("Organization {OrganizationId} saved by an administrator", organization.Id);
            return organization.Id;
        }, cancellationToken);

    /// <summary>Names are compared whatever their case and surrounding spaces ("Acme" is "ACME").</summary>
    public static string OrganizationNameTaken(string name) => $"An organization named \"{name.Trim()}\" already exists (names are compared without regard to case).";

    /// <summary>Creates the account (no password yet), gives it its roles and emails a link to choose a password.</summary>
    public Task<Outcome<Done>> InviteUserAsync(ClaimsPrincipal principal, InviteUserCommand command, Uri portal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<InviteUserCommand, Done>(principal, command, _inviteValidator, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            if (invitationLimit.Take(op) is { } tooMany)
            {
                return tooMany;
            }

            Organization? organization = null;
            if (command.OrganizationId != Guid.Empty)
            {
                organization = await op.Db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == command.OrganizationId, op.Cancellation);
                if (organization is null)
                {
                    return Failure.FieldError(nameof(InviteUserCommand.OrganizationId), "That organization no longer exists. Reload the page.");
                }
            }

            var created = await invitations.CreateAccountAsync(
                op, command.Email, command.DisplayName, InviteUserValidator.RolesOf(command).ToList(),
                organization is null ? null : (organization.Id, command.Role),
                nameof(InviteUserCommand.Email), "An account with this email address already exists.");
            if (!created.Succeeded)
            {
                return created.Failure!;
            }

            var what = organization is not null ? $"{command.Role} of {organization.Name}" : string.Join(", ", InviteUserValidator.RolesOf(command).Select(GlobalRoleText.Describe));
            return await invitations.SendPasswordLinkAsync(op, created.Value, portal, what, "The account was created");
        }, cancellationToken);

    /// <summary>Emails the user a new link to choose a password: a lost invitation, or a reset on the person's behalf.</summary>
    public Task<Outcome<Done>> SendPasswordLinkAsync(ClaimsPrincipal principal, string userId, Uri portal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            if (invitationLimit.Take(op) is { } tooMany)
            {
                return tooMany;
            }

            var user = await op.Services.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId);
            return user is null
                ? Failure.Refuse("That account no longer exists. Reload the page.")
                : await invitations.SendPasswordLinkAsync(op, user, portal, "link resent by an administrator", "Nothing changed");
        }, cancellationToken);

    public Task<Outcome<Done>> SetMembershipAsync(ClaimsPrincipal principal, SetMembershipCommand command, CancellationToken cancellationToken = default) =>
        operations.RunAsync<SetMembershipCommand, Done>(principal, command, _membershipValidator, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            return await MembershipChanges.ApplyAsync(op, command.OrganizationId, command.UserId, command.ExpectedVersion, o => o.SetMember(command.UserId, command.Role), logger);
        }, cancellationToken);

    public Task<Outcome<Done>> RemoveMembershipAsync(ClaimsPrincipal principal, string userId, Guid organizationId, Guid expectedVersion, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            return await MembershipChanges.ApplyAsync(op, organizationId, userId, expectedVersion, o => o.RemoveMember(userId), logger);
        }, cancellationToken);

    public Task<Outcome<Done>> SetGlobalRoleAsync(ClaimsPrincipal principal, string userId, string role, bool granted, CancellationToken cancellationToken = default) =>
        GlobalRoles.All.Contains(role)
            ? ChangeAccountAsync(principal, userId, async (users, user, self) =>
            {
                if (self && role == GlobalRoles.Administrator && !granted)
                {
                    return Failure.Refuse("You cannot take the Administrator role from yourself; ask another administrator.");
                }

                var has = await users.IsInRoleAsync(user, role);
                return granted == has ? IdentityResult.Success
                    : granted ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
            }, reducesAccess: !granted, cancellationToken)
            : Task.FromResult<Outcome<Done>>(Failure.Refuse("There is no such role."));

    /// <summary>Locks the account (the person is signed out and cannot sign in) or unlocks it.</summary>
    public Task<Outcome<Done>> SetLockedAsync(ClaimsPrincipal principal, string userId, bool locked, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(principal, userId, async (users, user, self) =>
        {
            if (self && locked)
            {
                return Failure.Refuse("You cannot lock your own account.");
            }

            await users.SetLockoutEnabledAsync(user, true);
            var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
            if (!locked)
            {
                await users.ResetAccessFailedCountAsync(user);
            }

            return result;
        }, reducesAccess: locked, cancellationToken);

    /// <summary>
    /// Resets the account's second factor when its person lost their authenticator and their recovery codes: two-factor
    /// sign-in is turned off and the authenticator key replaced, so the old app's codes stop working, and the person is
    /// signed out everywhere. If their role requires a second factor, their next sign-in (password only) takes them to
    /// set up a new one, with new recovery codes, before anything else.
    /// </summary>
    public Task<Outcome<Done>> ResetSecondFactorAsync(ClaimsPrincipal principal, string userId, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(principal, userId, async (users, user, self) =>
        {
            if (self)
            {
                return Failure.Refuse("Reset your own authenticator app on My account; another administrator can reset it for you.");
            }

            var result = await users.SetTwoFactorEnabledAsync(user, false);
            return result.Succeeded ? await users.ResetAuthenticatorKeyAsync(user) : result;
        }, reducesAccess: true, cancellationToken);

    /// <summary>
    /// Applies an Identity change to one account. The change answers an IdentityResult, or a refusal of its own
    /// (<see cref="Failure.Refused"/>) before it touches anything.
    /// </summary>
    private Task<Outcome<Done>> ChangeAccountAsync(
        ClaimsPrincipal principal,
        string userId,
        Func<UserManager<ApplicationUser>, ApplicationUser, bool, Task<OneOfResult>> change,
        bool reducesAccess,
        CancellationToken cancellationToken) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            var users = op.Services.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return Failure.Refuse("That account no longer exists. Reload the page.");
            }

            // One transaction: a change of several Identity steps (a second-factor reset turns two-factor sign-in off,
            // replaces the key and renews the stamp, each saving) is kept whole or not at all.
            var outcome = await op.Db.Database.CreateExecutionStrategy().ExecuteAsync(async Task<Outcome<Done>> () =>
            {
                await using var transaction = await op.Db.Database.BeginTransactionAsync(op.Cancellation);
                OneOfResult result;
                try
                {
                    result = await change(users, user, op.Viewer.UserId == user.Id);
                }
                catch (DbUpdateException)
                {
                    // Another administrator changed the same account at the same moment.
                    return Failure.Stale();
                }

                if (result.Refusal is { } refusal)
                {
                    return refusal;
                }

                if (!result.Identity!.Succeeded)
                {
                    return Failure.Refuse(string.Join(" ", result.Identity.Errors.Select(e => e.Description)));
                }

                if (reducesAccess)
                {
                    // The new stamp refuses any older cookie. Only when access shrinks: a new stamp also voids a pending
                    // invitation link, which granting a role should not do.
                    await users.UpdateSecurityStampAsync(user);
                }

                await transaction.CommitAsync(op.Cancellation);
                return Done.Value;
            });
            if (!outcome.Succeeded)
            {
                return outcome;
            }

            if (reducesAccess)
            {
                // Signs the person out everywhere: their sessions end now (open pages leave within seconds).
                await op.Services.GetRequiredService<SessionStore>().EndAllAsync(user.Id, SessionEnd.AccountChanged, op.Cancellation);
            }

            logger.LogInformation("Account {UserId} changed by an administrator", user.Id);
            return Done.Value;
        }, cancellationToken);

    /// <summary>What an account change answers: Identity's result, or a refusal before anything changed.</summary>
    private sealed record OneOfResult(IdentityResult? Identity, Failure.Refused? Refusal)
    {
        public static implicit operator OneOfResult(IdentityResult result) => new(result, null);

        public static implicit operator OneOfResult(Failure.Refused refusal) => new(null, refusal);
    }
}
