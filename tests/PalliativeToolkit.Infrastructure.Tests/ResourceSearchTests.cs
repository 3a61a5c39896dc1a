using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Resources;
using PalliativeToolkit.Infrastructure.Resources;
using PalliativeToolkit.Infrastructure.Seeding;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>The library's full-text search on a real SQLite file: FTS5 kept by triggers, ranked, safe whatever is typed.</summary>
public class ResourceSearchTests
{
    private static Task<List<string>> TitlesAsync(TestDatabase database, string text) =>
        database.Data.StoredAsync(async db =>
        {
            var matches = await ResourceSearch.MatchAsync(db, text, CancellationToken.None);
            var titles = await db.LibraryResources.Where(r => matches.Select(m => m.Id).Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Title);
            return matches.Select(m => titles[m.Id]).ToList();
        });

    [Fact]
    public async Task The_seeded_library_is_searched_with_stems_and_prefixes_and_a_title_hit_ranks_first()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);

        var metric = await TitlesAsync(database, "metric");
        var prefix = await TitlesAsync(database, "worksh");
        var two = await TitlesAsync(database, "balance metrics");

        Assert.Equal(ResourceLibraryLoader.LoadEmbedded().Count, await database.Data.StoredAsync(db => db.LibraryResources.CountAsync()));
        Assert.Contains("Metrics Balance Check Worksheet", metric);
        Assert.Contains("PCQN Selected Core Metrics", metric);
        Assert.True(metric.IndexOf("PCQN Selected Core Metrics") < metric.IndexOf("Measuring What Matters") || !metric.Contains("Measuring What Matters"),
            "a resource with the word in its title ranks above one with it in its summary only");
        Assert.Contains("Metrics Balance Check Worksheet", prefix);
        Assert.Contains("Preparing for SB 1004 Metrics Selection Worksheet", prefix);
        Assert.Equal("Metrics Balance Check Worksheet", two[0]);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("metrics AND (OR NEAR")]
    [InlineData("*")]
    [InlineData("title:metrics")]
    [InlineData("' OR 1=1 --")]
    [InlineData("   ")]
    public async Task Whatever_is_typed_is_searched_as_words_and_never_breaks_the_query(string text)
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);

        var titles = await TitlesAsync(database, text);

        Assert.All(titles, t => Assert.False(string.IsNullOrEmpty(t)));
    }

    [Fact]
    public async Task A_changed_or_removed_resource_is_found_by_what_it_says_now()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        await database.Data.StoredAsync(async db =>
        {
            var resource = await db.LibraryResources.SingleAsync(r => r.Key == "pcqn-core-metrics");
            resource.Update("Quarterly dashboard starter", resource.Publisher, resource.Kind, resource.Audience, resource.Summary, resource.Url, resource.ElementCodes, resource.Tags);
            db.LibraryResources.Remove(await db.LibraryResources.SingleAsync(r => r.Key == "measuring-what-matters"));
            return await db.SaveChangesAsync();
        });

        Assert.Equal(["Quarterly dashboard starter"], await TitlesAsync(database, "dashboard starter"));
        Assert.DoesNotContain("PCQN Selected Core Metrics", await TitlesAsync(database, "PCQN"));
        Assert.Empty(await TitlesAsync(database, "Measuring What Matters"));
    }

    [Fact]
    public void The_library_file_loads_and_a_bad_entry_is_named()
    {
        var resources = ResourceLibraryLoader.LoadEmbedded();

        Assert.All(resources, r => Assert.False(string.IsNullOrWhiteSpace(r.Summary)));
        Assert.Contains(resources, r => r.Origin == ResourceOrigin.Editors);
        var error = Assert.Throws<InvalidDataException>(() => ResourceLibraryLoader.Load("bad.json",
            """{ "resources": [ { "key": "x", "title": "X", "url": "https://example.org", "kind": "Poster", "audience": "Plan", "origin": "Guide" } ] }"""));
        Assert.Contains("resource 1 (x)", error.Message, StringComparison.Ordinal);
    }
}
