using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Web.Features.Community;

namespace PalliativeToolkit.Web.Tests;

internal static class EventMoves
{
    /// <summary>
    /// Moves the event an hour later, an hour of real time in its own time zone: past midnight it moves to the next day
    /// (a start of 24:00 is not a time of day, and tests that schedule "20 hours from now" start at 23:00 for one hour a
    /// day), and across a change of the clocks it lands on a time that exists.
    /// </summary>
    public static void OneHourLater(SaveEventCommand command)
    {
        var start = EventTime.At(command.LocalStart ?? throw new InvalidOperationException("The event has no start."), command.TimeZoneId, 60);
        var later = EventTime.LocalIn(start.StartsAtUtc.AddHours(1), command.TimeZoneId);
        command.Date = later.Date;
        command.StartTime = later.TimeOfDay;
    }
}
