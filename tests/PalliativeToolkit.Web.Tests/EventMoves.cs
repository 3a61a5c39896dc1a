using PalliativeToolkit.Web.Features.Community;

namespace PalliativeToolkit.Web.Tests;

internal static class EventMoves
{
    /// <summary>
    /// Moves the event an hour later in its own time zone: past midnight it moves to the next day (a start of 24:00
    /// is not a time of day, and tests that schedule "20 hours from now" start at 23:00 for one hour a day).
    /// </summary>
    public static void OneHourLater(SaveEventCommand command)
    {
        var later = (command.LocalStart ?? throw new InvalidOperationException("The event has no start.")).AddHours(1);
        command.Date = later.Date;
        command.StartTime = later.TimeOfDay;
    }
}
