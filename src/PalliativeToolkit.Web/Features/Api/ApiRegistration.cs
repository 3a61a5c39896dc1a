using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using NetEscapades.AspNetCore.SecurityHeaders;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Web.Components.Account;
using Scalar.AspNetCore;

namespace PalliativeToolkit.Web.Features.Api;

/// <summary>
/// Puts the read-only API together: its token scheme and authorization policy, its rate limit, its services, its OpenAPI
/// document (<c>/openapi/v1.json</c>, the API's endpoints only) and the reference page (<c>/api/reference</c>).
/// </summary>
public static class ApiRegistration
{
    /// <summary>The API's authorization policy: a token (the only scheme it reads) of a statewide reviewer or administrator.</summary>
    public const string Policy = "Api";

    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/reference";

    public static IServiceCollection AddStatewideApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>()
            .Bind(configuration.GetSection(ApiOptions.SectionName))
            .Validate(o => o.PermitPerMinute is >= 1 and <= 100_000, "Api:PermitPerMinute must be between 1 and 100000.")
            .ValidateOnStart();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<StatewideApi>();

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(options => options.AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole(Permissions.GlobalRolesFor(Permission.ViewStatewide))
            .AddRequirements(new SecondFactorRequirement(AppliesToViews: true))));

        services.AddRateLimiter(options => options.AddPolicy<string, ApiRateLimit>(ApiRateLimit.Policy));
        // Its per-address limit joins the portal's global limiter (RateLimits chains it), with the API's own answer.
        services.AddSingleton(provider => ApiRateLimit.Global(provider.GetRequiredService<IOptions<ApiOptions>>().Value.PermitPerMinute));

        // Names rather than numbers for the closed sets (kinds, models, levels, statuses), in answers and in the document.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.GroupName == DocumentName;
            options.AddDocumentTransformer(static (document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "PalliativeToolkit API",
                    Version = DocumentName,
                    Description = """
                        Read-only statewide data for analysts: reporting cycles, organizations, each organization's latest submitted
                        assessment with its elements' levels, partnerships, and action item counts. Submitted work only: never a draft.
                        Every list is paged (page, pageSize up to 200) and answers items, page, pageSize, total and the next page's address.
                        Authenticate with a personal API token (statewide reviewers and administrators make one on My account, API tokens):
                        Authorization: Bearer ptk_… Errors are problem details (RFC 9457); 429 says in Retry-After when to try again.
                        """,
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiTokenAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "ptk_ personal API token",
                    Description = "A personal API token, made on My account (API tokens) by a statewide reviewer or administrator.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiTokenAuthenticationHandler.SchemeName, document)] = [] }];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(static (operation, context, _) =>
            {
                var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiParametersMetadata>().FirstOrDefault();
                if (declared is not null)
                {
                    operation.Parameters ??= [];
                    foreach (var parameter in declared.Parameters)
                    {
                        operation.Parameters.Add(new OpenApiParameter
                        {
                            Name = parameter.Name,
                            In = ParameterLocation.Query,
                            Required = false,
                            Description = parameter.Description,
                            Schema = SchemaOf(parameter),
                        });
                    }
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>
    /// The reference page in the portal's colours, with secondary text dark enough for WCAG AA contrast (Scalar's own
    /// greys are lighter than 4.5:1 on its backgrounds).
    /// </summary>
    private const string ReferenceCss = """
        .light-mode {
          --scalar-color-1: #1b1b1b;
          --scalar-color-2: #474747;
          --scalar-color-3: #555555;
          --scalar-color-accent: #1F5F7A;
        }
        .light-mode .hljs-literal { color: #8a3c00 !important; }
        .dark-mode .hljs-literal { color: #ffb86b !important; }
        .dark-mode {
          --scalar-color-2: #d0d0d0;
          --scalar-color-3: #bdbdbd;
        }
        """;

    /// <summary>Sets the page's extra head content (not appended: the options may be configured again for each request).</summary>
    private static ScalarOptions WithHeadContentOnce(this ScalarOptions options, string content)
    {
        options.HeadContent = content;
        return options;
    }

    private static OpenApiSchema SchemaOf(ApiParameter parameter) => parameter.Kind switch
    {
        ApiParameterKind.WholeNumber => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Maximum = (parameter == ApiParameters.PageSize ? Paging.MaxPageSize : Paging.MaxPage).ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        ApiParameterKind.Identifier => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
        _ when parameter.Values is { } values => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] },
        _ => new OpenApiSchema { Type = JsonSchemaType.String },
    };

    /// <summary>The API's answers (under <see cref="ApiEndpoints.Prefix"/>): never cached, errors as problem details.</summary>
    public static IApplicationBuilder UseStatewideApi(this IApplicationBuilder app) => app.UseStatewideApiAnswers();

    /// <summary>The API, its OpenAPI document and its reference page (both open to everyone: they describe, they hold no data).</summary>
    public static IEndpointRouteBuilder MapStatewideApiAndReference(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapStatewideApi();
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

        // Scalar's page runs its own bundled script (served by the portal, not a CDN) under the portal's content security
        // policy: its inline script carries this answer's nonce. Nothing is fetched from elsewhere (no fonts, telemetry
        // or AI agent) and it offers no links to Scalar's services (no developer toolbar), so the policy needs no exception.
        endpoints.MapScalarApiReference(ReferencePath, static (options, http) => options
                .WithTitle("PalliativeToolkit API reference")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument(DocumentName, "PalliativeToolkit API")
                .WithNonce(http.GetNonce())
                .WithHeadContentOnce("<script src=\"/api-reference.js\"></script>")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .WithCustomCss(ReferenceCss)
                .AddPreferredSecuritySchemes([ApiTokenAuthenticationHandler.SchemeName]))
            .AllowAnonymous();
        return endpoints;
    }
}
