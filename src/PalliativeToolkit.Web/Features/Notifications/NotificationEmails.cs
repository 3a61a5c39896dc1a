using System.Text;
using System.Text.Encodings.Web;
using PalliativeToolkit.Domain.Notifications;
using PalliativeToolkit.Infrastructure.Email;

namespace PalliativeToolkit.Web.Features.Notifications;

/// <summary>How notifications read as email: one per event, or one daily digest. Every text is encoded; the link is absolute.</summary>
public static class NotificationEmails
{
    private const string Footer = "You get this email because of your notification choices in PalliativeToolkit (My account → Notifications).";

    /// <summary>
    /// The portal address of a relative link: the configured public address when there is one (never a request's Host
    /// header), else the address the acting user's page had.
    /// </summary>
    public static string Absolute(EmailOptions options, Uri? portal, string link)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = !string.IsNullOrWhiteSpace(options.PortalUrl) ? new Uri(options.PortalUrl.TrimEnd('/') + "/") : portal;
        return root is null ? link : new Uri(root, link).AbsoluteUri;
    }

    public static OutgoingEmail ForEvent(string to, string name, string title, string body, string link, DateTime now)
    {
        var text = $"{body}\n\nOpen in PalliativeToolkit: {link}\n\n{Footer}\n";
        var html = $"<p>{Lines(body)}</p><p><a href=\"{HtmlEncoder.Default.Encode(link)}\">Open in PalliativeToolkit</a></p><p><small>{HtmlEncoder.Default.Encode(Footer)}</small></p>";
        return new OutgoingEmail(to, name, $"PalliativeToolkit: {title}", text, html, "notification", now);
    }

    public static OutgoingEmail Digest(string to, string name, IReadOnlyList<(string Title, string Body, string Link, DateTime At)> items, DateTime now)
    {
        var text = new StringBuilder($"What happened in PalliativeToolkit since your last digest ({items.Count}):\n");
        var html = new StringBuilder($"<p>What happened in PalliativeToolkit since your last digest ({items.Count}):</p>");
        foreach (var item in items)
        {
            text.Append($"\n— {item.Title} ({item.At:yyyy-MM-dd HH:mm} UTC)\n{item.Body}\n{item.Link}\n");
            html.Append($"<h3>{HtmlEncoder.Default.Encode(item.Title)}</h3><p>{Lines(item.Body)}</p><p><a href=\"{HtmlEncoder.Default.Encode(item.Link)}\">Open in PalliativeToolkit</a></p>");
        }

        text.Append($"\n{Footer}\n");
        html.Append($"<p><small>{HtmlEncoder.Default.Encode(Footer)}</small></p>");
        var subject = items.Count == 1 ? $"PalliativeToolkit daily digest: {items[0].Title}" : $"PalliativeToolkit daily digest: {items.Count} updates";
        return new OutgoingEmail(to, name, subject, text.ToString(), html.ToString(), "digest", now);
    }

    private static string Lines(string text) =>
        string.Join("<br>", text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(HtmlEncoder.Default.Encode));
}
