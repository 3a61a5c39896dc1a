using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Web.Components.Account;

namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>The <c>RateLimits</c> configuration section. Each limit is a number of requests in a fixed window.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Posts of one client (address) to the sign-in forms, and separately to the account-email forms.</summary>
    public WindowLimit PerClient { get; set; } = new() { Requests = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Sign-in posts for one account, from all clients together: guessing from many addresses at once.</summary>
    public WindowLimit SignInPerAccount { get; set; } = new() { Requests = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Password-reset and confirmation emails asked for one address, from all clients together.</summary>
    public WindowLimit EmailsPerAccount { get; set; } = new() { Requests = 5, Window = TimeSpan.FromMinutes(15) };

    /// <summary>Invitations and password links one administrator or manager sends (from the admin and team pages).</summary>
    public WindowLimit InvitationsPerSender { get; set; } = new() { Requests = 20, Window = TimeSpan.FromHours(1) };

    /// <summary>The first limit that is not a limit (fewer than one request, or no window), by name; null when all are.</summary>
    internal string? Invalid() =>
        new[] { ("PerClient", PerClient), ("SignInPerAccount", SignInPerAccount), ("EmailsPerAccount", EmailsPerAccount), ("InvitationsPerSender", InvitationsPerSender) }
            .Where(l => l.Item2.Requests < 1 || l.Item2.Window <= TimeSpan.Zero)
            .Select(l => l.Item1)
            .FirstOrDefault();
}

/// <summary>
/// A limit a feature adds to the portal's global limiter (<see cref="RateLimits"/> chains them): the limiter, which
/// requests it counts, and its answer to one over the limit. Registered as a singleton service.
/// </summary>
public sealed record GlobalRateLimit(
    PartitionedRateLimiter<HttpContext> Limiter,
    Func<HttpContext, bool> Counts,
    Func<OnRejectedContext, CancellationToken, ValueTask> RejectAsync);

public sealed class WindowLimit
{
    public int Requests { get; set; }

    public TimeSpan Window { get; set; }

    internal FixedWindowRateLimiterOptions Limiter() => new() { PermitLimit = Requests, Window = Window, QueueLimit = 0, AutoReplenishment = true };
}

/// <summary>
/// ASP.NET Core's rate limiter on the forms an attacker automates: signing in (password, two-factor code, recovery
/// code, passkey options) and asking for account emails (forgot password, resend confirmation, reset). Each post counts
/// against its client's address and, where the form names an account, against that account, whether it exists or not
/// (the limit says nothing about which accounts exist). Over a limit the answer is 429 with <c>Retry-After</c>.
/// Limits are counted in each instance's memory.
/// </summary>
public static class RateLimits
{
    private const string AccountField = "Input.Email";

    private static readonly string[] SignInPaths = ["/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/PasskeyRequestOptions"];
    private static readonly string[] EmailPaths = ["/Account/ForgotPassword", "/Account/ResendEmailConfirmation", "/Account/ResetPassword"];

    public static IServiceCollection AddToolkitRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        // Read once as options (the invitation limit reads the same), checked when the portal starts.
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, EveryLimitIsALimit>();
        services.AddRateLimiter(_ => { });
        // The one global limiter: the portal's own limits (sign-in, emails) chained with those features register as
        // GlobalRateLimit services; a request over a feature's limit gets that feature's answer.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, IEnumerable<GlobalRateLimit>>((options, configured, features) =>
        {
            var limits = configured.Value;
            var added = features.ToList();
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (rejected, cancellation) =>
                added.FirstOrDefault(f => f.Counts(rejected.HttpContext)) is { } feature ? feature.RejectAsync(rejected, cancellation) : RejectAsync(rejected, cancellation);
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            [
                PartitionedRateLimiter.Create<HttpContext, string>(context => Group(context) is { } group
                    ? RateLimitPartition.GetFixedWindowLimiter($"{group}|{Client(context)}", _ => limits.PerClient.Limiter())
                    : RateLimitPartition.GetNoLimiter(string.Empty)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Group(context) is { } group && Account(context) is { } account
                    ? RateLimitPartition.GetFixedWindowLimiter(AccountPartition(context, group, account), _ => (group == SignInGroup ? limits.SignInPerAccount : limits.EmailsPerAccount).Limiter())
                    : RateLimitPartition.GetNoLimiter(string.Empty)),
                .. added.Select(f => f.Limiter),
            ]);
        });
        return services;
    }

    private sealed class EveryLimitIsALimit : IValidateOptions<RateLimitOptions>
    {
        public ValidateOptionsResult Validate(string? name, RateLimitOptions options) =>
            options.Invalid() is { } invalid
                ? ValidateOptionsResult.Fail($"RateLimits:{invalid} needs Requests of at least 1 and a positive Window (for example 30 and 00:01:00).")
                : ValidateOptionsResult.Success;
    }

    /// <summary>Reads a limited form before the limiter runs, so that it can count the account the form names.</summary>
    public static IApplicationBuilder UseToolkitRateLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (Group(context) is not null && context.Request.HasFormContentType)
            {
                try
                {
                    await context.Request.ReadFormAsync(context.RequestAborted);
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
                {
                    // A malformed, cut-off or oversized form is the form handler's to refuse; it is limited by its client
                    // all the same.
                }
            }

            await next(context);
        });
        return app.UseRateLimiter();
    }

    private const string SignInGroup = "sign-in";

    /// <summary>
    /// The limited form a post is for, decided by the endpoint routing chose (so <c>/Account/Login/</c> or
    /// <c>/account/LOGIN</c> count as the login form they reach), or by the path when no endpoint matched.
    /// </summary>
    private static string? Group(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return null;
        }

        var path = context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern }
            ? "/" + pattern.Trim('/')
            : (context.Request.Path.Value ?? string.Empty).TrimEnd('/');
        return SignInPaths.Any(p => string.Equals(path, p, StringComparison.OrdinalIgnoreCase)) ? SignInGroup
            : EmailPaths.Any(p => string.Equals(path, p, StringComparison.OrdinalIgnoreCase)) ? "emails"
            : null;
    }

    private static string Client(HttpContext context) => ClientKey.Of(context);

    /// <summary>A browser that signed in to the account before counts on its own (<see cref="KnownBrowser"/>).</summary>
    private static string AccountPartition(HttpContext context, string group, string account) =>
        group == SignInGroup && KnownBrowser.Knows(context, account) ? $"{group}|{account}|known|{Client(context)}" : $"{group}|{account}";

    private static string? Account(HttpContext context)
    {
        if (!context.Request.HasFormContentType || context.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is not { } form)
        {
            return null;
        }

        var account = KnownBrowser.Normalize(context, form[AccountField].ToString());
        return account.Length == 0 ? null : account;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var response = rejected.HttpContext.Response;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.ContentType = "text/html; charset=utf-8";
        var wait = seconds < 120 ? $"{seconds} seconds" : $"{Math.Ceiling(seconds / 60.0)} minutes";
        await response.WriteAsync(
            $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Too many attempts · PalliativeToolkit</title></head>
            <body><main><h1>Too many attempts</h1><p>Please wait {wait} and try again.</p><p><a href="/">Back to PalliativeToolkit</a></p></main></body></html>
            """,
            cancellationToken);
    }
}
