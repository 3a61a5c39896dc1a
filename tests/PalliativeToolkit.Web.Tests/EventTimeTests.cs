using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Web.Features.Community;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// An event's time around the changes to and from daylight saving time: 10:00 Pacific on the Sunday of the March and
/// November changes is the right instant, and reads right in Pacific time and in a viewer's zone that changes on another
/// day (London) or the same day (New York).
/// </summary>
public class EventTimeTests
{
    [Theory]
    [InlineData(2026, 3, 7, "2026-03-07T18:00:00Z", "Sat, Mar 7, 2026, 10:00 AM PST", "Sat, Mar 7, 2026, 1:00 PM (UTC-5)", "Sat, Mar 7, 2026, 6:00 PM (UTC+0)")]
    [InlineData(2026, 3, 8, "2026-03-08T17:00:00Z", "Sun, Mar 8, 2026, 10:00 AM PDT", "Sun, Mar 8, 2026, 1:00 PM (UTC-4)", "Sun, Mar 8, 2026, 5:00 PM (UTC+0)")]
    [InlineData(2026, 3, 29, "2026-03-29T17:00:00Z", "Sun, Mar 29, 2026, 10:00 AM PDT", "Sun, Mar 29, 2026, 1:00 PM (UTC-4)", "Sun, Mar 29, 2026, 6:00 PM (UTC+1)")]
    [InlineData(2026, 10, 31, "2026-10-31T17:00:00Z", "Sat, Oct 31, 2026, 10:00 AM PDT", "Sat, Oct 31, 2026, 1:00 PM (UTC-4)", "Sat, Oct 31, 2026, 5:00 PM (UTC+0)")]
    [InlineData(2026, 11, 1, "2026-11-01T18:00:00Z", "Sun, Nov 1, 2026, 10:00 AM PST", "Sun, Nov 1, 2026, 1:00 PM (UTC-5)", "Sun, Nov 1, 2026, 6:00 PM (UTC+0)")]
    public void Ten_in_the_morning_pacific_is_the_right_instant_and_reads_right_in_each_zone(int year, int month, int day, string utc, string pacific, string newYork, string london)
    {
        var time = EventTime.At(new DateTime(year, month, day, 10, 0, 0), EventTime.Pacific, 60);

        Assert.Equal(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), time.StartsAtUtc);
        Assert.Equal(DateTimeKind.Utc, time.StartsAtUtc.Kind);
        Assert.Equal(pacific, EventClock.Pacific(time.StartsAtUtc));
        Assert.Equal(pacific, EventClock.In(time.StartsAtUtc, "America/Los_Angeles"));
        Assert.Equal(newYork, EventClock.In(time.StartsAtUtc, "America/New_York"));
        Assert.Equal(london, EventClock.In(time.StartsAtUtc, "Europe/London"));
    }

    [Fact]
    public void A_time_skipped_when_the_clocks_go_forward_is_refused_and_one_that_happens_twice_is_the_first()
    {
        var skipped = new DateTime(2026, 3, 8, 2, 30, 0);
        var twice = new DateTime(2026, 11, 1, 1, 30, 0);

        Assert.Contains("does not exist on March 8, 2026 in America/Los_Angeles", EventTime.Problem(skipped, EventTime.Pacific), StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => EventTime.At(skipped, EventTime.Pacific, 60));
        Assert.Equal(new DateTime(2026, 11, 1, 8, 30, 0, DateTimeKind.Utc), EventTime.At(twice, EventTime.Pacific, 60).StartsAtUtc);
        Assert.Equal("Sun, Nov 1, 2026, 1:30 AM PDT", EventClock.Pacific(EventTime.At(twice, EventTime.Pacific, 60).StartsAtUtc));
    }

    [Fact]
    public void An_event_scheduled_in_another_zone_keeps_its_own_wall_clock_time()
    {
        var time = EventTime.At(new DateTime(2026, 3, 8, 13, 0, 0), "America/New_York", 90);

        Assert.Equal(new DateTime(2026, 3, 8, 17, 0, 0, DateTimeKind.Utc), time.StartsAtUtc);
        Assert.Equal(new DateTime(2026, 3, 8, 18, 30, 0, DateTimeKind.Utc), time.EndsAtUtc);
        Assert.Equal("Sun, Mar 8, 2026, 10:00 AM PDT", EventClock.Pacific(time.StartsAtUtc));
        Assert.Null(EventTime.Zone("Pacific Standard Time"));
        Assert.Null(EventTime.Zone("Not/A_Zone"));
        Assert.Equal("UTC+5:30", EventClock.Offset(new TimeSpan(5, 30, 0)));
        Assert.Equal("1 hour 30 minutes", EventClock.Duration(90));
    }
}
