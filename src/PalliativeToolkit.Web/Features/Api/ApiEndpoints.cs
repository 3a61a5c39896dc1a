using Microsoft.AspNetCore.Diagnostics;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Web.Features.Api;

/// <summary>
/// <c>/api/v1</c>: the read-only API for statewide analysts. JSON, paged, filtered; personal API tokens only (no cookie),
/// statewide reviewers and administrators only, rate limited per token. Every error is problem details.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static IEndpointRouteBuilder MapStatewideApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(Prefix)
            .RequireAuthorization(ApiRegistration.Policy)
            .RequireRateLimiting(ApiRateLimit.Policy)
            .WithGroupName(ApiRegistration.DocumentName)
            .WithTags("Statewide data")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        Get(api, "/cycles", "ListCycles", "Reporting cycles",
            "The cycles with at least one submitted round (a withdrawn round does not count), latest first, with how many plans and providers submitted for each.",
            [ApiParameters.Page, ApiParameters.PageSize],
            static (api, user, request, cancel) => api.CyclesAsync(user, request.Paging, cancel));

        Get(api, "/organizations", "ListOrganizations", "Organizations",
            "Plans, providers and statewide support organizations, by name, with their counties and plan model.",
            [ApiParameters.Kind, ApiParameters.PlanModel, ApiParameters.County, ApiParameters.Organization, ApiParameters.Page, ApiParameters.PageSize],
            static (api, user, request, cancel) => api.OrganizationsAsync(user, request.Organizations, request.Paging, cancel));

        Get(api, "/assessments", "ListAssessments", "Latest submitted assessments",
            "Each organization's latest submitted round of each cycle (never a draft nor working answers), by organization and cycle, with the reviewers' decision, its progress and every element's level (scored from the round's frozen answers).",
            [ApiParameters.Cycle, ApiParameters.Kind, ApiParameters.PlanModel, ApiParameters.County, ApiParameters.Organization, ApiParameters.Page, ApiParameters.PageSize],
            static (api, user, request, cancel) => api.AssessmentsAsync(user, request.Cycle, request.Organizations, request.Paging, cancel));

        Get(api, "/partnerships", "ListPartnerships", "Partnerships",
            "Partnerships between plans and palliative care providers, by plan and provider, with their status, counties, services, contract and capacity (not their contacts).",
            [ApiParameters.Status, ApiParameters.County, ApiParameters.Plan, ApiParameters.Provider, ApiParameters.Page, ApiParameters.PageSize],
            static (api, user, request, cancel) => api.PartnershipsAsync(user, request.Partnerships, request.Paging, cancel));

        Get(api, "/action-items", "CountActionItems", "Action item counts",
            "Per organization and submitted assessment, how many action items are planned, in progress, done, dropped and overdue.",
            [ApiParameters.Cycle, ApiParameters.Kind, ApiParameters.PlanModel, ApiParameters.County, ApiParameters.Organization, ApiParameters.Page, ApiParameters.PageSize],
            static (api, user, request, cancel) => api.ActionItemCountsAsync(user, request.Cycle, request.Organizations, request.Paging, cancel));

        // Any other address under the API is a problem-details 404 (not the portal's "page not found").
        api.Map("/{**rest}", static () => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
                detail: $"The API has no such address. See the reference at {ApiRegistration.ReferencePath}."))
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// A GET endpoint whose parameters are all read (and every problem named) before the query runs: bad parameters
    /// answer 400 and open no operation.
    /// </summary>
    private static void Get<T>(RouteGroupBuilder api, string pattern, string name, string summary, string description, ApiParameter[] parameters,
        Func<StatewideApi, System.Security.Claims.ClaimsPrincipal, ApiRequest, CancellationToken, Task<Outcome<ApiPage<T>>>> run)
    {
        api.MapGet(pattern, async (HttpContext http, StatewideApi statewide) =>
            {
                var query = ApiQuery.Read(http.Request, parameters);
                if (!query.IsValid)
                {
                    return query.Problem();
                }

                var outcome = await run(statewide, http.User, query.Request, http.RequestAborted);
                if (!outcome.Succeeded)
                {
                    return outcome.Failure switch
                    {
                        Failure.Refused refused => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: refused.Message),
                        Failure.Invalid invalid => ApiProblems.InvalidParameters(invalid.Errors),
                        _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: outcome.Message),
                    };
                }

                var page = outcome.Value;
                return TypedResults.Ok(page with { Next = ApiQuery.NextPage(http.Request, new Paging(page.Page, page.PageSize), page.Total) });
            })
            .WithName(name)
            .WithSummary(summary)
            .WithDescription(description)
            .WithMetadata(new ApiParametersMetadata(parameters))
            .Produces<ApiPage<T>>()
            .ProducesValidationProblem();
    }

    /// <summary>
    /// Under the API: no cache keeps an answer, and an error without a body gets a problem-details one instead of the
    /// portal's HTML error page (a wrong method, say).
    /// </summary>
    public static IApplicationBuilder UseStatewideApiAnswers(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments(Prefix))
        {
            await next(context);
            return;
        }

        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        context.Response.OnStarting(() =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        await next(context);
        if (context.Response is { StatusCode: >= 400, HasStarted: false, ContentLength: null } && string.IsNullOrEmpty(context.Response.ContentType))
        {
            await ApiProblems.WriteAsync(context, context.Response.StatusCode, ReasonPhrase(context.Response.StatusCode), "The API cannot answer this request as it was made.");
        }
    });

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
