namespace PalliativeToolkit.Web.Features.Common;

/// <summary>
/// The day as California sees it. Dates people record for their program (a partnership's status taking effect) are
/// California dates: at 6 pm in Sacramento it is already tomorrow in UTC, and "today" must not be.
/// </summary>
public static class CaliforniaTime
{
    private static readonly TimeZoneInfo Pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Pacific).DateTime);
    }

    /// <summary>The California date of an instant stored in UTC (when a round was submitted, say).</summary>
    public static DateOnly DateOf(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Pacific));

    /// <summary>The instant (UTC) a California day ends: midnight in Sacramento at the start of the next day.</summary>
    public static DateTime EndOf(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), Pacific);

    /// <summary>The California year, for the default cycle of something started today.</summary>
    public static int Year(TimeProvider time) => Today(time).Year;

    /// <summary>
    /// A stored instant (UTC) as a Californian reads it: "Nov 25, 2026, 10:05 AM PST" (PDT in summer), whatever the
    /// server's own time zone.
    /// </summary>
    public static string Describe(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Pacific);
        var zone = Pacific.IsDaylightSavingTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) ? "PDT" : "PST";
        return local.ToString("MMM d, yyyy, h:mm tt", System.Globalization.CultureInfo.InvariantCulture) + " " + zone;
    }
}
