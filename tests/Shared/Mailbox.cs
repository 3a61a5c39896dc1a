using System.Text.RegularExpressions;
using MimeKit;

namespace PalliativeToolkit.Testing;

/// <summary>Reads what the portal emailed: with pickup delivery every message is an .eml file in one folder.</summary>
public static partial class Mailbox
{
    /// <summary>
    /// Waits until the message is in the folder: it checks at once and again whenever a file there is written, and
    /// gives up after <paramref name="timeout"/> (15 s by default) with a message naming what never came.
    /// </summary>
    public static async Task<MimeMessage> WaitForAsync(string folder, string to, string subject, TimeSpan? timeout = null)
    {
        Directory.CreateDirectory(folder);
        using var written = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(folder, "*.eml") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        watcher.Created += (_, _) => written.Release();
        watcher.Changed += (_, _) => written.Release();
        watcher.Renamed += (_, _) => written.Release();
        watcher.EnableRaisingEvents = true;
        using var expiry = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                foreach (var message in await ReadAllAsync(folder))
                {
                    if (message.Subject == subject && message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
                    {
                        return message;
                    }
                }

                // A half-written file is read again on its next write event.
                await written.WaitAsync(expiry.Token);
            }
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested)
        {
            throw new TimeoutException($"No email \"{subject}\" to {to} arrived in {folder}.");
        }
    }

    /// <summary>Every message in the folder, newest first.</summary>
    public static async Task<IReadOnlyList<MimeMessage>> ReadAllAsync(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var messages = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(folder, "*.eml").OrderDescending(StringComparer.Ordinal))
        {
            try
            {
                messages.Add(await MimeMessage.LoadAsync(file));
            }
            catch (IOException)
            {
                // still being written: the next poll reads it
            }
            catch (FormatException)
            {
                // still being written: the next poll reads it
            }
        }

        return messages;
    }

    /// <summary>The one web link in the message's text part.</summary>
    public static Uri LinkIn(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = Link().Match(message.TextBody ?? string.Empty);
        return match.Success ? new Uri(match.Value) : throw new InvalidOperationException($"No link in the email \"{message.Subject}\".");
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Link();
}
