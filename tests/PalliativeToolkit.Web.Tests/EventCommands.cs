using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Web.Features.Community;

namespace PalliativeToolkit.Web.Tests;

/// <summary>Event commands shared by the learning community's tests.</summary>
internal static class EventCommands
{
    /// <summary>The command that saves <paramref name="view"/> as it stands: tests change one thing in it.</summary>
    public static SaveEventCommand EditOf(EventView view) => new()
    {
        Id = view.Id,
        ExpectedVersion = view.Version,
        Kind = view.Kind,
        Title = view.Title,
        Date = EventTime.LocalIn(view.StartsAt, view.TimeZoneId).Date,
        StartTime = EventTime.LocalIn(view.StartsAt, view.TimeZoneId).TimeOfDay,
        TimeZoneId = view.TimeZoneId,
        DurationMinutes = view.DurationMinutes,
        Topic = view.Topic,
        Presenters = view.Presenters,
        ElementCodes = view.Elements.Select(e => e.Code).ToList(),
        PlanOrganizationId = view.PlanOrganizationId,
        RecordingUrl = view.RecordingUrl,
    };
}
