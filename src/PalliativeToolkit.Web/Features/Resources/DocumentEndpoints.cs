namespace PalliativeToolkit.Web.Features.Resources;

public static class DocumentEndpoints
{
    /// <summary>
    /// <c>GET /documents/{id}/file</c>: the document's file, always as a download under its safe name and real type, for
    /// signed-in users the access rule lets see the document; 404 for everyone else (a guessed or copied address included).
    /// </summary>
    public static IEndpointConventionBuilder MapDocumentDownloads(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // A library resource's uploaded file: every signed-in user reads the library.
        endpoints.MapGet("/library/{id:guid}/file", async (Guid id, HttpContext http, ResourceService library) =>
        {
            var outcome = await library.OpenFileAsync(http.User, id, http.RequestAborted);
            if (!outcome.Succeeded)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "private, no-store";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Stream(outcome.Value.Content, outcome.Value.ContentType, outcome.Value.FileName);
        }).RequireAuthorization();

        return endpoints.MapGet("/documents/{id:guid}/file", async (Guid id, HttpContext http, DocumentService documents) =>
        {
            var outcome = await documents.OpenAsync(http.User, id, http.RequestAborted);
            if (!outcome.Succeeded)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "private, no-store";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Stream(outcome.Value.Content, outcome.Value.ContentType, outcome.Value.FileName);
        }).RequireAuthorization();
    }
}
