using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Web.Components.Account;

/// <summary>
/// Sign-in outcomes in the audit trail: success and failure of a password, a second factor (authenticator or recovery
/// code) and a passkey. A failure names the account when there is one, or keeps the address that was typed
/// (<see cref="AuditText.Clean"/>); a password or code never. Lockouts, recovery codes used and counters are recorded by
/// the UserManager (<see cref="AuditedUserManager"/>).
/// </summary>
internal sealed partial class ToolkitSignInManager
{
    /// <summary>The account the last sign-in of this request signed in (a passkey's result does not name it).</summary>
    private ApplicationUser? _signedIn;

    public override async Task<SignInResult> PasswordSignInAsync(ApplicationUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        await RecordAsync(user, result, "Password");
        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        await RecordSecondFactorAsync(user, result, "Authenticator");
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        await RecordSecondFactorAsync(user, result, "RecoveryCode");
        return result;
    }

    public override async Task<SignInResult> PasskeySignInAsync(string credentialJson)
    {
        _signedIn = null;
        var result = await base.PasskeySignInAsync(credentialJson);
        await RecordAsync(_signedIn, result, "Passkey");
        return result;
    }

    public override Task SignInWithClaimsAsync(ApplicationUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        _signedIn = user;
        return base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
    }

    private Task RecordUnknownAccountAsync(string userName) =>
        audit.RecordAsync(SecurityEvent.SignInFailed, AuditOrigin.Anonymous, null, after: new { Method = "Password", Reason = "UnknownAccount", AttemptedEmail = AuditText.Clean(userName) });

    /// <summary>A try refused unchecked because this client must still wait (<see cref="SignInBackoff"/>).</summary>
    private Task RecordMustWaitAsync(string? userName, TimeSpan remaining) =>
        audit.RecordAsync(SecurityEvent.SignInFailed, AuditOrigin.Anonymous, null, after: new { Method = "Password", Reason = "MustWait", AttemptedEmail = AuditText.Clean(userName ?? string.Empty), WaitSeconds = (int)Math.Ceiling(remaining.TotalSeconds) });

    /// <summary>Repeated failures for one account from this client: it must now wait before its next try is checked.</summary>
    private Task RecordBackoffAsync(string? userName, TimeSpan wait) =>
        audit.RecordAsync(SecurityEvent.SignInBackoffStarted, AuditOrigin.Anonymous, null, after: new { AttemptedEmail = AuditText.Clean(userName ?? string.Empty), WaitSeconds = (int)wait.TotalSeconds });

    private Task RecordAsync(ApplicationUser? user, SignInResult result, string method) =>
        result.Succeeded ? audit.RecordAsync(SecurityEvent.SignInSucceeded, user?.Id, user?.Id, after: new { Method = method })
        : result.RequiresTwoFactor ? audit.RecordAsync(SecurityEvent.SignInNeedsSecondFactor, AuditOrigin.Anonymous, user?.Id, after: new { Method = method })
        : audit.RecordAsync(SecurityEvent.SignInFailed, AuditOrigin.Anonymous, user?.Id, after: new { Method = method, Reason = Reason(result) });

    private Task RecordSecondFactorAsync(ApplicationUser? user, SignInResult result, string method) =>
        result.Succeeded
            ? audit.RecordAsync(SecurityEvent.TwoFactorSignInSucceeded, user?.Id, user?.Id, after: new { Method = method })
            : audit.RecordAsync(SecurityEvent.TwoFactorSignInFailed, AuditOrigin.Anonymous, user?.Id, after: new { Method = method, Reason = Reason(result) });

    private static string Reason(SignInResult result) =>
        result.IsLockedOut ? "LockedOut" : result.IsNotAllowed ? "NotAllowed" : "WrongCredentials";
}
