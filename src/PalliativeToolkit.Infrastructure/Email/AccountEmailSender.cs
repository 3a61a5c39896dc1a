using System.Text.Encodings.Web;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Infrastructure.Email;

/// <summary>
/// The account emails the portal sends: the Identity pages' confirmation and reset links, and invitations.
/// A delivery failure never escapes: the Identity pages carry on (a reset page must not reveal which addresses have
/// accounts), and <see cref="SendInvitationAsync"/> reports it. Logs say what was sent and how, never an address, a link
/// or a server reply (which may quote the address).
/// </summary>
public sealed class AccountEmailSender(IMailDelivery delivery, IOptions<EmailOptions> options, ILogger<AccountEmailSender> logger)
    : IEmailSender<ApplicationUser>
{
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) =>
        SendLinkAsync(user, email, "Confirm your email", "Please confirm the email address of your PalliativeToolkit account.", "Confirm my email", confirmationLink, "confirmation");

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) =>
        SendLinkAsync(user, email, "Reset your password", "Someone asked to reset the password of your PalliativeToolkit account. If it was you, choose a new password here; otherwise ignore this email.", "Choose a new password", resetLink, "password reset");

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode)
    {
        var text = $"Your PalliativeToolkit password reset code is: {resetCode}";
        return TrySendAsync(user, email, "Reset your password", text, HtmlEncoder.Default.Encode(text), "password reset code");
    }

    /// <summary>An administrator or manager created the account: the link lets the new user choose a password. False when it could not be sent.</summary>
    public Task<bool> SendInvitationAsync(ApplicationUser user, string email, string organizationText, string setPasswordLink) =>
        SendLinkAsync(user, email, "Your PalliativeToolkit account",
            $"A PalliativeToolkit account has been created for you ({organizationText}). Choose your password to sign in.",
            "Choose my password", setPasswordLink, "invitation");

    /// <summary>
    /// The link as it goes out: on <see cref="EmailOptions.PortalUrl"/> when that is set, whatever host the request named,
    /// so that a forged Host header cannot send someone a genuine token on another site.
    /// </summary>
    private string Rebase(string link)
    {
        var portal = options.Value.PortalUrl;
        if (string.IsNullOrWhiteSpace(portal) || !Uri.TryCreate(link, UriKind.Absolute, out var uri))
        {
            return link;
        }

        return new Uri(new Uri(portal.TrimEnd('/') + "/"), uri.PathAndQuery.TrimStart('/')).AbsoluteUri;
    }

    private Task<bool> SendLinkAsync(ApplicationUser user, string email, string subject, string lead, string action, string link, string purpose)
    {
        var encoder = HtmlEncoder.Default;
        var outgoing = Rebase(link);
        var text = $"{lead}\n\n{action}: {outgoing}\n";
        var html = $"<p>{encoder.Encode(lead)}</p><p><a href=\"{encoder.Encode(outgoing)}\">{encoder.Encode(action)}</a></p>";
        return TrySendAsync(user, email, subject, text, html, purpose);
    }

    private async Task<bool> TrySendAsync(ApplicationUser user, string email, string subject, string text, string html, string purpose)
    {
        ArgumentNullException.ThrowIfNull(user);
        var settings = options.Value;
        try
        {
            await delivery.DeliverAsync(settings.Compose(user.DisplayName, email, subject, text, html));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only the kind of failure: a server's reply or a parse error can quote the address.
            var status = ex is SmtpCommandException command ? $" (SMTP {(int)command.StatusCode})" : string.Empty;
            logger.LogError("Email ({Purpose}) not sent by {Delivery}: {Failure}{Status}", purpose, settings.Delivery, ex.GetType().Name, status);
            return false;
        }

        logger.LogInformation("Email ({Purpose}) sent by {Delivery}", purpose, settings.Delivery);
        return true;
    }
}
