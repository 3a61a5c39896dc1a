using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace PalliativeToolkit.Infrastructure.Email;

/// <summary>Hands a finished message to whatever carries it: a pickup folder or an SMTP server.</summary>
public interface IMailDelivery
{
    Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken = default);
}

/// <summary>
/// Writes each message as an <c>.eml</c> file that any mail client opens. The file is written under a temporary name and
/// then renamed, so whatever watches the folder (a relay, a test) never opens a half-written message.
/// </summary>
public sealed class PickupDirectoryDelivery(string directory, TimeProvider clock) : IMailDelivery
{
    public string Directory { get; } = directory;

    public async Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"{clock.GetUtcNow():yyyyMMdd-HHmmssfff}-{Guid.NewGuid():N}";
        var writing = Path.Combine(Directory, name + ".tmp");
        await message.WriteToAsync(writing, cancellationToken);
        File.Move(writing, Path.Combine(Directory, name + ".eml"));
    }
}

/// <summary>Sends each message through the configured SMTP server (MailKit).</summary>
public sealed class SmtpDelivery(IOptions<EmailOptions> options) : IMailDelivery
{
    public async Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, ToMailKit(smtp.Security), cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private static SecureSocketOptions ToMailKit(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };
}
