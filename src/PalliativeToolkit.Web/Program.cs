using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using PalliativeToolkit.Infrastructure;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Infrastructure.Seeding;
using PalliativeToolkit.Web.Components;
using PalliativeToolkit.Web.Components.Account;
using PalliativeToolkit.Web.Features;
using PalliativeToolkit.Web.Features.ActionPlans;
using PalliativeToolkit.Web.Features.Admin;
using PalliativeToolkit.Web.Features.Api;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Community;
using PalliativeToolkit.Web.Features.Resources;
using PalliativeToolkit.Web.Features.Statewide;
using PalliativeToolkit.Web.Features.Surveys;
using PalliativeToolkit.Web.Infrastructure;
using Serilog;

var builder = WebApplication.CreateBuilder(args);

// "audit verify [--anchor sequence:hash]": checks the audit chain and exits (0 intact, 1 broken), without serving.
if (AuditCommand.Matches(args))
{
    return await AuditCommand.RunAsync(builder, args, Console.Out);
}

// The server does not name itself (no "Server: Kestrel").
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

builder.Services.AddSerilog((services, logger) => logger
    .ReadFrom.Configuration(builder.Configuration)
    .ReadFrom.Services(services)
    .Enrich.FromLogContext()
    .Enrich.With<LineSafeLogValues>()
    .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture));

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

builder.Services.AddToolkitInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddFeatures(builder.Configuration);

builder.Services.AddCascadingAuthenticationState();
builder.Services.AddScoped<IdentityRedirectManager>();
builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
builder.Services.AddAuthentication(options =>
    {
        options.DefaultScheme = IdentityConstants.ApplicationScheme;
        options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
    })
    .AddIdentityCookies();
builder.Services.AddSignInSessions();
builder.Services.AddAuthorizationBuilder().AddPermissionPolicies();
builder.Services.AddIdentityCore<ApplicationUser>(options =>
    {
        options.SignIn.RequireConfirmedAccount = true;
        options.Stores.SchemaVersion = IdentitySchema.Version;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.User.RequireUniqueEmail = true;
    })
    .AddToolkitIdentityStores()
    .AddToolkitPasswordPolicy()
    .AddSignInManager<ToolkitSignInManager>()
    .AddDefaultTokenProviders();

// A lock or a role taken away by an administrator reaches signed-in cookies within a minute (the feature services
// already read roles and lockout from the database on every operation).
builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));

// Several instances share one key ring (in the database) so that cookies and antiforgery tokens work on all of them; each
// key is encrypted with a certificate, so reading the database is not enough to forge a cookie.
builder.Services.AddDataProtection()
    .SetApplicationName("PalliativeToolkit")
    .PersistKeysToDbContext<ToolkitDbContext>()
    .ProtectKeysWithConfiguredCertificate(builder.Configuration, builder.Environment);
builder.Services.AddHealthChecks().AddDbContextCheck<ToolkitDbContext>("database");
builder.Services.Configure<ForwardedHeadersOptions>(options => SecurityHeaders.ConfigureForwardedHeaders(options, builder.Configuration));

builder.Services.Configure<SignInBackoffOptions>(builder.Configuration.GetSection(SignInBackoffOptions.SectionName));
builder.Services.AddSingleton<SignInBackoff>();
builder.Services.AddToolkitRateLimits(builder.Configuration);
builder.Services.AddStatewideApi(builder.Configuration);

// Behind TLS the antiforgery cookie is Secure, like the sign-in cookies.
builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

var app = builder.Build();

await app.InitializeDatabaseAsync();
await app.RevokeUnencryptedKeysAsync();

// The client's scheme and address are known before anything else runs (authentication included).
app.UseForwardedHeaders();
app.UseSecurityHeaders(SecurityHeaders.Policy(app.Environment.IsDevelopment()));
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

// The request log goes through this host's logger, not the process-wide static one (which the last host built in a
// process, a test host say, would own).
app.UseSerilogRequestLogging(options =>
{
    options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
    options.GetLevel = (http, _, exception) => RequestLog.LevelOf(http, exception);

    // A calendar feed's address is its credential: the log says which kind of request it was, never the token.
    options.GetMessageTemplateProperties = (http, path, elapsed, status) =>
    [
        new("RequestMethod", new Serilog.Events.ScalarValue(http.Request.Method)),
        new("RequestPath", new Serilog.Events.ScalarValue(ActionPlanCalendar.Redact(path))),
        new("StatusCode", new Serilog.Events.ScalarValue(RequestLog.StatusOf(http, status))),
        new("Elapsed", new Serilog.Events.ScalarValue(elapsed)),
    ];
});
app.UseToolkitRateLimits();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
// The API answers its own errors (problem details, never the HTML error page) and is never cached.
app.UseStatewideApi();
app.UseAuthentication();
// A signed-in person whose role requires a second factor and who has none is sent to set one up, before anything else.
app.UseSecondFactorEnrolment();
app.UseAuthorization();
app.UseAntiforgery();
app.UseBlazorHubOriginCheck();

app.MapStaticAssets();
// frame-ancestors is part of the portal's own policy (SecurityHeaders), on every answer rather than on Blazor's alone.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
app.MapAdditionalIdentityEndpoints();
app.MapAuditExport();
app.MapStatewideExports();
app.MapSurveyExports();
app.MapActionPlanCalendar();
app.MapCommunityEndpoints();
app.MapDocumentDownloads();
app.MapStatewideApiAndReference();
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the integration tests.</summary>
public partial class Program;
