using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.ActionPlans;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Tests;

/// <summary>A CSV file as read back with CsvHelper: its header and its records.</summary>
internal sealed record CsvFile(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows)
{
    public static CsvFile Parse(byte[] bytes)
    {
        using var reader = CsvReader.Create(bytes, CsvReaderOptions.Default);
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray());
        }

        return new CsvFile(reader.Headers.ToList(), rows);
    }

    public int Column(string name) => Header.ToList().IndexOf(name) is var i and >= 0 ? i : throw new InvalidOperationException($"No column {name} in {string.Join(',', Header)}");

    public string[] Row(string plan) => Rows.Single(r => r[0] == plan);
}

/// <summary>
/// The statewide exports over HTTP as a reviewer downloads them: each view's CSV with the page's rows and filters, the
/// workbook with a sheet per view, formulas kept as text, file names, and who may download.
/// </summary>
public class StatewideExportTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static readonly Regex DatedName = new(@"-\d{4}-\d{2}-\d{2}\.", RegexOptions.CultureInvariant);

    private IServiceProvider Scope => factory.Services.CreateScope().ServiceProvider;

    private string Today => CaliforniaTime.Today(factory.Services.GetRequiredService<TimeProvider>()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_heatmap_csv_has_the_pages_rows_and_levels_its_filters_and_a_name_with_the_cycle_and_date()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        var coastal = await factory.Data.PlanAsync(counties: "Alameda", model: PlanModel.SinglePlan);
        var valley = await factory.Data.PlanAsync(counties: "Fresno", model: PlanModel.Gmc);
        await factory.Data.AssessmentAsync(coastal, "FY 2021-22", Answer.NotMet, submit: true);
        await factory.Data.AssessmentAsync(valley, "FY 2021-22", Answer.Met, submit: true);
        var page = (await Scope.GetRequiredService<StatewideService>().HeatmapAsync(await factory.PrincipalAsync("reviewer"), new HeatmapQuery("FY 2021-22"))).Value;

        using var response = await reviewer.GetAsync("/statewide/export/heatmap.csv?cycle=FY%202021-22");
        var csv = CsvFile.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"attachment; filename=\"palliativetoolkit-heatmap-2021-22-{Today}.csv\"", response.Content.Headers.ContentDisposition!.ToString());
        Assert.Equal(["Plan", "Model", "Regions", "Counties", "Elements at minimum", .. page.Columns.Select(c => c.Code)], csv.Header);
        Assert.Equal(page.Rows.Select(r => Csv(r.Plan)), csv.Rows.Select(r => r[0]));
        foreach (var row in page.Rows)
        {
            var line = csv.Row(row.Plan);
            Assert.Equal([row.Model.Describe(), string.Join(", ", row.Regions), CaliforniaCounties.Describe(row.CountyFips), row.AtMinimum.ToString(CultureInfo.InvariantCulture)], line[1..5]);
            Assert.Equal(page.Columns.Select(c => row.Levels[c.Code].Describe()), line[5..]);
        }

        Assert.Equal("Meets enhancement", csv.Row(valley.Name)[csv.Column(page.Columns[0].Code)]);
        Assert.Equal("Not yet at minimum", csv.Row(coastal.Name)[csv.Column(page.Columns[0].Code)]);

        Assert.Equal([valley.Name], await PlansAsync(reviewer, "?cycle=FY%202021-22&model=Gmc"));
        Assert.Equal([coastal.Name], await PlansAsync(reviewer, "?cycle=FY%202021-22&region=Bay%20Area"));
        Assert.Equal([valley.Name], await PlansAsync(reviewer, $"?cycle=FY%202021-22&county={CaliforniaCounties.ByName("Fresno")!.Fips}"));
        Assert.Empty(await PlansAsync(reviewer, "?cycle=FY%202021-22&model=Gmc&region=Bay%20Area"));
        using var badModel = await reviewer.GetAsync("/statewide/export/heatmap.csv?model=Nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
        Assert.Equal("Choose a plan model the heatmap offers.", await badModel.Content.ReadAsStringAsync());
        using var badCounty = await reviewer.GetAsync("/statewide/export/heatmap.csv?county=99999");
        Assert.Equal(HttpStatusCode.BadRequest, badCounty.StatusCode);
        using var unknownView = await reviewer.GetAsync("/statewide/export/everything.csv");
        Assert.Equal(HttpStatusCode.NotFound, unknownView.StatusCode);
    }

    [Fact]
    public async Task The_heatmap_csv_lists_the_plans_in_the_pages_sort_and_refuses_a_sort_the_page_does_not_offer()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        var principal = await factory.PrincipalAsync("reviewer");
        var statewide = Scope.GetRequiredService<StatewideService>();
        // Eight plans whose elements' levels differ from plan to plan (plan i misses its j-th element when i + j is a multiple of 3).
        await factory.Data.SubmittedPlansAsync(8, ["2019"], namePrefix: $"Sorted {Guid.NewGuid():N}");
        var byName = (await statewide.HeatmapAsync(principal, new HeatmapQuery("2019"))).Value;
        Assert.Equal(8, byName.Rows.Count);

        string[] sorts = ["minimum", .. byName.Columns.Take(4).Select(c => c.Code)];
        foreach (var sort in sorts)
        {
            var page = (await statewide.HeatmapAsync(principal, new HeatmapQuery("2019", SortBy: sort))).Value;
            using var response = await reviewer.GetAsync($"/statewide/export/heatmap.csv?cycle=2019&sort={sort}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csv = CsvFile.Parse(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(page.Rows.Select(r => r.Plan), csv.Rows.Select(r => r[0]));
            Assert.Equal(page.Rows.Select(r => Number(r.AtMinimum)), csv.Rows.Select(r => r[4]));
        }

        // The sorts change the order (so the test shows the export follows them), and the page's link carries its sort.
        var minimum = (await statewide.HeatmapAsync(principal, new HeatmapQuery("2019", SortBy: "minimum"))).Value;
        Assert.NotEqual(byName.Rows.Select(r => r.Plan), minimum.Rows.Select(r => r.Plan));
        Assert.EndsWith("?cycle=2019&sort=minimum", StatewideExportEndpoints.CsvUrl(ExportView.Heatmap, new ExportQuery("2019", Sort: "minimum")), StringComparison.Ordinal);

        foreach (var sort in new[] { "Z99", "A1%20OR%201", "minimum2" })
        {
            using var response = await reviewer.GetAsync($"/statewide/export/heatmap.csv?cycle=2019&sort={sort}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("Choose a sort the heatmap offers.", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Where_the_state_stands_the_latest_submissions_and_the_trends_export_the_pages_figures()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        var principal = await factory.PrincipalAsync("reviewer");
        var statewide = Scope.GetRequiredService<StatewideService>();
        var improving = await factory.Data.PlanAsync();
        var steady = await factory.Data.PlanAsync();
        await factory.Data.AssessmentAsync(improving, "FY 2022-23", Answer.NotMet, submit: true);
        await factory.Data.AssessmentAsync(improving, "FY 2023-24", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(steady, "FY 2022-23", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(steady, "FY 2023-24", Answer.Met, submit: true);

        var standing = (await statewide.StandingAsync(principal, "FY 2023-24")).Value;
        var standingCsv = await CsvAsync(reviewer, "standing.csv?cycle=FY%202023-24", $"palliativetoolkit-standing-2023-24-{Today}.csv");
        Assert.Equal(["Cycle", "Section", "Section title", "Plans", "At minimum", "Share at minimum", "At enhancement", "Share at enhancement"], standingCsv.Header);
        Assert.Equal(
            standing.Sections.Select(s => new[] { "FY 2023-24", s.Code, s.Title, Number(s.Plans), Number(s.AtMinimum), Share(s.MinimumShare), Number(s.AtEnhancement), Share(s.EnhancementShare) }),
            standingCsv.Rows);

        var latest = (await statewide.LatestSubmittedAsync(principal)).Value;
        var latestCsv = await CsvAsync(reviewer, "submissions.csv", $"palliativetoolkit-submissions-{Today}.csv");
        Assert.Equal(latest.Select(r => Csv(r.OrganizationName)).Order(StringComparer.Ordinal), latestCsv.Rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        var improvingRow = latestCsv.Row(improving.Name);
        var improvingLatest = latest.Single(r => r.OrganizationName == improving.Name);
        Assert.Equal(["FY 2023-24", "1", "Awaiting review"], [improvingRow[latestCsv.Column("Cycle")], improvingRow[latestCsv.Column("Round")], improvingRow[latestCsv.Column("Status")]]);
        Assert.Equal(CaliforniaTime.DateOf(improvingLatest.SubmittedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), improvingRow[latestCsv.Column("Submitted")]);
        Assert.Equal(Number(improvingLatest.Overall.AtMinimum), improvingRow[latestCsv.Column("At minimum")]);
        Assert.Equal("1", improvingRow[latestCsv.Column("Share at minimum")]);
        foreach (var section in improvingLatest.Sections)
        {
            Assert.Equal(Number(section.Progress.AtMinimum), improvingRow[latestCsv.Column($"Section {section.Code} at minimum")]);
            Assert.Equal(Number(section.Progress.Elements), improvingRow[latestCsv.Column($"Section {section.Code} elements")]);
        }

        var trends = (await statewide.TrendsAsync(principal, "FY 2023-24")).Value;
        var trendsCsv = await CsvAsync(reviewer, "trends.csv?cycle=FY%202023-24", $"palliativetoolkit-trends-2023-24-{Today}.csv");
        Assert.Equal(
            trends.Plans.SelectMany(p => p.Sections.Select(s => new[] { Csv(p.Plan), "FY 2022-23", "FY 2023-24", s.Code, Number(s.Elements), Number(s.AtMinimumBefore), Number(s.AtMinimumNow), Number(s.Change) })),
            trendsCsv.Rows);
        var improvedSection = trendsCsv.Rows.First(r => r[0] == improving.Name);
        Assert.Equal((improvedSection[4], "0"), (improvedSection[6], improvedSection[5]));

        var elementsCsv = await CsvAsync(reviewer, "element-trends.csv?cycle=FY%202023-24", $"palliativetoolkit-element-trends-2023-24-{Today}.csv");
        Assert.Equal(
            trends.Elements.Select(e => new[] { "FY 2022-23", "FY 2023-24", e.SectionCode, e.Code, e.Title, Share(e.ShareBefore), Share(e.ShareNow), Share(e.Change) }),
            elementsCsv.Rows);
        Assert.All(elementsCsv.Rows, r => Assert.Equal("0.5", r[5]));
    }

    [Fact]
    public async Task Every_export_of_a_cycle_refuses_a_cycle_without_submitted_rounds_or_that_is_not_one_instead_of_another_cycles_rows()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        var plan = await factory.Data.PlanAsync();
        var other = await factory.Data.PlanAsync();
        await factory.Data.AssessmentAsync(plan, "FY 2026-27", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(other, "FY 2026-27", Answer.Met, submit: true);
        var compared = $"&plan={plan.Id}&plan={other.Id}";
        const string NotACycle = "Not a reporting cycle. The Medi-Cal palliative care benefit began in 2018: enter 2018 or later.";
        (string Cycle, string Plans, string Queue)[] refused =
        [
            ("1999", NotACycle, NotACycle),
            ("FY%202040-41", "No plan has submitted a self-assessment for FY 2040-41: choose a cycle from the page's list.",
                "No plan or provider has submitted a self-assessment for FY 2040-41: choose a cycle from the page's list."),
        ];
        foreach (var (cycle, plans, queue) in refused)
        {
            foreach (var view in new[] { ExportView.Standing, ExportView.Heatmap, ExportView.Compare, ExportView.Trends, ExportView.ElementTrends, ExportView.ReviewQueue })
            {
                foreach (var url in new[] { $"/statewide/export/{view.Slug()}.csv?cycle={cycle}{compared}", $"/statewide/export/{view.Slug()}.csv?cycle={cycle}&status=Returned{compared}" })
                {
                    using var response = await reviewer.GetAsync(url);
                    Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                    Assert.Null(response.Content.Headers.ContentDisposition);
                    Assert.Equal(view == ExportView.ReviewQueue ? queue : plans, await response.Content.ReadAsStringAsync());
                }
            }

            using var workbook = await reviewer.GetAsync($"/statewide/export.xlsx?cycle={cycle}{compared}");
            Assert.Equal(HttpStatusCode.BadRequest, workbook.StatusCode);
            Assert.Equal(plans, await workbook.Content.ReadAsStringAsync());
        }

        // The cycle as people write it is the cycle; the views that do not take one ignore it.
        var heatmap = await CsvAsync(reviewer, "heatmap.csv?cycle=fy2026-27", $"palliativetoolkit-heatmap-2026-27-{Today}.csv");
        Assert.Contains(plan.Name, heatmap.Rows.Select(r => r[0]));
        await CsvAsync(reviewer, "submissions.csv?cycle=1999", $"palliativetoolkit-submissions-{Today}.csv");
    }

    [Fact]
    public async Task Progress_in_california_by_plan_model_exports_the_reviewers_table_as_csv_and_a_sheet_for_reviewers_only()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        await factory.Data.AssessmentAsync(await factory.Data.PlanAsync(model: PlanModel.Gmc), "2024", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(await factory.Data.PlanAsync(model: PlanModel.Gmc), "2024", Answer.NotMet, submit: true);
        await factory.Data.AssessmentAsync(await factory.Data.PlanAsync(model: PlanModel.Cohs), "2024", Answer.Met, submit: true);
        var page = (await Scope.GetRequiredService<CaliforniaProgressService>().ForCycleAsync(await factory.PrincipalAsync("reviewer"), "2024")).Value;
        Assert.Equal([(PlanModel.Cohs, 1), (PlanModel.Gmc, 2)], page.ByModel.Select(m => (m.Model, m.Plans)));

        var csv = await CsvAsync(reviewer, "progress-by-model.csv?cycle=2024", $"palliativetoolkit-progress-by-model-2024-{Today}.csv");

        Assert.Equal(
            ["Cycle", "Plan model", "Plans", .. page.Sections.SelectMany(s => new[] { $"Section {s.Code} at minimum", $"Section {s.Code} plans", $"Section {s.Code} share at minimum" })],
            csv.Header);
        Assert.Equal(
            page.ByModel.Select(m => new[] { "2024", m.Model.Describe(), Number(m.Plans) }
                .Concat(m.Sections.SelectMany(s => new[] { Number(s.AtMinimum), Number(s.Plans), Share(s.MinimumShare) })).ToArray()),
            csv.Rows);
        Assert.Equal(["2024", "GMC", "2", "1", "2", "0.5"], csv.Rows[1][..6]);

        // The workbook has it as a sheet, the same rows with numbers as numbers.
        using var workbook = await reviewer.GetAsync("/statewide/export.xlsx?cycle=2024");
        var sheet = MiniExcel.Query(new MemoryStream(await workbook.Content.ReadAsByteArrayAsync()), useHeaderRow: true, sheetName: ExportView.ProgressByModel.Sheet())
            .Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(csv.Rows.Select(r => r[1]), sheet.Select(r => (string)r["Plan model"]));
        Assert.Equal(csv.Rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)), sheet.Select(r => Convert.ToDouble(r["Plans"], CultureInfo.InvariantCulture)));

        // Everyone signed in sees the page; only reviewers download its table.
        foreach (var account in new[] { "manager", "provider" })
        {
            using var refused = await (await factory.SignedInClientAsync(account)).GetAsync("/statewide/export/progress-by-model.csv?cycle=2024");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("AccessDenied", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.Null(refused.Content.Headers.ContentDisposition);
        }

        var member = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var outcome = await Scope.GetRequiredService<StatewideExports>().CsvAsync(member.Principal, ExportView.ProgressByModel, new ExportQuery("2024"), _ => Task.FromResult(Stream.Null));
        Assert.IsType<Failure.Refused>(outcome.Failure);
    }

    [Fact]
    public async Task The_review_queue_and_the_partner_network_export_the_pages_rows()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        var principal = await factory.PrincipalAsync("reviewer");
        var plan = await factory.Data.PlanAsync(counties: "Kern,Tulare");
        var active = await factory.Data.ProviderAsync();
        var prospective = await factory.Data.ProviderAsync();
        await factory.Data.PartnershipAsync(plan, active);
        await factory.Data.PartnershipAsync(plan, prospective, PartnershipStatus.Prospective);
        var returned = await factory.Data.AssessmentAsync(plan, "FY 2024-25", Answer.Met, submit: true);
        await factory.Data.ReviewAsync(returned.Id, "Add the policy.");

        var queue = (await Scope.GetRequiredService<ReviewQueueService>().GetAsync(principal, new ReviewQueueQuery())).Value;
        var queueCsv = await CsvAsync(reviewer, "review-queue.csv", $"palliativetoolkit-review-queue-{Today}.csv");
        Assert.Equal(["Organization", "Kind", "Cycle", "Round", "Submitted", "Status", "Decided", "Decided by", "Days waited"], queueCsv.Header);
        Assert.Equal(queue.Rows.Select(r => Csv(r.Organization)), queueCsv.Rows.Select(r => r[0]));
        Assert.Equal(queue.Rows.Select(r => Number((int)r.Waited.TotalDays)), queueCsv.Rows.Select(r => r[8]));
        Assert.All(queueCsv.Rows, r => Assert.Equal("Awaiting review", r[5]));

        var returnedCsv = await CsvAsync(reviewer, "review-queue.csv?status=Returned&cycle=FY%202024-25", $"palliativetoolkit-review-queue-2024-25-{Today}.csv");
        var row = Assert.Single(returnedCsv.Rows);
        // The test's decision is recorded as "test-reviewer", no account: the queue calls such a decider "a reviewer".
        Assert.Equal([plan.Name, "Plan", "FY 2024-25", "1", "Returned", "a reviewer"], [row[0], row[1], row[2], row[3], row[5], row[7]]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", row[6]);

        var network = (await Scope.GetRequiredService<StatewideService>().PartnerNetworkAsync(principal)).Value;
        var plansCsv = await CsvAsync(reviewer, "partner-plans.csv", $"palliativetoolkit-partner-plans-{Today}.csv");
        Assert.Equal(network.Plans.Select(p => Csv(p.Name)).Order(StringComparer.Ordinal), plansCsv.Rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal([plan.Name, "Kern, Tulare", active.Name, "2", "2", ""], plansCsv.Row(plan.Name));
        var providersCsv = await CsvAsync(reviewer, "partner-providers.csv", $"palliativetoolkit-partner-providers-{Today}.csv");
        Assert.Equal(network.Providers.Select(p => Csv(p.Name)).Order(StringComparer.Ordinal), providersCsv.Rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal([prospective.Name, "", $"{plan.Name} (prospective)"], providersCsv.Row(prospective.Name));
    }

    [Fact]
    public async Task The_compare_csv_has_the_chosen_plans_in_the_pages_order_element_by_element_and_refuses_a_bad_choice()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        var principal = await factory.PrincipalAsync("reviewer");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // Ordinal order, as the page sorts: "=..." before "Zeta" before "alpha"; the address names them in another order.
        var formula = await factory.Data.PlanAsync(name: $"=Compare {suffix} (test)");
        var zeta = await factory.Data.PlanAsync(name: $"Zeta Compare {suffix} (test)");
        var alpha = await factory.Data.PlanAsync(name: $"alpha Compare {suffix} (test)");
        var absent = await factory.Data.PlanAsync(name: $"Absent Compare {suffix} (test)");
        await factory.Data.AssessmentAsync(formula, "2022", Answer.NotMet, submit: true);
        await factory.Data.AssessmentAsync(zeta, "2022", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(alpha, "2022", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(absent, "2021", Answer.Met, submit: true);
        var page = (await Scope.GetRequiredService<StatewideService>().HeatmapAsync(principal, new HeatmapQuery("2022"))).Value;

        async Task CompareAsync(params Organization[] plans)
        {
            var chosen = plans.Select(p => p.Id).ToHashSet();
            var compared = page.Rows.Where(r => chosen.Contains(r.OrganizationId)).ToList();
            var query = string.Concat(Enumerable.Reverse(plans).Select(p => $"&plan={p.Id}"));
            var csv = await CsvAsync(reviewer, $"compare.csv?cycle=2022{query}", $"palliativetoolkit-compare-2022-{Today}.csv");

            Assert.Equal(["Section", "Element", "Title", .. compared.Select(r => Csv(r.Plan)), "Levels differ"], csv.Header);
            Assert.Equal(page.Columns.Count, csv.Rows.Count);
            for (var i = 0; i < page.Columns.Count; i++)
            {
                var column = page.Columns[i];
                var levels = compared.Select(r => r.Levels.TryGetValue(column.Code, out var level) ? level : (Level?)null).ToList();
                Assert.Equal(
                    [column.SectionCode, column.Code, column.Title, .. levels.Select(l => l?.Describe() ?? ""), levels.Distinct().Count() > 1 ? "Yes" : "No"],
                    csv.Rows[i]);
            }
        }

        await CompareAsync(zeta, alpha);
        await CompareAsync(alpha, formula, zeta);
        var three = await CsvAsync(reviewer, $"compare.csv?cycle=2022&plan={alpha.Id}&plan={formula.Id}&plan={zeta.Id}", $"palliativetoolkit-compare-2022-{Today}.csv");
        Assert.Equal(["'" + formula.Name, zeta.Name, alpha.Name], three.Header.Skip(3).Take(3));
        Assert.All(three.Rows, r => Assert.Equal(("Not yet at minimum", "Meets enhancement", "Meets enhancement", "Yes"), (r[3], r[4], r[5], r[6])));

        foreach (var (query, problem) in new[]
        {
            ($"?cycle=2022&plan={zeta.Id}", "Choose two or more plans to compare."),
            ("?cycle=2022", "Choose two or more plans to compare."),
            ($"?cycle=2022&plan={zeta.Id}&plan=not-a-plan", "Choose the plans to compare from the list."),
            ($"?cycle=2022&plan={zeta.Id}&plan={absent.Id}", "Choose plans with a submitted round in 2022 to compare."),
        })
        {
            using var response = await reviewer.GetAsync("/statewide/export/compare.csv" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(problem, await response.Content.ReadAsStringAsync());
            Assert.Null(response.Content.Headers.ContentDisposition);
        }

        // The workbook of the compare page: its sheet has the same rows as the CSV; without plans the sheet is empty.
        using var workbook = await reviewer.GetAsync($"/statewide/export.xlsx?cycle=2022&plan={zeta.Id}&plan={alpha.Id}");
        var xlsx = await workbook.Content.ReadAsByteArrayAsync();
        var sheet = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: ExportView.Compare.Sheet()).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(page.Columns.Select(c => c.Code), sheet.Select(r => (string)r["Element"]));
        Assert.All(sheet, r => Assert.Equal(("Meets enhancement", "Meets enhancement", "No"), ((string)r[zeta.Name], (string)r[alpha.Name], (string)r["Levels differ"])));
        using var plain = await reviewer.GetAsync("/statewide/export.xlsx?cycle=2022");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Empty(MiniExcel.Query(new MemoryStream(await plain.Content.ReadAsByteArrayAsync()), useHeaderRow: true, sheetName: ExportView.Compare.Sheet()));
    }

    [Fact]
    public async Task Provider_readiness_section_e_together_and_where_plans_are_working_export_the_statewide_pages_tables()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        var principal = await factory.PrincipalAsync("reviewer");
        var plan = await factory.Data.PlanAsync(name: $"+Working Plan {Guid.NewGuid():N} (test)");
        var provider = await factory.Data.ProviderAsync();
        await factory.Data.AssessmentAsync(provider, "2020", Answer.Met, submit: true);
        var joint = await factory.Data.JointAssessmentAsync(await factory.Data.PartnershipAsync(plan, provider), submit: true);
        var assessment = await factory.Data.AssessmentAsync(plan, "2020", Answer.NotMet, submit: true);
        var manager = await factory.Data.UserAsync(plan, OrganizationRole.Manager);
        Assert.True((await Scope.GetRequiredService<ActionPlanService>().DraftAsync(manager.Principal, new DraftItemsCommand(assessment.Id, [], AllGaps: true))).Succeeded);
        var statewide = Scope.GetRequiredService<StatewideService>();

        var readiness = (await statewide.LatestReadinessAsync(principal)).Value;
        var readinessCsv = await CsvAsync(reviewer, "provider-readiness.csv", $"palliativetoolkit-provider-readiness-{Today}.csv");
        Assert.Equal(["Provider", "Counties", "Cycle", "Round", "Status", "Submitted", "Elements", "Assessed", "At minimum", "At enhancement"], readinessCsv.Header);
        Assert.Equal(
            readiness.Select(r => new[]
            {
                Csv(r.OrganizationName), r.Counties, r.Cycle, Number(r.Round), r.Decision == Decision.Pending ? "Awaiting review" : r.Decision.ToString(),
                CaliforniaTime.DateOf(r.SubmittedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Number(r.Overall.Elements), Number(r.Overall.Assessed), Number(r.Overall.AtMinimum), Number(r.Overall.AtEnhancement),
            }),
            readinessCsv.Rows);
        Assert.Contains(readinessCsv.Rows, r => r[0] == provider.Name && r[2] == "2020");

        var joints = (await statewide.JointSubmittedAsync(principal)).Value;
        var jointCsv = await CsvAsync(reviewer, "joint-submissions.csv", $"palliativetoolkit-joint-submissions-{Today}.csv");
        Assert.Equal(["Plan", "Provider", "Cycle", "Submitted", "Criteria where views differ"], jointCsv.Header);
        Assert.Equal(
            joints.Select(j => new[] { Csv(j.PlanName), Csv(j.ProviderName), j.Cycle, CaliforniaTime.DateOf(j.SubmittedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Number(j.Differences) }),
            jointCsv.Rows);
        Assert.Equal(["'" + plan.Name, provider.Name, "2026"], jointCsv.Rows.Single(r => r[0] == "'" + plan.Name)[..3]);
        Assert.Contains(joints, j => j.Id == joint.Id);

        var working = (await Scope.GetRequiredService<ActionPlanService>().OpenItemsPerElementAsync(principal)).Value;
        var workingCsv = await CsvAsync(reviewer, "open-items.csv", $"palliativetoolkit-open-items-{Today}.csv");
        Assert.Equal(["Section", "Element", "Title", "Open items", "Organizations", "Overdue"], workingCsv.Header);
        Assert.NotEmpty(working);
        Assert.Equal(
            working.Select(e => new[] { e.SectionCode, e.ElementCode, e.ElementTitle, Number(e.OpenItems), Number(e.Organizations), Number(e.Overdue) }),
            workingCsv.Rows);

        // The workbook: dates as dates, counts as numbers.
        using var response = await reviewer.GetAsync("/statewide/export.xlsx");
        var xlsx = await response.Content.ReadAsByteArrayAsync();
        var providers = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: ExportView.ProviderReadiness.Sheet()).Cast<IDictionary<string, object>>().ToList();
        Assert.IsType<DateTime>(providers.Single(r => (string)r["Provider"] == provider.Name)["Submitted"]);
        var together = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: ExportView.JointSubmissions.Sheet()).Cast<IDictionary<string, object>>().ToList();
        Assert.IsType<DateTime>(together.Single(r => (string)r["Plan"] == plan.Name)["Submitted"]);
        var elements = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: ExportView.OpenItems.Sheet()).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(working.Select(e => e.ElementCode), elements.Select(r => (string)r["Element"]));
        Assert.All(elements, r => Assert.IsType<double>(r["Open items"]));
    }

    [Fact]
    public async Task A_plan_named_like_a_formula_is_text_in_the_csv_and_a_plain_value_in_the_workbook()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        const string hyperlink = "=HYPERLINK(\"https://evil.example/steal\",\"Open the report\")";
        const string at = "@SUM(1+1) Health";
        var formula = await factory.Data.PlanAsync(name: hyperlink);
        var atSign = await factory.Data.PlanAsync(name: at);
        await factory.Data.AssessmentAsync(formula, "FY 2020-21", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(atSign, "FY 2020-21", Answer.NotMet, submit: true);

        using var response = await reviewer.GetAsync("/statewide/export/heatmap.csv?cycle=FY%202020-21");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes);
        var csv = CsvFile.Parse(bytes);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Contains("\r\n\"'=HYPERLINK(\"\"https://evil.example/steal\"\",\"\"Open the report\"\")\",", text, StringComparison.Ordinal);
        Assert.Contains(csv.Rows, r => r[0] == "'" + hyperlink);
        Assert.Contains(csv.Rows, r => r[0] == "'" + at);
        Assert.DoesNotContain(csv.Rows, r => r[0].StartsWith('=') || r[0].StartsWith('@'));
        Assert.All(csv.Rows, r => Assert.Matches("^[0-9]+$", r[csv.Column("Elements at minimum")]));

        using var workbook = await reviewer.GetAsync("/statewide/export.xlsx?cycle=FY%202020-21");
        var xlsx = await workbook.Content.ReadAsByteArrayAsync();
        var heatmap = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: ExportView.Heatmap.Sheet()).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(heatmap, r => (string)r["Plan"] == hyperlink);
        Assert.Contains(heatmap, r => (string)r["Plan"] == at);
        Assert.DoesNotContain("<x:f>", Part(xlsx, SheetPath(xlsx, ExportView.Heatmap)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_workbook_has_a_sheet_per_view_with_a_frozen_header_numbers_as_numbers_and_dates_as_dates()
    {
        var reviewer = await factory.SignedInClientAsync("reviewer");
        var plan = await factory.Data.PlanAsync(counties: "Fresno", model: PlanModel.Gmc);
        await factory.Data.AssessmentAsync(plan, "FY 2019-20", Answer.Met, submit: true);

        using var response = await reviewer.GetAsync("/statewide/export.xlsx?cycle=FY%202019-20&model=Gmc");
        var xlsx = await response.Content.ReadAsByteArrayAsync();
        using var heatmapCsvResponse = await reviewer.GetAsync("/statewide/export/heatmap.csv?cycle=FY%202019-20&model=Gmc");
        var heatmapCsv = CsvFile.Parse(await heatmapCsvResponse.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExportViews.WorkbookContentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"attachment; filename=\"palliativetoolkit-statewide-2019-20-{Today}.xlsx\"", response.Content.Headers.ContentDisposition!.ToString());
        Assert.Equal(ExportViews.All.Select(v => v.Sheet()), MiniExcel.GetSheetNames(new MemoryStream(xlsx)));
        foreach (var view in ExportViews.All)
        {
            var sheet = Part(xlsx, SheetPath(xlsx, view));
            Assert.Matches("<x:pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>", sheet);
        }

        // The heatmap sheet: the CSV's rows (the same filters), its count of elements at minimum a number cell.
        var heatmap = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: ExportView.Heatmap.Sheet()).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(heatmapCsv.Rows.Select(r => r[0]), heatmap.Select(r => Csv((string)r["Plan"])));
        Assert.Equal(heatmapCsv.Row(plan.Name)[4], Convert.ToString(heatmap.Single(r => (string)r["Plan"] == plan.Name)["Elements at minimum"], CultureInfo.InvariantCulture));
        var heatmapXml = Part(xlsx, SheetPath(xlsx, ExportView.Heatmap));
        Assert.Matches("<x:c r=\"E2\" t=\"n\" s=\"[0-9]+\"><x:v>[0-9]+</x:v></x:c>", heatmapXml);
        Assert.DoesNotMatch("<x:c r=\"E[0-9]+\" t=\"s\"", heatmapXml);

        // The latest submissions: a date cell (a number with a date format, no text type) and a share as a number with a percentage format.
        var submissions = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: ExportView.Submissions.Sheet()).Cast<IDictionary<string, object>>().ToList();
        var mine = submissions.Single(r => (string)r["Plan"] == plan.Name);
        Assert.IsType<DateTime>(mine["Submitted"]);
        Assert.Equal(1d, Convert.ToDouble(mine["Share at minimum"], CultureInfo.InvariantCulture));
        var submissionsXml = Part(xlsx, SheetPath(xlsx, ExportView.Submissions));
        var styles = Part(xlsx, "xl/styles.xml");
        var dateStyle = StyleOf(submissionsXml, "G2");
        Assert.Matches("<x:c r=\"G2\" s=\"[0-9]+\"><x:v>[0-9]+</x:v></x:c>", submissionsXml);
        Assert.Equal("yyyy-mm-dd", FormatOf(styles, dateStyle));
        Assert.Equal("0%", FormatOf(styles, StyleOf(submissionsXml, "K2")));
    }

    [Fact]
    public async Task Only_statewide_reviewers_download_and_a_plan_gets_no_plans_rows()
    {
        var plan = await factory.Data.PlanAsync(name: $"Secret Plan {Guid.NewGuid():N} (test)");
        var other = await factory.Data.PlanAsync(name: $"Secret Plan {Guid.NewGuid():N} (test)");
        await factory.Data.AssessmentAsync(plan, "FY 2018-19", Answer.Met, submit: true);
        await factory.Data.AssessmentAsync(other, "FY 2018-19", Answer.Met, submit: true);
        var compared = $"&plan={plan.Id}&plan={other.Id}";
        string[] urls = [.. ExportViews.All.Select(v => $"/statewide/export/{v.Slug()}.csv?cycle=FY%202018-19{compared}"), $"/statewide/export.xlsx?cycle=FY%202018-19{compared}"];

        var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        foreach (var url in urls)
        {
            using var response = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        foreach (var account in new[] { "manager", "provider" })
        {
            var client = await factory.SignedInClientAsync(account);
            foreach (var url in urls)
            {
                using var response = await client.GetAsync(url);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Contains("AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
                Assert.Null(response.Content.Headers.ContentDisposition);
                Assert.DoesNotContain(plan.Name, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        // Past the policy, the service refuses as well, before it opens the file.
        var exports = Scope.GetRequiredService<StatewideExports>();
        foreach (var principal in new[] { await factory.PrincipalAsync("manager"), await factory.PrincipalAsync("provider"), (await factory.Data.UserAsync(plan)).Principal })
        {
            var started = false;
            foreach (var view in ExportViews.All)
            {
                var outcome = await exports.CsvAsync(principal, view, new ExportQuery("FY 2018-19", Plans: [plan.Id, other.Id]), _ => { started = true; return Task.FromResult(Stream.Null); });
                Assert.IsType<Failure.Refused>(outcome.Failure);
            }

            Assert.IsType<Failure.Refused>((await exports.WorkbookAsync(principal, new ExportQuery(), _ => { started = true; return Task.FromResult(Stream.Null); })).Failure);
            Assert.False(started);
        }

        var admin = (await exports.CsvAsync(await factory.PrincipalAsync("admin"), ExportView.Heatmap, new ExportQuery("FY 2018-19"), _ => Task.FromResult<Stream>(new MemoryStream()))).Value;
        Assert.True(admin.Rows >= 1);
        Assert.Matches(DatedName, admin.FileName);
    }

    [Fact]
    public async Task Synchronous_writes_of_the_workbook_are_held_and_sent_asynchronously_in_order()
    {
        var inner = new RefusesSynchronousWrites();
        await using var stream = new AsyncOnlyStream(inner);

        stream.Write("ab"u8);
        stream.WriteByte((byte)'c');
        stream.Flush();
        Assert.Empty(inner.ToArray());
        await stream.WriteAsync("de"u8.ToArray(), TestContext.Current.CancellationToken);
        stream.Write("f"u8);
        await stream.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal("abcdef", Encoding.ASCII.GetString(inner.ToArray()));
        Assert.Equal((3, 6), (stream.MostHeld, stream.Written));
        Assert.Throws<InvalidOperationException>(() => inner.Write("x"u8));
    }

    private static async Task<List<string>> PlansAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/statewide/export/heatmap.csv" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return CsvFile.Parse(await response.Content.ReadAsByteArrayAsync()).Rows.Select(r => r[0]).ToList();
    }

    private static async Task<CsvFile> CsvAsync(HttpClient client, string path, string fileName)
    {
        using var response = await client.GetAsync("/statewide/export/" + path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"attachment; filename=\"{fileName}\"", response.Content.Headers.ContentDisposition!.ToString());
        return CsvFile.Parse(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>A name as the CSV writes it: text that starts like a formula gets a leading apostrophe.</summary>
    private static string Csv(string text) => text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal) ? "'" + text : text;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Share(double value) => Math.Round(value, 4).ToString(CultureInfo.InvariantCulture);

    private static string Part(byte[] xlsx, string path)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry(path)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The worksheet part of a view's sheet: MiniExcel writes them in the views' order.</summary>
    private static string SheetPath(byte[] xlsx, ExportView view)
    {
        var index = MiniExcel.GetSheetNames(new MemoryStream(xlsx)).IndexOf(view.Sheet());
        Assert.True(index >= 0, view.Sheet());
        return $"xl/worksheets/sheet{index + 1}.xml";
    }

    private static string StyleOf(string sheet, string cell) => Regex.Match(sheet, $"<x:c r=\"{cell}\"[^>]* s=\"(?<s>[0-9]+)\"").Groups["s"].Value;

    /// <summary>The number format code of a cell style (its xf in cellXfs and the numFmt it names).</summary>
    private static string FormatOf(string styles, string style)
    {
        var xfs = Regex.Match(styles, "<x:cellXfs[^>]*>(?<xfs>.*?)</x:cellXfs>", RegexOptions.Singleline).Groups["xfs"].Value;
        var xf = Regex.Matches(xfs, "<x:xf [^>]*>")[int.Parse(style, CultureInfo.InvariantCulture)].Value;
        var id = Regex.Match(xf, "numFmtId=\"(?<id>[0-9]+)\"").Groups["id"].Value;
        return Regex.Match(styles, $"<x:numFmt numFmtId=\"{id}\" formatCode=\"(?<code>[^\"]*)\"").Groups["code"].Value;
    }

    /// <summary>A write-only stream that refuses synchronous writes, as a response body does, and keeps what it was sent.</summary>
    private sealed class RefusesSynchronousWrites : Stream
    {
        private readonly List<byte> _received = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _received.Count;

        public override long Position { get => _received.Count; set => throw new NotSupportedException(); }

        public byte[] ToArray() => [.. _received];

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            _received.AddRange(buffer.ToArray());
        }

        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>
/// Each export reads the same number of database commands for 4 plans and for 60 (3 cycles each, each with a provider
/// partner whose readiness and joint section E are submitted, and open action items): rows stream, no query per plan.
/// </summary>
public class StatewideExportScaleTests(EmptyPortalFactory factory) : IClassFixture<EmptyPortalFactory>
{
    [Fact]
    public async Task Every_export_issues_as_many_commands_for_60_plans_as_for_4()
    {
        string[] cycles = ["FY 2023-24", "FY 2024-25", "FY 2025-26"];
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var scope = factory.Services.CreateScope().ServiceProvider;
        var exports = scope.GetRequiredService<StatewideExports>();
        var actionPlans = scope.GetRequiredService<ActionPlanService>();
        var plans = new List<Guid>();
        var lastCycle = cycles[^1];

        // Plans, each with a provider partner (readiness and joint section E submitted) and open items drafted from its gaps.
        async Task AddAsync(int count)
        {
            foreach (var plan in await factory.Data.SubmittedPlansAsync(count, cycles))
            {
                plans.Add(plan.Id);
                var provider = await factory.Data.ProviderAsync();
                await factory.Data.AssessmentAsync(provider, "2026", Answer.Met, submit: true);
                await factory.Data.JointAssessmentAsync(await factory.Data.PartnershipAsync(plan, provider), submit: true);
                var latest = await factory.Data.StoredAsync(db => db.Assessments.Where(a => a.OrganizationId == plan.Id && a.Cycle == lastCycle).Select(a => a.Id).SingleAsync());
                var manager = await factory.Data.UserAsync(plan, OrganizationRole.Manager);
                Assert.True((await actionPlans.DraftAsync(manager.Principal, new DraftItemsCommand(latest, [], AllGaps: true))).Succeeded);
            }
        }

        async Task<Dictionary<string, (int Commands, int Rows)>> MeasureAsync()
        {
            // The compare view compares every plan: its commands do not grow with the plans compared either.
            var query = new ExportQuery("FY 2025-26", Plans: [.. plans]);
            var figures = new Dictionary<string, (int, int)>();
            foreach (var view in ExportViews.All)
            {
                using var counter = CommandCounter.Start();
                var rows = (await exports.CsvAsync(reviewer.Principal, view, query, _ => Task.FromResult(Stream.Null), TestContext.Current.CancellationToken)).Value.Rows;
                figures[view.Slug()] = (counter.Count, rows);
            }

            using (var counter = CommandCounter.Start())
            {
                var rows = (await exports.WorkbookAsync(reviewer.Principal, query, _ => Task.FromResult(Stream.Null), TestContext.Current.CancellationToken)).Value.Rows;
                figures["workbook"] = (counter.Count, rows);
            }

            return figures;
        }

        await AddAsync(4);
        var four = await MeasureAsync();
        await AddAsync(56);
        var sixty = await MeasureAsync();

        Assert.Equal(four.ToDictionary(f => f.Key, f => f.Value.Commands), sixty.ToDictionary(f => f.Key, f => f.Value.Commands));
        Assert.Equal((4, 60), (four["heatmap"].Rows, sixty["heatmap"].Rows));
        Assert.Equal((4, 60), (four["submissions"].Rows, sixty["submissions"].Rows));
        Assert.Equal((4, 60), (four["provider-readiness"].Rows, sixty["provider-readiness"].Rows));
        Assert.Equal((4, 60), (four["joint-submissions"].Rows, sixty["joint-submissions"].Rows));
        Assert.Equal(60 * sixty["standing"].Rows, sixty["trends"].Rows);
        Assert.True(four["compare"].Rows > 0 && four["open-items"].Rows > 0);
        Assert.Equal((four["compare"].Rows, four["open-items"].Rows), (sixty["compare"].Rows, sixty["open-items"].Rows));
        Assert.All(four, f => Assert.InRange(f.Value.Commands, 1, 30));
    }
}
