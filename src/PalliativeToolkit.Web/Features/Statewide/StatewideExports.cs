using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.ActionPlans;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Statewide;

/// <summary>The file an export wrote: its name and its rows (below the headers).</summary>
public sealed record ExportResult(string FileName, int Rows);

/// <summary>
/// The statewide views as files for reviewers: each view as CSV, every view as one workbook. Each export is one operation
/// of the signed-in reviewer (the same permission and access filters as the pages), reads the views with the pages' own
/// queries (<see cref="StatewideService"/>, <see cref="ReviewQueueService"/>) and writes each row as it is read: the
/// database commands and the memory are the same for 4 plans or 600.
/// </summary>
public sealed class StatewideExports(OperationRunner operations, TimeProvider time, ILogger<StatewideExports> logger)
{
    /// <summary>
    /// Writes one view as CSV to the stream that <paramref name="start"/> opens (given the file's name) once access is
    /// granted and the view's columns are known.
    /// </summary>
    public Task<Outcome<ExportResult>> CsvAsync(ClaimsPrincipal principal, ExportView view, ExportQuery query, Func<string, Task<Stream>> start, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ExportResult>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, StatewideService.OnlyReviewers);
            ArgumentNullException.ThrowIfNull(query);
            ArgumentNullException.ThrowIfNull(start);
            var chosen = await TableAsync(op, view, query, new Readings(op, workbook: false));
            if (!chosen.Succeeded)
            {
                return chosen.Failure!;
            }

            var table = chosen.Value;
            var name = ExportViews.FileName(view.Slug(), table.Cycle, CaliforniaTime.Today(time), "csv");
            var output = await start(name);
            var rows = await StreamAsync(op, cancellation => ExportWriters.WriteCsvAsync(table, output, cancellation));
            logger.LogInformation("Statewide export {View} as CSV: {Rows} rows", view.Slug(), rows);
            return new ExportResult(name, rows);
        }, cancellationToken);

    /// <summary>Writes every view as one workbook (a sheet each) to the stream that <paramref name="start"/> opens.</summary>
    public Task<Outcome<ExportResult>> WorkbookAsync(ClaimsPrincipal principal, ExportQuery query, Func<string, Task<Stream>> start, CancellationToken cancellationToken = default) =>
        operations.RunAsync<ExportResult>(principal, async op =>
        {
            op.Demand(Permission.ViewStatewide, StatewideService.OnlyReviewers);
            ArgumentNullException.ThrowIfNull(query);
            ArgumentNullException.ThrowIfNull(start);
            var readings = new Readings(op, workbook: true);
            var tables = new List<ExportTable>();
            foreach (var view in ExportViews.All)
            {
                var table = await TableAsync(op, view, query, readings);
                if (!table.Succeeded)
                {
                    return table.Failure!;
                }

                tables.Add(table.Value);
            }

            var cycle = tables.First(t => t.View == ExportView.Heatmap).Cycle;
            var name = ExportViews.FileName("statewide", cycle, CaliforniaTime.Today(time), "xlsx");
            var output = await start(name);
            var rows = await StreamAsync(op, cancellation => ExportWriters.WriteWorkbookAsync(tables, output, cancellation));
            logger.LogInformation("Statewide export as a workbook: {Rows} rows", rows);
            return new ExportResult(name, rows);
        }, cancellationToken);

    /// <summary>
    /// Writes inside the database's execution strategy. A retrying strategy (SQL Server's, <c>EnableRetryOnFailure</c>)
    /// makes EF Core read a query's whole result into memory before the first row, so that it can retry; inside the
    /// strategy's own operation it is suspended and rows stream. A failure there is not retried: the file has started
    /// and would repeat its rows, so the download fails instead (SQLite's strategy never retries either).
    /// </summary>
    internal static Task<int> StreamAsync(Operation op, Func<CancellationToken, Task<int>> write)
    {
        var attempted = false;
        return op.Db.Database.CreateExecutionStrategy().ExecuteAsync(
            async cancellation =>
            {
                if (attempted)
                {
                    throw new InvalidOperationException("The export was interrupted by a database failure after it had started; download it again.");
                }

                attempted = true;
                return await write(cancellation);
            },
            op.Cancellation);
    }

    /// <summary>
    /// The view's columns (read now, with the few short queries they need) and its rows (read when enumerated); a field
    /// error (a bad request) when the address asks for what the view does not offer (a sort, the plans compared).
    /// </summary>
    private async Task<Outcome<ExportTable>> TableAsync(Operation op, ExportView view, ExportQuery query, Readings readings)
    {
        switch (view)
        {
            case ExportView.Standing:
                {
                    var read = await readings.CycleAsync(query.Cycle, withPrevious: false);
                    if (!read.Succeeded)
                    {
                        return read.Failure!;
                    }

                    var reading = read.Value;
                    return new ExportTable(view, reading.Chosen, StandingColumns, ct => StandingRows(reading, ct));
                }

            case ExportView.Heatmap:
                {
                    // The page's sort: the rounds come in its order (the most first, then by plan), computed by the database.
                    var read = await readings.CycleAsync(query.Cycle, withPrevious: false, query.Sort);
                    if (!read.Succeeded)
                    {
                        return read.Failure!;
                    }

                    var reading = read.Value;
                    if (query.Sort is not null && reading.Chosen is not null && reading.SortedBy != query.Sort)
                    {
                        return Failure.FieldError("sort", "Choose a sort the heatmap offers.");
                    }

                    List<ExportColumn> columns = [new("Plan"), new("Model"), new("Regions"), new("Counties"), new("Elements at minimum", ExportFormat.Number)];
                    columns.AddRange(reading.Columns.Select(c => new ExportColumn(c.Code)));
                    return new ExportTable(view, reading.Chosen, columns, ct => HeatmapRows(reading, query.Heatmap, ct));
                }

            case ExportView.Compare:
                {
                    // A file of the compare view needs two plans or more; the workbook's sheet is empty when the address names none.
                    if (query.Compared.Count == 1 || (query.Compared.Count == 0 && !readings.Workbook))
                    {
                        return Failure.FieldError("plan", "Choose two or more plans to compare.");
                    }

                    var read = await readings.CycleAsync(query.Cycle, withPrevious: false);
                    if (!read.Succeeded)
                    {
                        return read.Failure!;
                    }

                    var reading = read.Value;
                    if (await StatewideService.ReadCompareAsync(op, reading, query.Compared) is not { } compare)
                    {
                        return Failure.FieldError("plan", $"Choose plans with a submitted round in {reading.Chosen ?? "the cycle"} to compare.");
                    }

                    List<ExportColumn> columns = [new("Section"), new("Element"), new("Title")];
                    columns.AddRange(compare.Plans.Select(p => new ExportColumn(p.Name)));
                    columns.Add(new("Levels differ"));
                    return new ExportTable(view, reading.Chosen, columns, ct => CompareRows(compare, ct));
                }

            case ExportView.ProviderReadiness:
                {
                    var reading = await StatewideService.ReadLatestAsync(op, OrganizationKind.PalliativeCareProvider);
                    return new ExportTable(view, null, ReadinessColumns, ct => ReadinessRows(reading, ct));
                }

            case ExportView.JointSubmissions:
                return new ExportTable(view, null, JointColumns, ct => JointRows(op, ct));

            case ExportView.OpenItems:
                return new ExportTable(view, null, OpenItemColumns, ct => OpenItemRows(op, ct));

            case ExportView.Submissions:
                {
                    var reading = await StatewideService.ReadLatestAsync(op, OrganizationKind.ManagedCarePlan);
                    List<ExportColumn> columns =
                    [
                        new("Plan"), new("Model"), new("Counties"), new("Cycle"), new("Round", ExportFormat.Number), new("Status"), new("Submitted", ExportFormat.Date),
                    new("Elements", ExportFormat.Number), new("Assessed", ExportFormat.Number), new("At minimum", ExportFormat.Number), new("Share at minimum", ExportFormat.Share),
                    new("At enhancement", ExportFormat.Number), new("Share at enhancement", ExportFormat.Share),
                ];
                    foreach (var code in reading.SectionCodes)
                    {
                        columns.Add(new($"Section {code} at minimum", ExportFormat.Number));
                        columns.Add(new($"Section {code} elements", ExportFormat.Number));
                    }

                    return new ExportTable(view, null, columns, ct => SubmissionRows(reading, ct));
                }

            case ExportView.Trends:
                {
                    var read = await readings.CycleAsync(query.Cycle, withPrevious: true);
                    if (!read.Succeeded)
                    {
                        return read.Failure!;
                    }

                    var reading = read.Value;
                    return new ExportTable(view, reading.Chosen, TrendColumns, ct => TrendRows(reading, ct));
                }

            case ExportView.ElementTrends:
                {
                    var read = await readings.CycleAsync(query.Cycle, withPrevious: true);
                    if (!read.Succeeded)
                    {
                        return read.Failure!;
                    }

                    var reading = read.Value;
                    return new ExportTable(view, reading.Chosen, ElementTrendColumns, ct => ElementTrendRows(reading, ct));
                }

            case ExportView.ReviewQueue:
                if (query.Cycle is not null && !await ReviewQueueService.HasCycleAsync(op, query.Cycle))
                {
                    return UnknownCycle(query.Cycle, "plan or provider");
                }

                return new ExportTable(view, query.Cycle, QueueColumns, ct => QueueRows(op, query.Queue, ct));

            case ExportView.PartnerPlans:
                return new ExportTable(view, null, PartnerPlanColumns, ct => PartnerPlanRows(op, ct));

            case ExportView.PartnerProviders:
                return new ExportTable(view, null, PartnerProviderColumns, ct => PartnerProviderRows(op, ct));

            case ExportView.ProgressByModel:
                {
                    // "Progress in California" by plan model as reviewers see it: every plan model, live.
                    var read = await readings.CycleAsync(query.Cycle, withPrevious: false);
                    if (!read.Succeeded)
                    {
                        return read.Failure!;
                    }

                    var reading = read.Value;
                    List<ExportColumn> columns = [new("Cycle"), new("Plan model"), new("Plans", ExportFormat.Number)];
                    foreach (var code in reading.Columns.Select(c => c.SectionCode).Distinct())
                    {
                        columns.Add(new($"Section {code} at minimum", ExportFormat.Number));
                        columns.Add(new($"Section {code} plans", ExportFormat.Number));
                        columns.Add(new($"Section {code} share at minimum", ExportFormat.Share));
                    }

                    return new ExportTable(view, reading.Chosen, columns, ct => ProgressRows(reading, ct));
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(view), view, "No such view.");
        }
    }

    private static readonly ExportColumn[] StandingColumns =
    [
        new("Cycle"), new("Section"), new("Section title"), new("Plans", ExportFormat.Number), new("At minimum", ExportFormat.Number),
        new("Share at minimum", ExportFormat.Share), new("At enhancement", ExportFormat.Number), new("Share at enhancement", ExportFormat.Share),
    ];

    private static readonly ExportColumn[] ReadinessColumns =
    [
        new("Provider"), new("Counties"), new("Cycle"), new("Round", ExportFormat.Number), new("Status"), new("Submitted", ExportFormat.Date),
        new("Elements", ExportFormat.Number), new("Assessed", ExportFormat.Number), new("At minimum", ExportFormat.Number), new("At enhancement", ExportFormat.Number),
    ];

    private static readonly ExportColumn[] JointColumns =
    [
        new("Plan"), new("Provider"), new("Cycle"), new("Submitted", ExportFormat.Date), new("Criteria where views differ", ExportFormat.Number),
    ];

    private static readonly ExportColumn[] OpenItemColumns =
    [
        new("Section"), new("Element"), new("Title"), new("Open items", ExportFormat.Number), new("Organizations", ExportFormat.Number), new("Overdue", ExportFormat.Number),
    ];

    private static readonly ExportColumn[] TrendColumns =
    [
        new("Plan"), new("From cycle"), new("To cycle"), new("Section"), new("Elements", ExportFormat.Number), new("At minimum before", ExportFormat.Number),
        new("At minimum now", ExportFormat.Number), new("Change", ExportFormat.Number),
    ];

    private static readonly ExportColumn[] ElementTrendColumns =
    [
        new("From cycle"), new("To cycle"), new("Section"), new("Element"), new("Title"), new("Share at minimum before", ExportFormat.Share),
        new("Share at minimum now", ExportFormat.Share), new("Change in share", ExportFormat.Share),
    ];

    private static readonly ExportColumn[] QueueColumns =
    [
        new("Organization"), new("Kind"), new("Cycle"), new("Round", ExportFormat.Number), new("Submitted", ExportFormat.Date), new("Status"),
        new("Decided", ExportFormat.Date), new("Decided by"), new("Days waited", ExportFormat.Number),
    ];

    private static readonly ExportColumn[] PartnerPlanColumns =
    [
        new("Plan"), new("Counties"), new("Active providers"), new("Counties covered", ExportFormat.Number), new("Counties served", ExportFormat.Number),
        new("Counties without an active partner"),
    ];

    private static readonly ExportColumn[] PartnerProviderColumns = [new("Provider"), new("Plans served (active)"), new("Other partnerships")];

    private static async IAsyncEnumerable<object?[]> StandingRows(CycleReading reading, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (reading.Chosen is null)
        {
            yield break;
        }

        var tally = new StandingTally(reading);
        await foreach (var row in reading.RowsAsync(cancellationToken))
        {
            tally.Add(row);
        }

        foreach (var s in tally.Sections)
        {
            yield return [reading.Chosen, s.Code, s.Title, s.Plans, s.AtMinimum, s.MinimumShare, s.AtEnhancement, s.EnhancementShare];
        }
    }

    private static async IAsyncEnumerable<object?[]> ProgressRows(CycleReading reading, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (reading.Chosen is null)
        {
            yield break;
        }

        var (_, byModel) = await CaliforniaProgressService.TallyAsync(reading, cancellationToken);
        foreach (var (model, tally) in byModel)
        {
            List<object?> values = [reading.Chosen, model.Describe(), tally.Rounds];
            foreach (var section in tally.Sections)
            {
                values.AddRange([section.AtMinimum, section.Plans, section.MinimumShare]);
            }

            yield return [.. values];
        }
    }

    private static async IAsyncEnumerable<object?[]> HeatmapRows(CycleReading reading, HeatmapQuery filters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in reading.RowsAsync(cancellationToken))
        {
            if (!filters.Matches(row))
            {
                continue;
            }

            var values = new object?[5 + reading.Columns.Count];
            (values[0], values[1], values[2], values[3], values[4]) =
                (row.Plan, row.Model.Describe(), string.Join(", ", row.Regions), CaliforniaCounties.Describe(row.CountyFips), row.AtMinimum);
            for (var i = 0; i < reading.Columns.Count; i++)
            {
                values[5 + i] = row.Levels.TryGetValue(reading.Columns[i].Code, out var level) ? level.Describe() : null;
            }

            yield return values;
        }
    }

    private static async IAsyncEnumerable<object?[]> CompareRows(CompareReading reading, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in reading.RowsAsync(cancellationToken))
        {
            var values = new object?[4 + row.Levels.Count];
            (values[0], values[1], values[2]) = (row.Column.SectionCode, row.Column.Code, row.Column.Title);
            for (var i = 0; i < row.Levels.Count; i++)
            {
                values[3 + i] = row.Levels[i]?.Describe();
            }

            values[^1] = row.Differs ? "Yes" : "No";
            yield return values;
        }
    }

    private static async IAsyncEnumerable<object?[]> ReadinessRows(LatestReading reading, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in reading.RowsAsync(cancellationToken))
        {
            yield return
            [
                row.OrganizationName, row.Counties, row.Cycle, row.Round, Describe(row.Decision), CaliforniaTime.DateOf(row.SubmittedAt),
                row.Overall.Elements, row.Overall.Assessed, row.Overall.AtMinimum, row.Overall.AtEnhancement,
            ];
        }
    }

    private static async IAsyncEnumerable<object?[]> JointRows(Operation op, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var joint in StatewideService.JointRowsAsync(op).WithCancellation(cancellationToken))
        {
            yield return [joint.PlanName, joint.ProviderName, joint.Cycle, CaliforniaTime.DateOf(joint.SubmittedAt), joint.Differences];
        }
    }

    private async IAsyncEnumerable<object?[]> OpenItemRows(Operation op, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var element in ActionPlanService.OpenItemsPerElementAsync(op, CaliforniaTime.Today(time)).WithCancellation(cancellationToken))
        {
            yield return [element.SectionCode, element.ElementCode, element.ElementTitle, element.OpenItems, element.Organizations, element.Overdue];
        }
    }

    private static async IAsyncEnumerable<object?[]> SubmissionRows(LatestReading reading, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in reading.RowsAsync(cancellationToken))
        {
            List<object?> values =
            [
                row.OrganizationName, row.PlanModel.Describe(), row.Counties, row.Cycle, row.Round, Describe(row.Decision), CaliforniaTime.DateOf(row.SubmittedAt),
                row.Overall.Elements, row.Overall.Assessed, row.Overall.AtMinimum, row.Overall.MinimumShare, row.Overall.AtEnhancement, row.Overall.EnhancementShare,
            ];
            foreach (var code in reading.SectionCodes)
            {
                var section = row.Sections.FirstOrDefault(s => s.Code == code);
                values.Add(section?.Progress.AtMinimum);
                values.Add(section?.Progress.Elements);
            }

            yield return [.. values];
        }
    }

    private static async IAsyncEnumerable<object?[]> TrendRows(CycleReading reading, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (reading.Chosen is null || reading.Previous is null)
        {
            yield break;
        }

        await foreach (var plan in new TrendTally(reading).PlansAsync(cancellationToken))
        {
            foreach (var section in plan.Sections)
            {
                yield return [plan.Plan, reading.Previous, reading.Chosen, section.Code, section.Elements, section.AtMinimumBefore, section.AtMinimumNow, section.Change];
            }
        }
    }

    private static async IAsyncEnumerable<object?[]> ElementTrendRows(CycleReading reading, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (reading.Chosen is null || reading.Previous is null)
        {
            yield break;
        }

        var tally = new TrendTally(reading);
        await foreach (var _ in tally.PlansAsync(cancellationToken))
        {
            // Only the counts: the elements' shares are known once every plan has been read.
        }

        foreach (var element in tally.Elements)
        {
            yield return [reading.Previous, reading.Chosen, element.SectionCode, element.Code, element.Title, element.ShareBefore, element.ShareNow, element.Change];
        }
    }

    private async IAsyncEnumerable<object?[]> QueueRows(Operation op, ReviewQueueQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await foreach (var record in ReviewQueueService.Wanted(op.Db, query).AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var row = record.ToRow(now);
            yield return
            [
                row.Organization, row.Kind == OrganizationKind.ManagedCarePlan ? "Plan" : "Provider", row.Cycle, row.Round, CaliforniaTime.DateOf(row.SubmittedAt),
                Describe(row.Decision), row.DecidedAt is { } decided ? CaliforniaTime.DateOf(decided) : null, row.DecidedBy, (int)row.Waited.TotalDays,
            ];
        }
    }

    private static async IAsyncEnumerable<object?[]> PartnerPlanRows(Operation op, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var plan in StatewideService.NetworkPlansAsync(op, null).WithCancellation(cancellationToken))
        {
            yield return
            [
                plan.Name, CaliforniaCounties.Describe(plan.CountyFips), string.Join(", ", plan.ActiveProviders), plan.CoveredFips.Count, plan.CountyFips.Count,
                CaliforniaCounties.Describe(plan.GapFips),
            ];
        }
    }

    private static async IAsyncEnumerable<object?[]> PartnerProviderRows(Operation op, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var provider in StatewideService.NetworkProvidersAsync(op).WithCancellation(cancellationToken))
        {
            yield return [provider.Name, string.Join(", ", provider.ActivePlans), string.Join(", ", provider.OtherPlans)];
        }
    }

    private static string Describe(Decision decision) => decision switch
    {
        Decision.Pending => "Awaiting review",
        Decision.Returned => "Returned",
        Decision.Accepted => "Accepted",
        _ => "Withdrawn",
    };

    /// <summary>
    /// The bad request for a cycle the address names that no one (<paramref name="who"/>) has submitted a round for, or
    /// that is not a cycle at all: a file of another cycle, or an empty one, would pass for that cycle's.
    /// </summary>
    private static Failure UnknownCycle(string cycle, string who) =>
        Failure.FieldError("cycle", ReportingCycle.TryParse(cycle, out var known, out var problem)
            ? $"No {who} has submitted a self-assessment for {known.Label}: choose a cycle from the page's list."
            : $"Not a reporting cycle. {problem}");

    /// <summary>The cycle readings of one export: views of the same cycle share one (each enumeration streams its rounds anew).</summary>
    private sealed class Readings(Operation op, bool workbook)
    {
        /// <summary>Whether the views are the workbook's sheets (or one view's file).</summary>
        public bool Workbook { get; } = workbook;

        private readonly Dictionary<(bool, string?), CycleReading> _readings = [];

        /// <summary>
        /// The plans' rounds of the cycle the address names (the latest cycle with a submission when it names none); a
        /// bad request when it names a cycle no plan has submitted a round for (the pages show the latest one instead).
        /// </summary>
        public async Task<Outcome<CycleReading>> CycleAsync(string? cycle, bool withPrevious, string? sortBy = null)
        {
            if (!_readings.TryGetValue((withPrevious, sortBy), out var reading))
            {
                reading = await StatewideService.ReadCycleAsync(op, cycle, withPrevious, sortBy);
                _readings[(withPrevious, sortBy)] = reading;
            }

            return cycle is not null && reading.Chosen != cycle ? UnknownCycle(cycle, "plan") : reading;
        }
    }
}
