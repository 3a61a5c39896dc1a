using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Infrastructure;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>
/// How many invitations and password links one person (an administrator, or a manager inviting their team) may send
/// in a window (<c>RateLimits:InvitationsPerSender</c>, 20 an hour): a hijacked or careless account cannot turn the
/// portal into a source of mass email. Sent from open pages, so ASP.NET Core's request limiter does not see them.
/// </summary>
public sealed class InvitationLimit : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly WindowLimit _limit;

    public InvitationLimit(IOptions<RateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limit = options.Value.InvitationsPerSender;
        _limiter = PartitionedRateLimiter.Create<string, string>(sender => RateLimitPartition.GetFixedWindowLimiter(sender, _ => _limit.Limiter()));
    }

    /// <summary>Takes one email from the sender's allowance, or answers why not (and when to try again).</summary>
    public Failure.Refused? Take(Operation op)
    {
        ArgumentNullException.ThrowIfNull(op);
        using var lease = _limiter.AttemptAcquire(op.Viewer.UserId);
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _limit.Window;
        return Failure.Refuse(string.Create(
            CultureInfo.InvariantCulture,
            $"You have sent {_limit.Requests} invitations or password links in a short time, the most the portal allows. Try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} minutes."));
    }

    public void Dispose() => _limiter.Dispose();
}
