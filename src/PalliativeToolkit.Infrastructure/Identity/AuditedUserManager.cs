using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Infrastructure.Persistence.Interceptors;

namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>
/// Identity's UserManager, with every change to an account recorded in the audit trail, in the same save as the change
/// (the event is staged on the store's context before Identity saves, and taken back if the change fails). Registered
/// for every composition by <see cref="DependencyInjection.AddToolkitIdentityStores"/>, so no page or service can change
/// an account without its event. The acting user is the operation's viewer, else the request's signed-in user
/// (<see cref="AuditOrigin"/>); the subject is the account changed. Passwords, tokens, codes and keys are never recorded.
/// </summary>
public sealed class AuditedUserManager(
    IUserStore<ApplicationUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<ApplicationUser> passwordHasher,
    IEnumerable<IUserValidator<ApplicationUser>> userValidators,
    IEnumerable<IPasswordValidator<ApplicationUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<ApplicationUser>> logger,
    ToolkitDbContext db,
    ISecurityAudit audit,
    AuditOrigin origin,
    TimeProvider clock,
    SecondFactorRule secondFactor)
    : UserManager<ApplicationUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override Task<IdentityResult> CreateAsync(ApplicationUser user) =>
        Audited(user, () => base.CreateAsync(user), Event(user, SecurityEvent.AccountCreated, after: new { user.Email, user.DisplayName }));

    /// <summary>
    /// Deleting an account removes its memberships and roles with it (cascades in the database): each membership gets
    /// its own "Deleted" row, as if removed one by one, and the event lists the roles.
    /// </summary>
    public override async Task<IdentityResult> DeleteAsync(ApplicationUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var tracked = db.ChangeTracker.Entries<Membership>().Select(m => m.Entity.Id).ToHashSet();
        var memberships = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId == user.Id).ToListAsync(CancellationToken);
        var roles = await GetRolesAsync(user);
        var actor = origin.Actor(db.Viewer);
        var staged = new List<Func<AuditEntry>>
        {
            () => audit.Stage(db, SecurityEvent.AccountDeleted, actor, user.Id, before: new { user.Email, user.DisplayName, Roles = roles }),
        };
        staged.AddRange(memberships.Where(m => !tracked.Contains(m.Id)).Select(m => (Func<AuditEntry>)(() =>
        {
            var removed = new AuditEntry(
                    actor,
                    clock.GetUtcNow().UtcDateTime,
                    nameof(Membership),
                    m.Id.ToString(),
                    nameof(EntityState.Deleted),
                    JsonSerializer.Serialize(new { m.Id, m.OrganizationId, m.Role, m.UserId }, AuditingInterceptor.Json),
                    null)
                .Concerning(user.Id, m.OrganizationId, origin.ClientAddress);
            db.Add(removed);
            return removed;
        })));
        return await Audited(user, () => base.DeleteAsync(user), [.. staged]);
    }

    /// <summary>A lock by an administrator (a lockout end in the future) or an unlock (none, or one in the past).</summary>
    public override async Task<IdentityResult> SetLockoutEndDateAsync(ApplicationUser user, DateTimeOffset? lockoutEnd)
    {
        ArgumentNullException.ThrowIfNull(user);
        var before = user.LockoutEnd;
        var locking = lockoutEnd > clock.GetUtcNow();
        return await Audited(
            user,
            () => base.SetLockoutEndDateAsync(user, lockoutEnd),
            Event(user, locking ? SecurityEvent.AccountLocked : SecurityEvent.AccountUnlocked, new { LockoutEnd = before }, new { LockoutEnd = lockoutEnd }));
    }

    /// <summary>A failed password (or second factor): the attempt that reaches the limit locks the account, recorded as such.</summary>
    public override async Task<IdentityResult> AccessFailedAsync(ApplicationUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var failures = await GetAccessFailedCountAsync(user) + 1;
        var locks = SupportsUserLockout && await GetLockoutEnabledAsync(user) && failures >= Options.Lockout.MaxFailedAccessAttempts;
        return locks
            ? await Audited(user, () => base.AccessFailedAsync(user), Event(user, SecurityEvent.LockedOut, after: new { FailedAttempts = failures, LockoutEnd = clock.GetUtcNow() + Options.Lockout.DefaultLockoutTimeSpan }))
            : await base.AccessFailedAsync(user);
    }

    public override Task<IdentityResult> AddToRoleAsync(ApplicationUser user, string role) =>
        Audited(user, () => base.AddToRoleAsync(user, role), Event(user, SecurityEvent.RoleGranted, after: new { Role = role }));

    public override Task<IdentityResult> AddToRolesAsync(ApplicationUser user, IEnumerable<string> roles)
    {
        var list = roles?.ToList() ?? throw new ArgumentNullException(nameof(roles));
        return Audited(user, () => base.AddToRolesAsync(user, list), [.. list.Select(r => Event(user, SecurityEvent.RoleGranted, after: new { Role = r }))]);
    }

    public override Task<IdentityResult> RemoveFromRoleAsync(ApplicationUser user, string role) =>
        Audited(user, () => base.RemoveFromRoleAsync(user, role), Event(user, SecurityEvent.RoleRemoved, before: new { Role = role }));

    public override Task<IdentityResult> RemoveFromRolesAsync(ApplicationUser user, IEnumerable<string> roles)
    {
        var list = roles?.ToList() ?? throw new ArgumentNullException(nameof(roles));
        return Audited(user, () => base.RemoveFromRolesAsync(user, list), [.. list.Select(r => Event(user, SecurityEvent.RoleRemoved, before: new { Role = r }))]);
    }

    public override Task<IdentityResult> ChangePasswordAsync(ApplicationUser user, string currentPassword, string newPassword) =>
        Audited(user, () => base.ChangePasswordAsync(user, currentPassword, newPassword), Event(user, SecurityEvent.PasswordChanged));

    public override Task<IdentityResult> ResetPasswordAsync(ApplicationUser user, string token, string newPassword) =>
        Audited(user, () => base.ResetPasswordAsync(user, token, newPassword), Event(user, SecurityEvent.PasswordReset));

    public override Task<IdentityResult> AddPasswordAsync(ApplicationUser user, string password) =>
        Audited(user, () => base.AddPasswordAsync(user, password), Event(user, SecurityEvent.PasswordSet));

    public override Task<IdentityResult> RemovePasswordAsync(ApplicationUser user) =>
        Audited(user, () => base.RemovePasswordAsync(user), Event(user, SecurityEvent.PasswordRemoved));

    public override Task<IdentityResult> SetTwoFactorEnabledAsync(ApplicationUser user, bool enabled) =>
        Audited(user, () => base.SetTwoFactorEnabledAsync(user, enabled), Event(user, enabled ? SecurityEvent.TwoFactorEnabled : SecurityEvent.TwoFactorDisabled));

    public override Task<IdentityResult> ResetAuthenticatorKeyAsync(ApplicationUser user) =>
        Audited(user, () => base.ResetAuthenticatorKeyAsync(user), Event(user, SecurityEvent.AuthenticatorReset));

    public override async Task<IEnumerable<string>?> GenerateNewTwoFactorRecoveryCodesAsync(ApplicationUser user, int number)
    {
        IEnumerable<string>? codes = null;
        await Audited(
            user,
            async () =>
            {
                codes = await base.GenerateNewTwoFactorRecoveryCodesAsync(user, number);
                return codes is null ? IdentityResult.Failed() : IdentityResult.Success;
            },
            Event(user, SecurityEvent.RecoveryCodesGenerated, after: new { Count = number }));
        return codes;
    }

    public override Task<IdentityResult> RedeemTwoFactorRecoveryCodeAsync(ApplicationUser user, string code) =>
        Audited(user, () => base.RedeemTwoFactorRecoveryCodeAsync(user, code), Event(user, SecurityEvent.RecoveryCodeUsed));

    /// <summary>A new passkey, or one renamed. A sign-in with a passkey also updates it (its counter): not an event of its own.</summary>
    public override async Task<IdentityResult> AddOrUpdatePasskeyAsync(ApplicationUser user, UserPasskeyInfo passkey)
    {
        ArgumentNullException.ThrowIfNull(passkey);
        var existing = await GetPasskeyAsync(user, passkey.CredentialId);
        if (existing is null)
        {
            return await Audited(user, () => base.AddOrUpdatePasskeyAsync(user, passkey), Event(user, SecurityEvent.PasskeyAdded, after: new { passkey.Name }));
        }

        return existing.Name == passkey.Name
            ? await base.AddOrUpdatePasskeyAsync(user, passkey)
            : await Audited(user, () => base.AddOrUpdatePasskeyAsync(user, passkey), Event(user, SecurityEvent.PasskeyRenamed, new { existing.Name }, new { passkey.Name }));
    }

    public override async Task<IdentityResult> RemovePasskeyAsync(ApplicationUser user, byte[] credentialId)
    {
        var existing = await GetPasskeyAsync(user, credentialId);
        return await Audited(user, () => base.RemovePasskeyAsync(user, credentialId), Event(user, SecurityEvent.PasskeyRemoved, before: new { existing?.Name }));
    }

    public override Task<IdentityResult> ChangeEmailAsync(ApplicationUser user, string newEmail, string token) =>
        Audited(user, () => base.ChangeEmailAsync(user, newEmail, token), Event(user, SecurityEvent.EmailChanged, new { user?.Email }, new { Email = newEmail }));

    public override Task<IdentityResult> SetEmailAsync(ApplicationUser user, string? email) =>
        Audited(user, () => base.SetEmailAsync(user, email), Event(user, SecurityEvent.EmailChanged, new { user?.Email }, new { Email = email }));

    public override Task<IdentityResult> AddLoginAsync(ApplicationUser user, UserLoginInfo login) =>
        Audited(user, () => base.AddLoginAsync(user, login), Event(user, SecurityEvent.ExternalLoginAdded, after: new { login?.LoginProvider }));

    public override Task<IdentityResult> RemoveLoginAsync(ApplicationUser user, string loginProvider, string providerKey) =>
        Audited(user, () => base.RemoveLoginAsync(user, loginProvider, providerKey), Event(user, SecurityEvent.ExternalLoginRemoved, before: new { LoginProvider = loginProvider }));

    private Func<AuditEntry> Event(ApplicationUser user, SecurityEvent kind, object? before = null, object? after = null) =>
        () => audit.Stage(db, kind, null, user?.Id, before, after);

    /// <summary>
    /// Stages the events, runs the change, and keeps the events only if it succeeded: Identity's own save writes them
    /// (or, if the change saved nothing, a save here).
    /// </summary>
    private async Task<IdentityResult> Audited(ApplicationUser user, Func<Task<IdentityResult>> change, params Func<AuditEntry>[] events)
    {
        ArgumentNullException.ThrowIfNull(user);
        var staged = events.Select(e => e()).ToList();
        IdentityResult result;
        try
        {
            result = await change();
        }
        catch
        {
            staged.ForEach(e => audit.Withdraw(db, e));
            throw;
        }

        if (!result.Succeeded)
        {
            staged.ForEach(e => audit.Withdraw(db, e));
        }
        else if (staged.Any(e => db.Entry(e).State == EntityState.Added))
        {
            await db.SaveChangesAsync(CancellationToken);
        }

        if (result.Succeeded)
        {
            // Roles or the second factor may have changed: the next question about this account reads the database.
            secondFactor.Forget(user.Id);
        }

        return result;
    }
}
