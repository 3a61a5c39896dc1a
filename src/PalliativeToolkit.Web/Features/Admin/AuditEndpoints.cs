using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Admin;

public static class AuditEndpoints
{
    public const string ExportPath = "/admin/audit/export";

    /// <summary>
    /// <c>GET /admin/audit/export?actor=&amp;subject=&amp;kind=&amp;action=&amp;from=&amp;to=</c>: the filtered trail as a CSV download,
    /// administrators only (the policy here, the Administer permission again in the service). A GET changes nothing
    /// but the trail's own record of the export, so it needs no antiforgery token; the cookie is SameSite.
    /// </summary>
    public static IEndpointConventionBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(ExportPath, async (HttpContext http, AuditService audit, TimeProvider clock) =>
        {
            var outcome = await audit.ExportAsync(http.User, AuditFilter.FromQuery(http.Request.Query), () =>
            {
                http.Response.ContentType = "text/csv; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{AuditService.ExportFileName(clock.GetUtcNow().UtcDateTime)}\"";
                http.Response.Headers.CacheControl = "no-store";
                return Task.FromResult(http.Response.Body);
            }, http.RequestAborted);
            if (!outcome.Succeeded && !http.Response.HasStarted)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
            }
        }).RequireAuthorization(Policies.Administer);
    }
}
