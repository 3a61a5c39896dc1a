using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Tests;

/// <summary>California's clock as people read it, across the changes to and from daylight saving time.</summary>
public class CaliforniaTimeTests
{
    [Theory]
    [InlineData("2026-11-01T08:30:00Z", "Nov 1, 2026, 1:30 AM PDT")] // the first 1:30 of the repeated hour
    [InlineData("2026-11-01T09:30:00Z", "Nov 1, 2026, 1:30 AM PST")] // the second
    [InlineData("2026-03-08T09:59:00Z", "Mar 8, 2026, 1:59 AM PST")]
    [InlineData("2026-03-08T10:00:00Z", "Mar 8, 2026, 3:00 AM PDT")]
    public void Describe_names_the_zone_in_force_at_that_instant(string utc, string expected) =>
        Assert.Equal(expected, CaliforniaTime.Describe(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)));
}
