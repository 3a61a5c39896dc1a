using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>
/// Creating an account without a password and emailing the link to choose one: shared by administrators (any
/// organization, global roles) and organization managers (their own organization). Callers check who may do it.
/// Each call uses its own UserManager scope, never the circuit's.
/// </summary>
public sealed class Invitations(IServiceScopeFactory scopes, AccountEmailSender emails, ILogger<Invitations> logger)
{
    public async Task<ApplicationUser?> FindByEmailAsync(string email)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email.Trim());
    }

    /// <summary>Creates the account with its global roles; on failure the result says why, next to <paramref name="emailField"/>.</summary>
    public async Task<(ApplicationUser? User, OperationResult? Refusal)> CreateAccountAsync(string email, string displayName, IEnumerable<string> globalRoles, string emailField)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var address = email.Trim();
        if (await users.FindByEmailAsync(address) is not null)
        {
            return (null, OperationResult.FieldError(emailField, "An account with this email address already exists."));
        }

        // The administrator or manager vouches for the address; following the emailed link proves it.
        var user = new ApplicationUser { UserName = address, Email = address, DisplayName = displayName.Trim(), EmailConfirmed = true };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return (null, OperationResult.FieldError(emailField, string.Join(" ", created.Errors.Select(e => e.Description))));
        }

        foreach (var role in globalRoles)
        {
            await users.AddToRoleAsync(user, role);
        }

        logger.LogInformation("Account {UserId} created by invitation", user.Id);
        return (user, null);
    }

    /// <summary>Emails a link to choose a password. <paramref name="what"/> tells the person why they have the account.</summary>
    public async Task<OperationResult> SendPasswordLinkAsync(ApplicationUser user, Uri portal, string what, string ifFailed)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = new Uri(portal, $"Account/ResetPassword?code={Uri.EscapeDataString(code)}").AbsoluteUri;
        try
        {
            await emails.SendInvitationAsync(user, user.Email!, what, link);
            return OperationResult.Ok();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException
            or MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException
            or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException)
        {
            logger.LogError(ex, "Could not send the password link for account {UserId}", user.Id);
            return OperationResult.Refused($"{ifFailed}, but the email could not be sent ({ex.GetType().Name}). Check the Email settings, then use \"Send password link\".");
        }
    }
}
