using System.Text.Json;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Infrastructure.Seeding;

/// <summary>One county's outline on the portal's California map, as an SVG path in <see cref="CaliforniaCountyMap.ViewBox"/>.</summary>
public sealed record CountyShape(CaliforniaCounty County, string Path);

/// <summary>
/// The California county map, read once from the data file made from Census geometry (Seeding/Data/Counties: the file
/// and the script that made it). Every shape belongs to one of <see cref="CaliforniaCounties.All"/>, checked on load.
/// </summary>
public sealed class CaliforniaCountyMap
{
    private const string Resource = ".Seeding.Data.Counties.california-counties.json";
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private CaliforniaCountyMap(string viewBox, string source, IReadOnlyList<CountyShape> counties)
    {
        ViewBox = viewBox;
        Source = source;
        Counties = counties;
    }

    public static CaliforniaCountyMap Instance { get; } = Load();

    public string ViewBox { get; }

    /// <summary>Where the geometry came from, for a caption under the map.</summary>
    public string Source { get; }

    /// <summary>The 58 shapes, in FIPS order.</summary>
    public IReadOnlyList<CountyShape> Counties { get; }

    private sealed record FileCounty(string Fips, string Name, string Path);

    private sealed record MapFile(string Source, string ViewBox, List<FileCounty> Counties);

    private static CaliforniaCountyMap Load()
    {
        var assembly = typeof(CaliforniaCountyMap).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(Resource, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        var file = JsonSerializer.Deserialize<MapFile>(stream, Json)
            ?? throw new InvalidOperationException("The county map file is empty.");
        var shapes = file.Counties.Select(c =>
        {
            var county = CaliforniaCounties.ByFips(c.Fips);
            if (county is null || county.Name != c.Name || string.IsNullOrWhiteSpace(c.Path))
            {
                throw new InvalidOperationException($"The county map has a shape for {c.Fips} {c.Name} that is not one of California's counties.");
            }

            return new CountyShape(county, c.Path);
        }).OrderBy(s => s.County.Fips, StringComparer.Ordinal).ToList();
        if (shapes.Count != CaliforniaCounties.All.Count)
        {
            throw new InvalidOperationException($"The county map has {shapes.Count} shapes for California's {CaliforniaCounties.All.Count} counties.");
        }

        return new CaliforniaCountyMap(file.ViewBox, file.Source, shapes);
    }
}
