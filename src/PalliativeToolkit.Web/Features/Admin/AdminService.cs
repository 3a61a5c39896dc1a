using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>
/// What an administrator does with organizations and accounts. Each operation checks the Administrator role itself and
/// uses its own short-lived DbContext (and, for accounts, its own UserManager scope), never the circuit's.
/// </summary>
public sealed class AdminService(
    IDbContextFactory<ToolkitDbContext> dbFactory,
    IServiceScopeFactory scopes,
    Invitations invitations,
    TimeProvider time,
    ILogger<AdminService> logger)
{
    private const string OnlyAdministrators = "Only an administrator can do this.";
    private readonly SaveOrganizationValidator _organizationValidator = new();
    private readonly InviteUserValidator _inviteValidator = new();
    private readonly SetMembershipValidator _membershipValidator = new();

    public async Task<AdminOverview?> OverviewAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await IsAdministratorAsync(db, principal, cancellationToken))
        {
            return null;
        }

        var organizations = await db.Organizations.AsNoTracking()
            .OrderBy(o => o.Name)
            .Select(o => new AdminOrganization(o.Id, o.Name, o.Kind, o.PlanModel, o.Counties, o.ProviderType, o.Services, o.Memberships.Count, o.Version))
            .ToListAsync(cancellationToken);
        var names = organizations.ToDictionary(o => o.Id, o => o.Name);
        var memberships = (await db.Memberships.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(m => m.UserId);
        var roles = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken)).ToLookup(r => r.UserId, r => r.Name!);
        var now = time.GetUtcNow();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email).ToListAsync(cancellationToken);
        return new AdminOverview(
            organizations,
            users.Select(u => new AdminUser(
                u.Id,
                u.Email ?? u.UserName ?? string.Empty,
                u.DisplayName,
                roles[u.Id].Order(StringComparer.Ordinal).ToList(),
                memberships[u.Id].Select(m => new AdminMembership(m.OrganizationId, names.GetValueOrDefault(m.OrganizationId, "?"), m.Role, m.Version))
                    .OrderBy(m => m.OrganizationName, StringComparer.Ordinal).ToList(),
                u.LockoutEnd > now ? AccountState.Locked : u.PasswordHash is null ? AccountState.Invited : AccountState.Active)).ToList());
    }

    public async Task<OperationResult> SaveOrganizationAsync(ClaimsPrincipal principal, SaveOrganizationCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var validation = await _organizationValidator.ValidateAsync(command, cancellationToken);
        if (!validation.IsValid)
        {
            return OperationResult.Invalid(validation);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await IsAdministratorAsync(db, principal, cancellationToken))
        {
            return OperationResult.Refused(OnlyAdministrators);
        }

        var name = command.Name.Trim();
        if (await db.Organizations.AnyAsync(o => o.Name == name && o.Id != command.Id, cancellationToken))
        {
            return OperationResult.FieldError(nameof(SaveOrganizationCommand.Name), "Another organization already has this name.");
        }

        Organization organization;
        if (command.Id is { } id)
        {
            var found = await db.Organizations.SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
            if (found is null)
            {
                return OperationResult.Refused("That organization no longer exists. Reload the page.");
            }

            if (found.Version != command.ExpectedVersion)
            {
                return OperationResult.Conflict();
            }

            organization = found;
            organization.Update(name, command.Counties, command.PlanModel, command.ProviderType, command.Services);
        }
        else
        {
            organization = new Organization(name, command.Kind, command.Counties, command.PlanModel, command.ProviderType, command.Services);
            db.Organizations.Add(organization);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult.Conflict();
        }
        catch (DbUpdateException)
        {
            // Another administrator took the name between the check and the save (unique index).
            return OperationResult.FieldError(nameof(SaveOrganizationCommand.Name), "Another organization already has this name.");
        }

        logger.LogInformation("Organization {OrganizationId} saved by an administrator", organization.Id);
        return OperationResult.Ok(organization.Id, organization.Version);
    }

    /// <summary>Creates the account (no password yet), gives it its roles and emails a link to choose a password.</summary>
    public async Task<OperationResult> InviteUserAsync(ClaimsPrincipal principal, InviteUserCommand command, Uri portal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var validation = await _inviteValidator.ValidateAsync(command, cancellationToken);
        if (!validation.IsValid)
        {
            return OperationResult.Invalid(validation);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await IsAdministratorAsync(db, principal, cancellationToken))
        {
            return OperationResult.Refused(OnlyAdministrators);
        }

        Organization? organization = null;
        if (command.OrganizationId != Guid.Empty)
        {
            organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == command.OrganizationId, cancellationToken);
            if (organization is null)
            {
                return OperationResult.FieldError(nameof(InviteUserCommand.OrganizationId), "That organization no longer exists. Reload the page.");
            }
        }

        var (user, refusal) = await invitations.CreateAccountAsync(
            command.Email, command.DisplayName, InviteUserValidator.RolesOf(command).ToList(),
            organization is null ? null : (organization.Id, command.Role),
            nameof(InviteUserCommand.Email), "An account with this email address already exists.");
        if (user is null)
        {
            return refusal!;
        }

        var what = organization is not null ? $"{command.Role} of {organization.Name}" : string.Join(", ", InviteUserValidator.RolesOf(command).Select(GlobalRoleText.Describe));
        return await invitations.SendPasswordLinkAsync(user, portal, what, "The account was created");
    }

    /// <summary>Emails the user a new link to choose a password: a lost invitation, or a reset on the person's behalf.</summary>
    public async Task<OperationResult> SendPasswordLinkAsync(ClaimsPrincipal principal, string userId, Uri portal, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await IsAdministratorAsync(db, principal, cancellationToken))
        {
            return OperationResult.Refused(OnlyAdministrators);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        return user is null
            ? OperationResult.Refused("That account no longer exists. Reload the page.")
            : await invitations.SendPasswordLinkAsync(user, portal, "link resent by an administrator", "Nothing changed");
    }

    public async Task<OperationResult> SetMembershipAsync(ClaimsPrincipal principal, SetMembershipCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var validation = await _membershipValidator.ValidateAsync(command, cancellationToken);
        if (!validation.IsValid)
        {
            return OperationResult.Invalid(validation);
        }

        return await ChangeOrganizationAsync(principal, command.OrganizationId, command.UserId, command.ExpectedVersion, o => o.SetMember(command.UserId, command.Role), cancellationToken);
    }

    public Task<OperationResult> RemoveMembershipAsync(ClaimsPrincipal principal, string userId, Guid organizationId, Guid expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeOrganizationAsync(principal, organizationId, userId, expectedVersion, o => o.RemoveMember(userId), cancellationToken);

    public async Task<OperationResult> SetGlobalRoleAsync(ClaimsPrincipal principal, string userId, string role, bool granted, CancellationToken cancellationToken = default)
    {
        if (!GlobalRoles.All.Contains(role))
        {
            return OperationResult.Refused("There is no such role.");
        }

        return await ChangeAccountAsync(principal, userId, async (users, user, self) =>
        {
            if (self && role == GlobalRoles.Administrator && !granted)
            {
                return OperationResult.Refused("You cannot take the Administrator role from yourself; ask another administrator.");
            }

            var has = await users.IsInRoleAsync(user, role);
            var result = granted == has ? IdentityResult.Success
                : granted ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
            return result.Succeeded ? OperationResult.Ok() : OperationResult.Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
        }, reducesAccess: !granted, cancellationToken);
    }

    /// <summary>Locks the account (the person is signed out and cannot sign in) or unlocks it.</summary>
    public Task<OperationResult> SetLockedAsync(ClaimsPrincipal principal, string userId, bool locked, CancellationToken cancellationToken = default) =>
        ChangeAccountAsync(principal, userId, async (users, user, self) =>
        {
            if (self && locked)
            {
                return OperationResult.Refused("You cannot lock your own account.");
            }

            await users.SetLockoutEnabledAsync(user, true);
            var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
            if (!locked)
            {
                await users.ResetAccessFailedCountAsync(user);
            }

            return result.Succeeded ? OperationResult.Ok() : OperationResult.Refused(string.Join(" ", result.Errors.Select(e => e.Description)));
        }, reducesAccess: locked, cancellationToken);

    private async Task<bool> IsAdministratorAsync(ToolkitDbContext db, ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        (await AccessScope.ForAsync(db, principal, time, cancellationToken)).IsAdministrator;

    private async Task<OperationResult> ChangeOrganizationAsync(ClaimsPrincipal principal, Guid organizationId, string userId, Guid? expectedVersion, Action<Organization> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await IsAdministratorAsync(db, principal, cancellationToken))
        {
            return OperationResult.Refused(OnlyAdministrators);
        }

        return await MembershipChanges.ApplyAsync(db, organizationId, userId, expectedVersion, change, logger, cancellationToken);
    }

    private async Task<OperationResult> ChangeAccountAsync(
        ClaimsPrincipal principal,
        string userId,
        Func<UserManager<ApplicationUser>, ApplicationUser, bool, Task<OperationResult>> change,
        bool reducesAccess,
        CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await IsAdministratorAsync(db, principal, cancellationToken))
            {
                return OperationResult.Refused(OnlyAdministrators);
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return OperationResult.Refused("That account no longer exists. Reload the page.");
        }

        OperationResult result;
        try
        {
            result = await change(users, user, principal.FindFirstValue(ClaimTypes.NameIdentifier) == user.Id);
        }
        catch (DbUpdateException)
        {
            // Another administrator changed the same account at the same moment.
            return OperationResult.Conflict();
        }

        if (result.Succeeded && reducesAccess)
        {
            // Signs the person out everywhere at the next check. Only when access shrinks: a new stamp also voids
            // a pending invitation link, which granting a role should not do.
            await users.UpdateSecurityStampAsync(user);
        }

        if (result.Succeeded)
        {
            logger.LogInformation("Account {UserId} changed by an administrator", user.Id);
        }

        return result;
    }
}
