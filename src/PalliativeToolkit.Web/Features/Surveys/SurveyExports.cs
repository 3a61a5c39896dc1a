using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Community;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Features.Surveys;

/// <summary>
/// A wave's submitted responses as files for statewide reviewers: one row per organization and question (the answer,
/// whether it was confirmed from portal data or corrected, and the portal's value), as CSV or a workbook. Written with the
/// statewide exports' streaming writers (<see cref="ExportWriters"/>: rows as they are read, text that starts like a
/// formula escaped in the CSV), in one operation of the reviewer, whose access filters show submitted responses only.
/// </summary>
public sealed class SurveyExports(OperationRunner operations, TimeProvider time, ILogger<SurveyExports> logger)
{
    private static readonly IReadOnlyList<ExportColumn> Columns =
    [
        new("Organization"), new("Plan model"), new("Regions"), new("Counties"), new("Submitted", ExportFormat.Date), new("Question"), new("Question text"),
        new("Kind"), new("Answer"), new("Number", ExportFormat.Number), new("Origin"), new("Portal value"), new("Portal source"),
    ];

    public Task<Outcome<ExportResult>> CsvAsync(ClaimsPrincipal principal, Guid instrumentId, Func<string, Task<Stream>> start, CancellationToken cancellationToken = default) =>
        ExportAsync(principal, instrumentId, start, "csv", ExportWriters.WriteCsvAsync, cancellationToken);

    public Task<Outcome<ExportResult>> WorkbookAsync(ClaimsPrincipal principal, Guid instrumentId, Func<string, Task<Stream>> start, CancellationToken cancellationToken = default) =>
        ExportAsync(principal, instrumentId, start, "xlsx", (table, output, ct) => ExportWriters.WriteWorkbookAsync([table], output, ct), cancellationToken);

    private Task<Outcome<ExportResult>> ExportAsync(ClaimsPrincipal principal, Guid instrumentId, Func<string, Task<Stream>> start, string extension,
        Func<ExportTable, Stream, CancellationToken, Task<int>> write, CancellationToken cancellationToken) =>
        operations.RunAsync<ExportResult>(principal, async op =>
        {
            op.Demand(Permission.RunSurveys, SurveyService.OnlyReviewers);
            ArgumentNullException.ThrowIfNull(start);
            var wave = await op.Db.SurveyInstruments.AsNoTracking().Where(i => i.Id == instrumentId)
                .Select(i => new { i.Id, i.Audience, i.Year }).SingleOrDefaultAsync(op.Cancellation);
            if (wave is null)
            {
                return Failure.Missing("That survey does not exist.");
            }

            var table = new ExportTable("Responses", null, Columns, ct => Rows(op, wave.Id, ct));
            var name = ExportViews.FileName($"survey-{wave.Audience.Describe().ToLowerInvariant()}-{wave.Year.ToString(CultureInfo.InvariantCulture)}",
                null, CaliforniaTime.Today(time), extension);
            var output = await start(name);
            var rows = await StatewideExports.StreamAsync(op, ct => write(table, output, ct));
            logger.LogInformation("Survey {InstrumentId} responses exported as {Extension}: {Rows} rows", wave.Id, extension, rows);
            return new ExportResult(name, rows);
        }, cancellationToken);

    private static async IAsyncEnumerable<object?[]> Rows(Operation op, Guid instrumentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = from a in op.Db.SurveyAnswers.AsNoTracking()
                   join r in op.Db.SurveyResponses on a.ResponseId equals r.Id
                   join o in op.Db.Organizations on r.OrganizationId equals o.Id
                   join i in op.Db.SurveyItems on a.ItemId equals i.Id
                   where r.InstrumentId == instrumentId && r.SubmittedAt != null
                   orderby o.Name, i.Order
                   select new { o.Name, OrganizationKind = o.Kind, o.PlanModel, o.CountyFips, r.SubmittedAt, i.Order, i.Text, QuestionKind = i.Kind, a.Value, a.Origin, a.PortalValue, a.PortalNote };
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var value = SurveyValue.Parse(row.Value);
            var counties = row.CountyFips.Select(CaliforniaCounties.ByFips).OfType<CaliforniaCounty>().ToList();
            yield return
            [
                row.Name,
                row.OrganizationKind == OrganizationKind.ManagedCarePlan ? row.PlanModel.Describe() : null,
                string.Join(", ", counties.Select(c => c.Region).Distinct().Order(StringComparer.Ordinal)),
                CaliforniaCounties.Describe(counties),
                row.SubmittedAt is { } at ? CaliforniaTime.DateOf(at) : null,
                $"Q{row.Order}",
                row.Text,
                row.QuestionKind.Describe(),
                value?.Describe(),
                row.QuestionKind is QuestionKind.Number or QuestionKind.Scale ? value?.Number : null,
                row.Origin.Describe(),
                SurveyValue.Parse(row.PortalValue)?.Describe(),
                row.PortalNote,
            ];
        }
    }
}
