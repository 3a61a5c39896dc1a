using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Domain.Tests;

/// <summary>The 58 counties: Census FIPS codes, one region each, found by name and never invented.</summary>
public sealed class CaliforniaCountiesTests
{
    [Fact]
    public void There_are_58_counties_with_the_census_codes_06001_to_06115_in_alphabetical_order()
    {
        Assert.Equal(58, CaliforniaCounties.All.Count);
        Assert.Equal(Enumerable.Range(0, 58).Select(i => $"06{1 + (2 * i):000}"), CaliforniaCounties.All.Select(c => c.Fips));
        Assert.Equal(CaliforniaCounties.All.Select(c => c.Name).Order(StringComparer.Ordinal), CaliforniaCounties.All.Select(c => c.Name));
    }

    [Fact]
    public void Every_county_is_in_one_of_the_five_regions_and_every_region_has_counties()
    {
        Assert.All(CaliforniaCounties.All, c => Assert.Contains(c.Region, CaliforniaCounties.Regions));
        Assert.Equal(
            new Dictionary<string, int>
            {
                [CaliforniaCounties.NorthernCalifornia] = 11,
                [CaliforniaCounties.BayArea] = 11,
                [CaliforniaCounties.GreaterSacramento] = 13,
                [CaliforniaCounties.SanJoaquinValley] = 12,
                [CaliforniaCounties.SouthernCalifornia] = 11,
            },
            CaliforniaCounties.All.GroupBy(c => c.Region).ToDictionary(g => g.Key, g => g.Count()));
    }

    [Theory]
    [InlineData("Los Angeles", "06037")]
    [InlineData("  san francisco ", "06075")]
    [InlineData("Contra Costa County", "06013")]
    public void A_county_is_found_by_its_name(string name, string fips) => Assert.Equal(fips, CaliforniaCounties.ByName(name)?.Fips);

    [Theory]
    [InlineData("Atlantis")]
    [InlineData("Gotham")]
    [InlineData("")]
    [InlineData(null)]
    public void A_name_that_is_no_county_finds_nothing(string? name) => Assert.Null(CaliforniaCounties.ByName(name));
}
