using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Web.Components.Account;

/// <summary>
/// Password sign-in that takes the same work whatever the account: an unknown email address and a locked account
/// verify the password against a stand-in hash, as a real account's wrong password does. Without it an unknown address
/// answered about ten times faster than a known one with a wrong password, which told which accounts exist.
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
    ISecurityAudit audit)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static readonly ApplicationUser StandIn = new() { UserName = "stand-in" };

    /// <summary>A hash made with the portal's own hasher (same algorithm and iterations as real accounts'), once.</summary>
    private readonly Lazy<string> standInHash = new(() => userManager.PasswordHasher.HashPassword(StandIn, Guid.NewGuid().ToString("N")));

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
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
        var result = await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        if (refusedUnhashed)
        {
            SpendOneVerification(password);
        }

        return result;
    }

    private void SpendOneVerification(string password)
    {
        UserManager.PasswordHasher.VerifyHashedPassword(StandIn, standInHash.Value, password ?? string.Empty);
    }
}
