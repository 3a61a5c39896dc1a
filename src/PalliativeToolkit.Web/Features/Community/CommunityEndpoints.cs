using PalliativeToolkit.Web.Infrastructure;

namespace PalliativeToolkit.Web.Features.Community;

public static class CommunityEndpoints
{
    public static string EventFileAddress(Guid eventId) => $"community/events/{eventId}/event.ics";

    public static string MaterialAddress(Guid materialId) => $"community/materials/{materialId}/file";

    /// <summary>
    /// <c>GET /community/events/{id}/event.ics</c>: one event as a calendar file; <c>GET /community/materials/{id}/file</c>:
    /// a material's uploaded file, as a download under its safe name and real type. Both for signed-in users the access
    /// rule lets see the event; 404 for everyone else (a private support call's address included).
    /// </summary>
    public static IEndpointRouteBuilder MapCommunityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/community/events/{id:guid}/event.ics", async (Guid id, HttpContext http, CommunityCalendar calendar) =>
        {
            var portal = PortalAddress.Of(http);
            var outcome = await calendar.EventFileAsync(http.User, id, portal, http.RequestAborted);
            if (!outcome.Succeeded)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.File(System.Text.Encoding.UTF8.GetBytes(outcome.Value), "text/calendar; charset=utf-8", $"event-{id:N}.ics");
        }).RequireAuthorization();

        endpoints.MapGet("/community/materials/{id:guid}/file", async (Guid id, HttpContext http, CommunityService community) =>
        {
            var outcome = await community.OpenMaterialAsync(http.User, id, http.RequestAborted);
            if (!outcome.Succeeded)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "private, no-store";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Stream(outcome.Value.Content, outcome.Value.ContentType, outcome.Value.FileName);
        }).RequireAuthorization();
        return endpoints;
    }
}
