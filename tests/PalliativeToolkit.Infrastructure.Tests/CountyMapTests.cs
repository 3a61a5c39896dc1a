using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Seeding;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>The county map drawn from Census geometry: one outline per county of the reference data, inside its box.</summary>
public sealed class CountyMapTests
{
    [Fact]
    public void The_map_has_one_outline_for_each_of_the_58_counties_named_as_the_census_names_them()
    {
        var map = CaliforniaCountyMap.Instance;

        Assert.Equal(CaliforniaCounties.All, map.Counties.Select(c => c.County));
        Assert.All(map.Counties, c => Assert.StartsWith("M", c.Path, StringComparison.Ordinal));
        Assert.Equal("0 0 600 700", map.ViewBox);
        Assert.Contains("U.S. Census Bureau", map.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_outline_stays_inside_the_box()
    {
        var numbers = CaliforniaCountyMap.Instance.Counties
            .SelectMany(c => System.Text.RegularExpressions.Regex.Matches(c.Path, @"-?\d+(\.\d+)?").Select(m => double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        Assert.All(numbers, n => Assert.InRange(n, -1, 701));
    }
}
