using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>
/// A statewide reviewer exports what the pages show: the filtered heatmap as CSV and the workbook of every view, the
/// state's standing and the review queue, through each page's Export menu; the page says how the download goes.
/// </summary>
public class StatewideExportTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private string LastYear => (App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_reviewer_downloads_the_filtered_heatmap_as_csv_and_the_workbook_and_the_page_shows_the_download()
    {
        await LogInAsync("reviewer");
        await OpenAsync("statewide/heatmap");
        await Page.GetByTestId("heatmap-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = LastYear, Exact = true }).ClickAsync();
        await Page.GetByTestId("heatmap-model").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Regional" }).ClickAsync();
        await Expect(Page.GetByTestId("heatmap-count")).ToHaveTextAsync($"1 plan in {LastYear}.");

        var button = Page.GetByTestId("export-button");
        await Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
        await button.ClickAsync();
        await Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
        var csvLink = Page.GetByRole(AriaRole.Link, new() { Name = "Heatmap with these filters (CSV)" });
        await Expect(csvLink).ToHaveAttributeAsync("download", string.Empty);
        await Expect(csvLink).ToHaveAttributeAsync("href", new Regex("^statewide/export/heatmap\\.csv\\?cycle=" + LastYear + "&model=Regional$"));
        await AssertAccessibleAsync();

        // While the server prepares the file, the page says so: the answer is held until the test has seen it.
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Page.RouteAsync("**/statewide/export/**", async route =>
        {
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await route.ContinueAsync();
        });
        var status = Page.GetByTestId("export-status");
        var csv = await Page.RunAndWaitForDownloadAsync(async () =>
        {
            await csvLink.ClickAsync();
            await Expect(status.GetByRole(AriaRole.Progressbar)).ToBeVisibleAsync();
            await Expect(status).ToContainTextAsync("Preparing Heatmap with these filters (CSV):");
            seen.SetResult();
        });
        await Page.UnrouteAllAsync();

        Assert.Matches($"^palliativetoolkit-heatmap-{LastYear}-[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}\\.csv$", csv.SuggestedFilename);
        var csvBytes = await File.ReadAllBytesAsync(await csv.PathAsync(), TestContext.Current.CancellationToken);
        using (var reader = CsvReader.Create(csvBytes, CsvReaderOptions.Default))
        {
            Assert.True(reader.Read());
            Assert.Equal(["Plan", "Model", "Regions", "Counties", "Elements at minimum", "A1"], reader.Headers.Take(6));
            Assert.Equal(("Sierra Vista Community Health (demo)", "Regional"), (reader.GetString(0), reader.GetString(1)));
            Assert.Matches("^(Meets enhancement|Meets minimum|Not yet at minimum|Not started)$", reader.GetString(5));
            Assert.False(reader.Read());
        }

        await Expect(status.GetByRole(AriaRole.Progressbar)).ToHaveCountAsync(0);
        await Expect(status).ToHaveTextAsync(new Regex($"^Downloaded {Regex.Escape(csv.SuggestedFilename)}: 1 row, {csvBytes.Length} bytes\\.$"));

        // The workbook of every view for the cycle, with the heatmap's filters: a sheet per view, the header frozen, numbers as numbers.
        var workbook = await Page.RunAndWaitForDownloadAsync(() =>
            Page.GetByRole(AriaRole.Link, new() { Name = $"Workbook of every view for {LastYear} (Excel)" }).ClickAsync());
        Assert.Matches($"^palliativetoolkit-statewide-{LastYear}-[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}\\.xlsx$", workbook.SuggestedFilename);
        var xlsx = new MemoryStream(await File.ReadAllBytesAsync(await workbook.PathAsync(), TestContext.Current.CancellationToken));
        Assert.Equal(
            [
                "Where the state stands", "Heatmap", "Plans compared", "Latest submissions", "Provider readiness", "Section E assessed together", "Where plans are working",
                "Trends by plan", "Trends by element", "Review queue", "Partners by plan", "Partners by provider", "Progress by plan model",
            ],
            MiniExcel.GetSheetNames(xlsx));
        var heatmap = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "Heatmap").Cast<IDictionary<string, object>>().ToList();
        var sierra = Assert.Single(heatmap);
        Assert.Equal("Sierra Vista Community Health (demo)", sierra["Plan"]);
        Assert.IsType<double>(sierra["Elements at minimum"]);
        var standing = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "Where the state stands").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["A", "C", "D", "E"], standing.Select(s => (string)s["Section"]));
        Assert.All(standing, s => Assert.Equal(LastYear, Convert.ToString(s["Cycle"], CultureInfo.InvariantCulture)));
        await Expect(status).ToHaveTextAsync(new Regex($"^Downloaded {Regex.Escape(workbook.SuggestedFilename)}: [0-9.]+ KB\\.$"));
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_reviewer_downloads_two_plans_compared_as_csv_with_the_pages_columns_and_levels()
    {
        await LogInAsync("reviewer");
        await OpenAsync("statewide/compare");
        await WaitInteractiveAsync();
        await Page.GetByTestId("compare-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = LastYear, Exact = true }).ClickAsync();
        await Page.GetByTestId("compare-plans").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Golden Poppy Health Plan (demo)" }).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Central Coast Unity Health Plan (demo)" }).ClickAsync();
        // Escape in the select itself (its list closes only then), and the list gone before the next step: while it is
        // open MudSelect pulls the focus back to itself (see PartnersTests.ChooseAsync).
        await Page.GetByTestId("compare-plans").PressAsync("Escape");
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "Golden Poppy Health Plan (demo)", Exact = true })).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("compare-summary")).ToContainTextAsync($"2 plans compared in {LastYear}; their levels differ on");

        // The page's table: each element's row, its two plans' levels, and whether it is marked as differing.
        var table = Page.GetByTestId("compare");
        var shown = new List<(string Element, string[] Levels, bool Differs)>();
        foreach (var row in await table.Locator("tbody tr").AllAsync())
        {
            var element = await row.GetAttributeAsync("data-element");
            var levels = (await row.Locator("td").AllTextContentsAsync()).Select(t => t.Trim()).ToArray();
            var differs = (await row.Locator("th").TextContentAsync())!.Contains("levels differ", StringComparison.Ordinal);
            shown.Add((element!, levels, differs));
        }

        Assert.NotEmpty(shown);

        await Page.GetByTestId("export-button").ClickAsync();
        var link = Page.GetByRole(AriaRole.Link, new() { Name = "These plans compared (CSV)" });
        await Expect(link).ToHaveAttributeAsync("href", new Regex($"^statewide/export/compare\\.csv\\?cycle={LastYear}(&plan=[0-9a-f-]{{36}}){{2}}$"));
        await AssertAccessibleAsync();
        var file = await Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());

        Assert.Matches($"^palliativetoolkit-compare-{LastYear}-[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}\\.csv$", file.SuggestedFilename);
        using (var reader = CsvReader.Create(await File.ReadAllBytesAsync(await file.PathAsync(), TestContext.Current.CancellationToken), CsvReaderOptions.Default))
        {
            var rows = new List<string[]>();
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray());
            }

            Assert.Equal(["Section", "Element", "Title", "Central Coast Unity Health Plan (demo)", "Golden Poppy Health Plan (demo)", "Levels differ"], reader.Headers);
            Assert.Equal(shown.Select(r => r.Element), rows.Select(r => r[1]));
            Assert.Equal(shown.Select(r => r.Levels.Select(l => l == "—" ? "" : l)), rows.Select(r => r[3..5]));
            Assert.Equal(shown.Select(r => r.Differs ? "Yes" : "No"), rows.Select(r => r[5]));
            Assert.Contains(rows, r => r[5] == "Yes");
        }

        await Expect(Page.GetByTestId("export-status")).ToHaveTextAsync(new Regex($"^Downloaded {Regex.Escape(file.SuggestedFilename)}: {shown.Count} rows, [0-9.]+ (bytes|KB)\\.$"));
        await AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_reviewer_exports_where_the_state_stands_and_the_review_queue_as_the_pages_show_them()
    {
        await LogInAsync("reviewer");
        await OpenAsync("statewide");
        var standing = Page.GetByTestId("state-standing");
        await standing.GetByTestId("standing-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = LastYear, Exact = true }).ClickAsync();
        await Expect(standing.GetByTestId("standing-submitted")).ToHaveTextAsync($"4 of 4 plans submitted an assessment for {LastYear}.");
        var minimumA = await standing.GetByTestId("standing-A-minimum").TextContentAsync();

        await Page.GetByTestId("export-button").ClickAsync();
        await AssertAccessibleAsync();
        var file = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Link, new() { Name = $"Where the state stands in {LastYear} (CSV)" }).ClickAsync());
        Assert.Matches($"^palliativetoolkit-standing-{LastYear}-[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}\\.csv$", file.SuggestedFilename);
        using (var reader = CsvReader.Create(await File.ReadAllBytesAsync(await file.PathAsync(), TestContext.Current.CancellationToken), CsvReaderOptions.Default))
        {
            Assert.True(reader.Read());
            Assert.Equal((LastYear, "A", "4"), (reader.GetString(0), reader.GetString(1), reader.GetString(3)));

            // "3 of 4 (75%)" on the page is 3 plans at minimum, a share of 0.75.
            var match = Regex.Match(minimumA!, "^(?<n>[0-9]+) of 4");
            Assert.Equal(match.Groups["n"].Value, reader.GetString(4));
            Assert.Equal(int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) / 4d, double.Parse(reader.GetString(5), CultureInfo.InvariantCulture));
        }

        await Expect(Page.GetByTestId("export-status")).ToHaveTextAsync(new Regex($"^Downloaded {Regex.Escape(file.SuggestedFilename)}: 4 rows, [0-9]+ bytes\\.$"));

        // The review queue as filtered on its page: the rounds returned in the last cycle.
        await OpenAsync($"review?status=returned&cycle={LastYear}");
        await Expect(Page.GetByTestId("queue-count")).ToHaveTextAsync($"1 round returned with feedback in {LastYear}.");
        await Page.GetByTestId("export-button").ClickAsync();
        await AssertAccessibleAsync();
        var queue = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Link, new() { Name = "Review queue with these filters (CSV)" }).ClickAsync());
        Assert.Matches($"^palliativetoolkit-review-queue-{LastYear}-[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}\\.csv$", queue.SuggestedFilename);
        using (var reader = CsvReader.Create(await File.ReadAllBytesAsync(await queue.PathAsync(), TestContext.Current.CancellationToken), CsvReaderOptions.Default))
        {
            Assert.True(reader.Read());
            Assert.StartsWith("Bayshore", reader.GetString(0), StringComparison.Ordinal);
            Assert.Equal(("Returned", "Riley Reviewer"), (reader.GetString(5), reader.GetString(7)));
            Assert.False(reader.Read());
        }

        await Expect(Page.GetByTestId("export-status")).ToHaveTextAsync(new Regex($"^Downloaded {Regex.Escape(queue.SuggestedFilename)}: 1 row, [0-9]+ bytes\\.$"));

        // Progress in California by plan model, as the reviewer's page shows it (every plan model, live figures).
        await OpenAsync("progress");
        await WaitInteractiveAsync();
        await Page.GetByTestId("progress-cycle").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = LastYear, Exact = true }).ClickAsync();
        await Expect(Page.GetByTestId("progress-submitted")).ToHaveTextAsync($"4 of 4 plans submitted a self-assessment for {LastYear}.");
        await Expect(Page.GetByTestId("progress-live")).ToContainTextAsync($"Live figures, which only statewide reviewers see: each plan's latest round of {LastYear} now");
        var models = Page.GetByTestId("progress-models");
        await Expect(models.Locator("tbody tr")).ToHaveCountAsync(4);
        var headers = (await models.Locator("thead th").AllTextContentsAsync()).Select(t => t.Trim()).ToList();
        var shown = new List<string[]>();
        foreach (var row in await models.Locator("tbody tr").AllAsync())
        {
            shown.Add([(await row.Locator("th").TextContentAsync())!.Trim(), .. (await row.Locator("td").AllTextContentsAsync()).Select(t => t.Trim())]);
        }

        await Page.GetByTestId("export-button").ClickAsync();
        await AssertAccessibleAsync();
        var progress = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Link, new() { Name = $"Progress by plan model in {LastYear} (CSV)" }).ClickAsync());
        Assert.Matches($"^palliativetoolkit-progress-by-model-{LastYear}-[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}\\.csv$", progress.SuggestedFilename);
        using (var reader = CsvReader.Create(await File.ReadAllBytesAsync(await progress.PathAsync(), TestContext.Current.CancellationToken), CsvReaderOptions.Default))
        {
            var rows = new List<string[]>();
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray());
            }

            // The page's "A at minimum" column is the file's section A at minimum, plans and share: "3 of 4 (75%)".
            var sections = headers.Skip(2).Select(h => h[..h.IndexOf(' ', StringComparison.Ordinal)]).ToList();
            Assert.Equal(["Cycle", "Plan model", "Plans", .. sections.SelectMany(c => new[] { $"Section {c} at minimum", $"Section {c} plans", $"Section {c} share at minimum" })], reader.Headers);
            Assert.Equal(
                shown,
                rows.Select(r => new[] { r[1], r[2] }.Concat(sections.Select((_, j) =>
                    $"{r[3 + (3 * j)]} of {r[4 + (3 * j)]} ({double.Parse(r[5 + (3 * j)], CultureInfo.InvariantCulture).ToString("0%", CultureInfo.InvariantCulture)})")).ToArray()));
            Assert.All(rows, r => Assert.Equal(LastYear, r[0]));
        }

        await Expect(Page.GetByTestId("export-status")).ToHaveTextAsync(new Regex($"^Downloaded {Regex.Escape(progress.SuggestedFilename)}: 4 rows, [0-9]+ bytes\\.$"));
    }
}
