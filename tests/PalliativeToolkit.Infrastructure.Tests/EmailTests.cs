using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using PalliativeToolkit.Infrastructure.Email;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Infrastructure.Tests;

public sealed class EmailTests : IDisposable
{
    private const string Link = "https://portal.example.org/Account/ResetPassword?code=a1&next=%2F";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-mail", Guid.NewGuid().ToString("N"));
    private readonly ApplicationUser _user = new() { DisplayName = "Pat Example", Email = "pat@plan.example.org" };

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_reset_link_is_written_to_the_pickup_folder_whole_and_the_log_names_neither_address_nor_link()
    {
        var logger = new FakeLogger<AccountEmailSender>();
        var sender = new AccountEmailSender(new PickupDirectoryDelivery(_folder, new FakeTimeProvider()), Options.Create(new EmailOptions()), logger);

        await sender.SendPasswordResetLinkAsync(_user, _user.Email!, Link);

        var message = await MimeMessage.LoadAsync(Directory.GetFiles(_folder, "*.eml").Single(), TestContext.Current.CancellationToken);
        Assert.Equal("Reset your password", message.Subject);
        Assert.Equal("pat@plan.example.org", message.To.Mailboxes.Single().Address);
        Assert.Equal("no-reply@palliativetoolkit.local", message.From.Mailboxes.Single().Address);
        Assert.Contains(Link, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://portal.example.org/Account/ResetPassword?code=a1&amp;next=%2F\"", message.HtmlBody, StringComparison.Ordinal);
        var logged = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal("Email (password reset) sent by Pickup", logged.Message);
    }

    [Fact]
    public async Task Text_that_looks_like_html_stays_text_in_the_html_part()
    {
        var sender = new AccountEmailSender(new PickupDirectoryDelivery(_folder, TimeProvider.System), Options.Create(new EmailOptions()), new FakeLogger<AccountEmailSender>());

        await sender.SendInvitationAsync(_user, _user.Email!, "Manager of <b>Plan</b> & Co", Link);

        var message = await MimeMessage.LoadAsync(Directory.GetFiles(_folder, "*.eml").Single(), TestContext.Current.CancellationToken);
        Assert.Contains("Manager of &lt;b&gt;Plan&lt;/b&gt; &amp; Co", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Manager of <b>Plan</b> & Co", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtp_delivery_hands_the_message_to_the_server()
    {
        using var server = new OneMessageSmtpServer();
        var options = Options.Create(new EmailOptions
        {
            Delivery = EmailDelivery.Smtp,
            Smtp = new SmtpSettings { Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None },
        });
        var sender = new AccountEmailSender(new SmtpDelivery(options), options, new FakeLogger<AccountEmailSender>());

        await sender.SendConfirmationLinkAsync(_user, _user.Email!, Link);

        var received = await server.Received.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Contains("RCPT TO:<pat@plan.example.org>", received.Commands);
        using var data = new MemoryStream(Encoding.UTF8.GetBytes(received.Data));
        var message = await MimeMessage.LoadAsync(data, TestContext.Current.CancellationToken);
        Assert.Equal("Confirm your email", message.Subject);
        Assert.Contains(Link, message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Links_go_out_on_the_configured_portal_address_whatever_host_the_request_named()
    {
        var options = Options.Create(new EmailOptions { PortalUrl = "https://toolkit.example.org/" });
        var sender = new AccountEmailSender(new PickupDirectoryDelivery(_folder, TimeProvider.System), options, new FakeLogger<AccountEmailSender>());

        await sender.SendPasswordResetLinkAsync(_user, _user.Email!, "http://evil.example.net/Account/ResetPassword?code=a1&next=%2F");

        var message = await MimeMessage.LoadAsync(Directory.GetFiles(_folder, "*.eml").Single(), TestContext.Current.CancellationToken);
        Assert.Contains("https://toolkit.example.org/Account/ResetPassword?code=a1&next=%2F", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", message.TextBody + message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_delivery_is_reported_and_logged_without_the_address_or_the_servers_words()
    {
        var logger = new FakeLogger<AccountEmailSender>();
        var sender = new AccountEmailSender(new RefusingDelivery(), Options.Create(new EmailOptions { Delivery = EmailDelivery.Smtp }), logger);

        var invited = await sender.SendInvitationAsync(_user, _user.Email!, "Viewer of a plan", Link);
        await sender.SendPasswordResetLinkAsync(_user, _user.Email!, Link); // the reset page carries on: it must not reveal who has an account

        Assert.False(invited);
        var logged = logger.Collector.GetSnapshot();
        Assert.Equal(2, logged.Count);
        Assert.All(logged, l => Assert.DoesNotContain("pat@", l.Message, StringComparison.Ordinal));
        Assert.Equal("Email (invitation) not sent by Smtp: SmtpCommandException (SMTP 550)", logged[0].Message);
    }

    [Fact]
    public async Task An_address_mail_cannot_carry_is_a_failed_send_not_an_error()
    {
        var sender = new AccountEmailSender(new PickupDirectoryDelivery(_folder, TimeProvider.System), Options.Create(new EmailOptions()), new FakeLogger<AccountEmailSender>());

        Assert.False(await sender.SendInvitationAsync(_user, "a..b@x.org", "Viewer of a plan", Link));
        Assert.False(Directory.Exists(_folder) && Directory.GetFiles(_folder).Length > 0);
    }

    [Theory]
    [InlineData("Smtp", "smtp.example.org", "no-reply@x.org", "Email:Delivery is Smtp, but Email:PortalUrl is not the portal's address (for example https://toolkit.example.org/). Links in emails are built on it.")]
    [InlineData("Smtp", "", "no-reply@x.org", "Email:Delivery is Smtp, but Email:Smtp:Host is empty.")]
    [InlineData("Pickup", "", "not an address", "Email:FromAddress is not an email address.")]
    public void Bad_email_settings_are_named_when_the_app_starts(string delivery, string host, string from, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Sqlite"] = "Data Source=:memory:",
            ["Email:Delivery"] = delivery,
            ["Email:Smtp:Host"] = host,
            ["Email:FromAddress"] = from,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddToolkitInfrastructure(configuration, _folder).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmailOptions>>().Value);

        Assert.Contains(expected, error.Failures);
    }

    /// <summary>A server that refuses the recipient, quoting the address as real servers do.</summary>
    private sealed class RefusingDelivery : IMailDelivery
    {
        public Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken = default) =>
            throw new MailKit.Net.Smtp.SmtpCommandException(
                MailKit.Net.Smtp.SmtpErrorCode.RecipientNotAccepted, MailKit.Net.Smtp.SmtpStatusCode.MailboxUnavailable,
                message.To.Mailboxes.First(), $"5.1.1 <{message.To.Mailboxes.First().Address}>: Recipient address rejected");
    }

    /// <summary>Just enough SMTP (no TLS, no auth) to accept one message on a loopback port.</summary>
    private sealed class OneMessageSmtpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public OneMessageSmtpServer()
        {
            _listener.Start();
            Received = ServeAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Task<(List<string> Commands, string Data)> Received { get; }

        private async Task<(List<string>, string)> ServeAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            var commands = new List<string>();
            var data = new StringBuilder();
            await writer.WriteLineAsync("220 test ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                commands.Add(line);
                if (line.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase))
                {
                    await writer.WriteLineAsync("250 test");
                }
                else if (line.StartsWith("DATA", StringComparison.OrdinalIgnoreCase))
                {
                    await writer.WriteLineAsync("354 go ahead");
                    while (await reader.ReadLineAsync() is { } body && body != ".")
                    {
                        data.Append(body.StartsWith("..", StringComparison.Ordinal) ? body[1..] : body).Append("\r\n");
                    }

                    await writer.WriteLineAsync("250 queued");
                }
                else if (line.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase))
                {
                    await writer.WriteLineAsync("221 bye");
                    break;
                }
                else
                {
                    await writer.WriteLineAsync("250 ok");
                }
            }

            return (commands, data.ToString());
        }

        public void Dispose() => _listener.Stop();
    }
}
