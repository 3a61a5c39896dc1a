using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Infrastructure.Email;

/// <summary>
/// The account emails the portal sends: the Identity pages' confirmation and reset links, and administrators' invitations.
/// Logs what was sent and how, never the address or the link.
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
        ArgumentNullException.ThrowIfNull(user);
        var text = $"Your PalliativeToolkit password reset code is: {resetCode}";
        return SendAsync(user, email, "Reset your password", text, HtmlEncoder.Default.Encode(text), "password reset code");
    }

    /// <summary>An administrator created the account: the link lets the new user choose a password.</summary>
    public Task SendInvitationAsync(ApplicationUser user, string email, string organizationText, string setPasswordLink) =>
        SendLinkAsync(user, email, "Your PalliativeToolkit account",
            $"An administrator has created a PalliativeToolkit account for you ({organizationText}). Choose your password to sign in.",
            "Choose my password", setPasswordLink, "invitation");

    private Task SendLinkAsync(ApplicationUser user, string email, string subject, string lead, string action, string link, string purpose)
    {
        ArgumentNullException.ThrowIfNull(user);
        var encoder = HtmlEncoder.Default;
        var text = $"{lead}\n\n{action}: {link}\n";
        var html = $"<p>{encoder.Encode(lead)}</p><p><a href=\"{encoder.Encode(link)}\">{encoder.Encode(action)}</a></p>";
        return SendAsync(user, email, subject, text, html, purpose);
    }

    private async Task SendAsync(ApplicationUser user, string email, string subject, string text, string html, string purpose)
    {
        var settings = options.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        message.To.Add(new MailboxAddress(user.DisplayName, email));
        message.Subject = subject;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        await delivery.DeliverAsync(message);
        logger.LogInformation("Sent a {Purpose} email by {Delivery}", purpose, settings.Delivery);
    }
}
