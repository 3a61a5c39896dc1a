using Microsoft.JSInterop;
using PalliativeToolkit.Domain.Community;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>
/// The viewer's own time zone, read once per circuit from their browser (<c>Intl.DateTimeFormat().resolvedOptions()</c>).
/// Null until read, and when the browser names no zone the portal knows: the pages then show Pacific time only.
/// </summary>
public sealed class ViewerTimeZone(IJSRuntime js, ILogger<ViewerTimeZone> logger)
{
    private bool _read;

    public string? Id { get; private set; }

    /// <summary>Reads the zone from the browser, once; call it after the first interactive render.</summary>
    public async Task<string?> ReadAsync()
    {
        if (_read)
        {
            return Id;
        }

        try
        {
            var zone = await js.InvokeAsync<string?>("ptkTimeZone");
            Id = EventTime.Zone(zone)?.Id;
            _read = true;
        }
        catch (JSException ex)
        {
            logger.LogInformation(ex, "The browser did not tell its time zone");
            _read = true;
        }
        catch (InvalidOperationException)
        {
            // Prerendering: no browser yet; the interactive render reads it.
        }

        return Id;
    }
}
