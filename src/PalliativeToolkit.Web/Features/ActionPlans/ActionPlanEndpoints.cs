using System.Globalization;
using PalliativeToolkit.Web.Infrastructure;

namespace PalliativeToolkit.Web.Features.ActionPlans;

public static class ActionPlanEndpoints
{
    public const string CalendarPath = "/action-plan/calendar.ics";

    /// <summary>
    /// <c>GET /action-plan/calendar.ics?organization=…</c>: the organization's due dates as a file, for its signed-in
    /// members. <c>GET /calendar/feed/{token}.ics</c>: a person's private subscription, for calendar apps (no cookie; the
    /// token is the credential, so an unknown one answers 404 like a missing page).
    /// </summary>
    public static IEndpointRouteBuilder MapActionPlanCalendar(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(CalendarPath, async (HttpContext http, ActionPlanCalendar calendar, TimeProvider clock) =>
        {
            if (!Guid.TryParse(http.Request.Query["organization"], out var organization))
            {
                return Results.BadRequest("Name the organization whose action plan to download.");
            }

            var outcome = await calendar.FileAsync(http.User, organization, http.RequestAborted);
            if (!outcome.Succeeded)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "no-store";
            var name = string.Create(CultureInfo.InvariantCulture, $"action-plan-{clock.GetUtcNow():yyyy-MM-dd}.ics");
            return Results.File(System.Text.Encoding.UTF8.GetBytes(outcome.Value), "text/calendar; charset=utf-8", name);
        }).RequireAuthorization();

        endpoints.MapGet($"{ActionPlanCalendar.FeedPath}/{{token}}.ics", async (string token, HttpContext http, ActionPlanCalendar calendar) =>
        {
            var feed = await calendar.FeedAsync(token, PortalAddress.Of(http), http.RequestAborted);
            if (feed is null)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "private, no-store";
            return Results.Text(feed, "text/calendar; charset=utf-8");
        }).AllowAnonymous();
        return endpoints;
    }
}
