using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Web.Infrastructure;

namespace PalliativeToolkit.Web.Features.Api;

/// <summary>The <c>Api</c> configuration section.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Requests one token may make in a minute (a fixed window); over it the API answers 429 with <c>Retry-After</c>.</summary>
    public int PermitPerMinute { get; set; } = 60;
}

/// <summary>
/// ASP.NET Core's rate limiter on the API: a fixed window of a minute per token (<c>Api:PermitPerMinute</c> requests),
/// counted before the token is looked up, by the hash of the token presented; a request without a well-formed token
/// counts against its client's address instead. Over the limit: 429, <c>Retry-After</c> in seconds, problem details.
/// Counted in each instance's memory. A wider limit per client address (<see cref="Global"/>, part of the portal's global
/// limiter) counts every API request first, so that made-up tokens cannot each open a window of their own.
/// </summary>
public sealed class ApiRateLimit(IOptions<ApiOptions> options) : IRateLimiterPolicy<string>
{
    public const string Policy = "api";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var permits = options.Value.PermitPerMinute;
        return RateLimitPartition.GetFixedWindowLimiter(PartitionOf(httpContext), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The token's hash (never the secret itself), or the client's address when the request carries no token.</summary>
    private static string PartitionOf(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        var token = header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : null;
        return ApiTokenSecret.IsWellFormed(token) ? "token|" + ApiTokenSecret.Hash(token!) : "client|" + ClientKey.Of(context);
    }

    private ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken) =>
        TooManyAsync(rejected, $"More than {options.Value.PermitPerMinute} requests in a minute with this token.");

    /// <summary>How many times one token's limit a client address may send in a minute, whatever tokens it presents.</summary>
    public const int AddressFactor = 10;

    /// <summary>
    /// The wider limit per client address on every API request, counted before the token-keyed one: without it, each
    /// made-up token of the right form would open a window of its own (and cost a lookup), so guessing could go on
    /// unlimited. Other paths are not limited here.
    /// </summary>
    /// <summary>The per-address limit on every API request, as a part of the portal's global limiter.</summary>
    public static GlobalRateLimit Global(int permitPerMinute) => new(
        PartitionedRateLimiter.Create<HttpContext, string>(context => IsApi(context)
            ? RateLimitPartition.GetFixedWindowLimiter("address|" + ClientKey.Of(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permitPerMinute * AddressFactor,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter(string.Empty)),
        IsApi,
        (rejected, _) => TooManyAsync(rejected, $"More than {permitPerMinute * AddressFactor} requests in a minute from this address."));

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments(ApiEndpoints.Prefix, StringComparison.OrdinalIgnoreCase);

    private static async ValueTask TooManyAsync(OnRejectedContext rejected, string what)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiProblems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too Many Requests", $"{what} Try again in {seconds} seconds.");
    }
}
