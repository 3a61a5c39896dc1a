namespace PalliativeToolkit.Infrastructure.Email;

public enum EmailDelivery
{
    /// <summary>Each message is written as an .eml file to <see cref="EmailOptions.PickupDirectory"/> (development, demos, tests).</summary>
    Pickup,

    /// <summary>Each message is sent through the SMTP server in <see cref="EmailOptions.Smtp"/>.</summary>
    Smtp,
}

public enum SmtpSecurity
{
    /// <summary>TLS if the server offers it.</summary>
    Auto,
    StartTls,
    SslOnConnect,
    None,
}

/// <summary>The <c>Email</c> configuration section: how account emails (invitations, password resets, confirmations) leave the portal.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    public EmailDelivery Delivery { get; set; } = EmailDelivery.Pickup;

    /// <summary>Folder for <see cref="EmailDelivery.Pickup"/>; a relative path is resolved against the app's content root.</summary>
    public string PickupDirectory { get; set; } = "App_Data/mail";

    public string FromAddress { get; set; } = "no-reply@palliativetoolkit.local";

    public string FromName { get; set; } = "PalliativeToolkit";

    /// <summary>
    /// The portal's public address (for example https://toolkit.example.org/). Links in emails are built on it rather
    /// than on the request's Host header. Required with <see cref="EmailDelivery.Smtp"/>; optional for a pickup folder.
    /// </summary>
    public string PortalUrl { get; set; } = string.Empty;

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>A message from the portal's sender, with a plain-text and an HTML part: every email the portal sends is made here.</summary>
    public MimeKit.MimeMessage Compose(string toName, string toAddress, string subject, string text, string html)
    {
        var message = new MimeKit.MimeMessage();
        message.From.Add(new MimeKit.MailboxAddress(FromName, FromAddress));
        message.To.Add(new MimeKit.MailboxAddress(toName, toAddress));
        message.Subject = subject;
        message.Body = new MimeKit.BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }
}

public sealed class SmtpSettings
{
    public string Host { get; set; } = string.Empty;
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Leave empty for a relay that needs no login.</summary>
    public string UserName { get; set; } = string.Empty;
    public string Password { get; set; } = string.Empty;
}
