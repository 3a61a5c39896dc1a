using System.Globalization;
using PalliativeToolkit.Domain.Community;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>
/// An event's time as people read it: in Pacific time (the learning community's own, with PST or PDT) and in the viewer's
/// own zone (read from their browser), each labelled, whatever the server's zone.
/// </summary>
public static class EventClock
{
    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");

    /// <summary>"Sun, Mar 8, 2026, 10:00 AM PDT".</summary>
    public static string Pacific(DateTime utc)
    {
        var local = EventTime.LocalIn(utc, EventTime.Pacific);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(EventTime.Pacific).IsDaylightSavingTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) ? "PDT" : "PST";
        return local.ToString("ddd, MMM d, yyyy, h:mm tt", Culture) + " " + zone;
    }

    /// <summary>"Sun, Mar 8, 2026, 5:00 PM (UTC+0)" in <paramref name="timeZoneId"/> (UTC when it is not a known zone).</summary>
    public static string In(DateTime utc, string? timeZoneId)
    {
        if (IsPacific(timeZoneId))
        {
            return Pacific(utc);
        }

        var local = EventTime.LocalIn(utc, timeZoneId);
        return local.ToString("ddd, MMM d, yyyy, h:mm tt", Culture) + " (" + Offset(EventTime.OffsetIn(utc, timeZoneId)) + ")";
    }

    /// <summary>The time of day only, in the zone ("11:00 AM"), for an event's end.</summary>
    public static string TimeOfDay(DateTime utc, string? timeZoneId) => EventTime.LocalIn(utc, timeZoneId).ToString("h:mm tt", Culture);

    /// <summary>Whether the zone keeps Pacific time (the viewer's time then is not shown twice).</summary>
    public static bool IsPacific(string? timeZoneId) => EventTime.Zone(timeZoneId)?.Id is EventTime.Pacific or "US/Pacific" or "PST8PDT";

    /// <summary>"UTC-7", "UTC+5:30".</summary>
    public static string Offset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0
            ? string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}")
            : string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}:{abs.Minutes:00}");
    }

    /// <summary>"1 hour", "90 minutes", "2 hours 30 minutes".</summary>
    public static string Duration(int minutes) => (minutes / 60, minutes % 60) switch
    {
        (0, var m) => $"{m} minutes",
        (1, 0) => "1 hour",
        (var h, 0) => $"{h} hours",
        (1, var m) => $"1 hour {m} minutes",
        (var h, var m) => $"{h} hours {m} minutes",
    };
}
