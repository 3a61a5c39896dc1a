using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace PalliativeToolkit.Web.Features.Common;

/// <summary>
/// Asks before an action that cannot simply be undone (submit, delete, withdraw, remove…): the dialog names what will
/// happen, and the button says the action itself rather than "OK".
/// </summary>
public static class Confirmations
{
    /// <summary>True when the user chose <paramref name="action"/>; false on "Cancel", Escape or closing the dialog.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string action, IReadOnlyList<string>? details = null, string? detailsHeading = null)
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        var html = HtmlEncoder.Default;
        var body = $"<p>{html.Encode(message)}</p>";
        if (details is { Count: > 0 })
        {
            body += (detailsHeading is null ? string.Empty : $"<p class=\"mt-2\"><strong>{html.Encode(detailsHeading)}</strong></p>")
                + "<ul class=\"confirm-details\">" + string.Concat(details.Select(d => $"<li>{html.Encode(d)}</li>")) + "</ul>";
        }

        var answer = await dialogs.ShowMessageBoxAsync(
            new MessageBoxOptions { Title = title, MarkupMessage = new MarkupString(body), YesText = action, CancelText = "Cancel" },
            new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true });
        return answer == true;
    }
}
