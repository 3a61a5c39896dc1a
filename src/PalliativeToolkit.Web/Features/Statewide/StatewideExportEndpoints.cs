using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Statewide;

public static class StatewideExportEndpoints
{
    public const string CsvPath = "/statewide/export/{view}.csv";
    public const string WorkbookPath = "/statewide/export.xlsx";

    /// <summary>The address (relative to the portal's base) of a view's CSV.</summary>
    public static string CsvUrl(ExportView view, ExportQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return $"statewide/export/{view.Slug()}.csv{query.ToQueryString()}";
    }

    /// <summary>The address (relative to the portal's base) of the workbook of every view.</summary>
    public static string WorkbookUrl(ExportQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return $"statewide/export.xlsx{query.ToQueryString()}";
    }

    /// <summary>
    /// <c>GET /statewide/export/{view}.csv</c> and <c>GET /statewide/export.xlsx</c>, with the pages' filters in the query
    /// string (<see cref="ExportQuery"/>): statewide reviewers and administrators only (the policy here, the permission
    /// again in the service, whose access filters are the pages'). An unknown view is 404, an unknown filter 400 (with
    /// the reason: a cycle no one submitted a round for too), a refusal 403. The file streams as it is written: headers go out once access is granted and the columns are known.
    /// </summary>
    public static IEndpointRouteBuilder MapStatewideExports(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(CsvPath, async (string view, HttpContext http, StatewideExports exports) =>
        {
            if (!ExportViews.TryParse(view, out var chosen))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (!ExportQuery.TryRead(http.Request.Query, out var query, out var problem))
            {
                await BadRequestAsync(http, problem);
                return;
            }

            var outcome = await exports.CsvAsync(http.User, chosen, query, name => StartAsync(http, name, ExportViews.CsvContentType), http.RequestAborted);
            await RefuseAsync(http, outcome);
        }).RequireAuthorization(Policies.ViewStatewide);

        endpoints.MapGet(WorkbookPath, async (HttpContext http, StatewideExports exports) =>
        {
            if (!ExportQuery.TryRead(http.Request.Query, out var query, out var problem))
            {
                await BadRequestAsync(http, problem);
                return;
            }

            var outcome = await exports.WorkbookAsync(http.User, query, name => StartAsync(http, name, ExportViews.WorkbookContentType), http.RequestAborted);
            await RefuseAsync(http, outcome);
        }).RequireAuthorization(Policies.ViewStatewide);
        return endpoints;
    }

    private static Task<Stream> StartAsync(HttpContext http, string fileName, string contentType)
    {
        http.Response.ContentType = contentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        http.Response.Headers.CacheControl = "no-store";
        return Task.FromResult(http.Response.Body);
    }

    private static Task BadRequestAsync(HttpContext http, string problem)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(problem, http.RequestAborted);
    }

    /// <summary>A failure before the file started: 400 with the reason for a filter the view does not offer, 404, or 403.</summary>
    private static Task RefuseAsync(HttpContext http, Outcome<ExportResult> outcome)
    {
        if (outcome.Succeeded || http.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        if (outcome.Failure is Failure.Invalid invalid)
        {
            return BadRequestAsync(http, string.Join(" ", invalid.Errors.Values.SelectMany(e => e)));
        }

        http.Response.StatusCode = outcome.Failure is Failure.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
