using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Statewide;

namespace PalliativeToolkit.Web.Features.Surveys;

public static class SurveyExportEndpoints
{
    public static string CsvUrl(Guid instrumentId) => $"community/surveys/{instrumentId}/responses.csv";

    public static string WorkbookUrl(Guid instrumentId) => $"community/surveys/{instrumentId}/responses.xlsx";

    /// <summary>
    /// <c>GET /community/surveys/{id}/responses.csv</c> and <c>.xlsx</c>: a wave's submitted responses, for statewide
    /// reviewers only (the policy here, the permission again in the service). A refusal is 403, an unknown wave 404.
    /// </summary>
    public static IEndpointRouteBuilder MapSurveyExports(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/community/surveys/{id:guid}/responses.csv", async (Guid id, HttpContext http, SurveyExports exports) =>
            Refuse(http, await exports.CsvAsync(http.User, id, name => StartAsync(http, name, ExportViews.CsvContentType), http.RequestAborted)))
            .RequireAuthorization(Policies.RunSurveys);
        endpoints.MapGet("/community/surveys/{id:guid}/responses.xlsx", async (Guid id, HttpContext http, SurveyExports exports) =>
            Refuse(http, await exports.WorkbookAsync(http.User, id, name => StartAsync(http, name, ExportViews.WorkbookContentType), http.RequestAborted)))
            .RequireAuthorization(Policies.RunSurveys);
        return endpoints;
    }

    private static Task<Stream> StartAsync(HttpContext http, string fileName, string contentType)
    {
        http.Response.ContentType = contentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        http.Response.Headers.CacheControl = "no-store";
        return Task.FromResult(http.Response.Body);
    }

    private static void Refuse(HttpContext http, Outcome<ExportResult> outcome)
    {
        if (!outcome.Succeeded && !http.Response.HasStarted)
        {
            http.Response.StatusCode = outcome.Failure is Failure.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
        }
    }
}
