using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Web.Infrastructure;

namespace PalliativeToolkit.Web.Components.Account;

/// <summary>
/// Password sign-in that takes the same work whatever the account: an unknown email address and a locked account
/// verify the password against a stand-in hash, as a real account's wrong password does. Without it an unknown address
/// answered about ten times faster than a known one with a wrong password, which told which accounts exist.
/// Failed passwords slow down the client that fails (<see cref="SignInBackoff"/>) instead of locking the account.
/// Every outcome is recorded in the audit trail (ToolkitSignInManager.Audit.cs).
/// </summary>
internal sealed partial class ToolkitSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    SignInBackoff backoff,
    ISecurityAudit audit)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static readonly ApplicationUser StandIn = new() { UserName = "stand-in" };

    /// <summary>
    /// A hash made with the portal's own hasher (same algorithm and iterations as real accounts'), once per process: the
    /// sign-in manager is made anew for every request, and hashing the stand-in each time cost an unknown address a second
    /// key derivation, which made it the slower answer.
    /// </summary>
    private static string? s_standInHash;

    /// <summary>
    /// Signs in with a password. <paramref name="lockoutOnFailure"/> is not used: Identity's lockout is account-wide, so
    /// anyone could lock anyone out; failures count per account and client instead (<see cref="SignInBackoff"/>). A client
    /// that must wait is answered <see cref="SignInResult.LockedOut"/>, after the same work as any other try.
    /// </summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        // A browser that signed in to this account before is counted apart, so that failures from elsewhere (the same
        // office network included) never make the account's owner wait.
        var client = (KnownBrowser.Knows(Context, userName) ? "known browser " : string.Empty) + ClientKey.Of(Context);
        if (backoff.MustWait(userName ?? string.Empty, client, out var remaining))
        {
            SpendOneVerification(password);
            await RecordMustWaitAsync(userName, remaining);
            return SignInResult.LockedOut;
        }

        var result = await CheckedPasswordSignInAsync(userName ?? string.Empty, password, isPersistent);
        if (result.Succeeded || result.RequiresTwoFactor)
        {
            backoff.Succeeded(userName ?? string.Empty, client);
            KnownBrowser.Remember(Context, userName);
        }
        else
        {
            var wait = backoff.Failed(userName ?? string.Empty, client);
            if (wait > TimeSpan.Zero)
            {
                Logger.LogWarning("Sign-in from {Client} must wait {Wait} after repeated failures for one account.", client, wait);
                await RecordBackoffAsync(userName, wait);
            }
        }

        return result;
    }

    private async Task<SignInResult> CheckedPasswordSignInAsync(string userName, string password, bool isPersistent)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            SpendOneVerification(password);
            await RecordUnknownAccountAsync(userName);
            return SignInResult.Failed;
        }

        // A locked account, one not yet allowed to sign in (an unconfirmed address) and one without a password yet (an
        // invitation not taken up) are refused without hashing anything: spend the work a wrong password takes. Decided
        // before signing in, so the attempt that locks an account (its password was checked) is not charged twice.
        var refusedUnhashed = user.PasswordHash is null || await PreSignInCheck(user) is not null;
        var result = await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: false);
        if (refusedUnhashed)
        {
            SpendOneVerification(password);
        }

        return result;
    }

    /// <summary>New claims for the same sign-in (after a password or profile change): the session stays the same.</summary>
    public override async Task RefreshSignInAsync(ApplicationUser user)
    {
        Context.Items[SignInSessions.RefreshingItem] = true;
        try
        {
            await base.RefreshSignInAsync(user);
        }
        finally
        {
            Context.Items.Remove(SignInSessions.RefreshingItem);
        }
    }

    private void SpendOneVerification(string password)
    {
        var standInHash = LazyInitializer.EnsureInitialized(ref s_standInHash, () => UserManager.PasswordHasher.HashPassword(StandIn, Guid.NewGuid().ToString("N")));
        UserManager.PasswordHasher.VerifyHashedPassword(StandIn, standInHash, password ?? string.Empty);
    }
}
