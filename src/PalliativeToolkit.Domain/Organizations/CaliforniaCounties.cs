namespace PalliativeToolkit.Domain.Organizations;

/// <summary>One of California's 58 counties: its five-digit Census FIPS code (state 06), its name and its region.</summary>
public sealed record CaliforniaCounty(string Fips, string Name, string Region);

/// <summary>
/// California's 58 counties, the reference data behind every county the portal stores or shows (never free text).
/// FIPS codes are the U.S. Census Bureau's; the regions are the five the California Department of Public Health
/// grouped all counties into in December 2020 (Northern California, Bay Area, Greater Sacramento, San Joaquin Valley,
/// Southern California), used here to group counties in lists and summaries.
/// </summary>
public static class CaliforniaCounties
{
    public const string NorthernCalifornia = "Northern California";
    public const string BayArea = "Bay Area";
    public const string GreaterSacramento = "Greater Sacramento";
    public const string SanJoaquinValley = "San Joaquin Valley";
    public const string SouthernCalifornia = "Southern California";

    public static IReadOnlyList<string> Regions { get; } = [NorthernCalifornia, BayArea, GreaterSacramento, SanJoaquinValley, SouthernCalifornia];

    public static IReadOnlyList<CaliforniaCounty> All { get; } =
    [
        new("06001", "Alameda", BayArea),
        new("06003", "Alpine", GreaterSacramento),
        new("06005", "Amador", GreaterSacramento),
        new("06007", "Butte", GreaterSacramento),
        new("06009", "Calaveras", SanJoaquinValley),
        new("06011", "Colusa", GreaterSacramento),
        new("06013", "Contra Costa", BayArea),
        new("06015", "Del Norte", NorthernCalifornia),
        new("06017", "El Dorado", GreaterSacramento),
        new("06019", "Fresno", SanJoaquinValley),
        new("06021", "Glenn", NorthernCalifornia),
        new("06023", "Humboldt", NorthernCalifornia),
        new("06025", "Imperial", SouthernCalifornia),
        new("06027", "Inyo", SouthernCalifornia),
        new("06029", "Kern", SanJoaquinValley),
        new("06031", "Kings", SanJoaquinValley),
        new("06033", "Lake", NorthernCalifornia),
        new("06035", "Lassen", NorthernCalifornia),
        new("06037", "Los Angeles", SouthernCalifornia),
        new("06039", "Madera", SanJoaquinValley),
        new("06041", "Marin", BayArea),
        new("06043", "Mariposa", SanJoaquinValley),
        new("06045", "Mendocino", NorthernCalifornia),
        new("06047", "Merced", SanJoaquinValley),
        new("06049", "Modoc", NorthernCalifornia),
        new("06051", "Mono", SouthernCalifornia),
        new("06053", "Monterey", BayArea),
        new("06055", "Napa", BayArea),
        new("06057", "Nevada", GreaterSacramento),
        new("06059", "Orange", SouthernCalifornia),
        new("06061", "Placer", GreaterSacramento),
        new("06063", "Plumas", GreaterSacramento),
        new("06065", "Riverside", SouthernCalifornia),
        new("06067", "Sacramento", GreaterSacramento),
        new("06069", "San Benito", SanJoaquinValley),
        new("06071", "San Bernardino", SouthernCalifornia),
        new("06073", "San Diego", SouthernCalifornia),
        new("06075", "San Francisco", BayArea),
        new("06077", "San Joaquin", SanJoaquinValley),
        new("06079", "San Luis Obispo", SouthernCalifornia),
        new("06081", "San Mateo", BayArea),
        new("06083", "Santa Barbara", SouthernCalifornia),
        new("06085", "Santa Clara", BayArea),
        new("06087", "Santa Cruz", BayArea),
        new("06089", "Shasta", NorthernCalifornia),
        new("06091", "Sierra", GreaterSacramento),
        new("06093", "Siskiyou", NorthernCalifornia),
        new("06095", "Solano", BayArea),
        new("06097", "Sonoma", BayArea),
        new("06099", "Stanislaus", SanJoaquinValley),
        new("06101", "Sutter", GreaterSacramento),
        new("06103", "Tehama", NorthernCalifornia),
        new("06105", "Trinity", NorthernCalifornia),
        new("06107", "Tulare", SanJoaquinValley),
        new("06109", "Tuolumne", SanJoaquinValley),
        new("06111", "Ventura", SouthernCalifornia),
        new("06113", "Yolo", GreaterSacramento),
        new("06115", "Yuba", GreaterSacramento),
    ];

    private static readonly Dictionary<string, CaliforniaCounty> ByCode = All.ToDictionary(c => c.Fips, StringComparer.Ordinal);
    private static readonly Dictionary<string, CaliforniaCounty> ByCountyName = All.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The counties of these names, in FIPS order; a name that is no California county is refused.</summary>
    public static IReadOnlyList<CaliforniaCounty> Named(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Select(n => ByName(n) ?? throw new Common.DomainException($"\"{n}\" is not a California county.")).Distinct().OrderBy(c => c.Fips, StringComparer.Ordinal).ToList();
    }

    /// <summary>Counties as people read them: "Napa, Solano, Sonoma".</summary>
    public static string Describe(IEnumerable<CaliforniaCounty> counties) => string.Join(", ", counties.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => c.Name));

    /// <summary>Counties given by FIPS code as people read them; a code that is no county is left out.</summary>
    public static string Describe(IEnumerable<string> fips) => Describe(fips.Select(ByFips).OfType<CaliforniaCounty>());

    public static CaliforniaCounty? ByFips(string? fips) => fips is not null && ByCode.TryGetValue(fips, out var county) ? county : null;

    /// <summary>The county of that name (any case, an optional trailing "County" ignored), or null: "Atlantis" is none.</summary>
    public static CaliforniaCounty? ByName(string? name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.EndsWith(" County", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[..^" County".Length].TrimEnd();
        }

        return ByCountyName.TryGetValue(trimmed, out var county) ? county : null;
    }
}
