using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>
/// The portal's sign-in sessions, kept in the database so that every instance agrees: a session ended on one (log out,
/// sign out everywhere) or run out (idle, lifetime) is refused on all of them, to cookies and open pages alike.
/// </summary>
public sealed class SessionStore(IDbContextFactory<ToolkitDbContext> contexts, TimeProvider clock, IOptions<SignInSessionOptions> options)
{
    /// <summary>The claim of the sign-in cookie that names its session.</summary>
    public const string ClaimType = "ptk:sid";

    /// <summary>Activity is written down at most this often per session.</summary>
    public static readonly TimeSpan SeenResolution = TimeSpan.FromMinutes(1);

    /// <summary>How long an ended session stays listed in the database.</summary>
    public static readonly TimeSpan KeepEnded = TimeSpan.FromDays(30);

    /// <summary>How long this instance answers "live" from memory: every request and open page would otherwise read the database.</summary>
    public static readonly TimeSpan RememberLive = TimeSpan.FromSeconds(2);

    private const int ClientLength = 200;

    /// <summary>Sessions seen live lately, by id: until when "live" may be answered without the database.</summary>
    private readonly ConcurrentDictionary<string, Live> _live = new();

    private sealed record Live(string UserId, DateTime Until, DateTime SeenWritten);

    public SignInSessionOptions Options => options.Value;

    /// <summary>Starts a session for <paramref name="userId"/> and answers its id.</summary>
    public async Task<string> StartAsync(string userId, string? client, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.UserSessions.Add(new UserSession(id, userId, Now(), Shorten(client)));
        await db.SaveChangesAsync(cancellationToken);

        // Sessions over for a month are of no more use to anyone (the audit trail keeps sign-ins and sign-outs).
        var forgotten = Now() - KeepEnded;
        await db.UserSessions
            .Where(s => s.UserId == userId && s.Id != id && (s.EndedAt < forgotten || s.StartedAt < forgotten - Options.AbsoluteLifetime))
            .ExecuteDeleteAsync(cancellationToken);
        return id;
    }

    /// <summary>
    /// Whether session <paramref name="sessionId"/> of <paramref name="userId"/> is live. A session past its idle timeout
    /// or lifetime is ended here. With <paramref name="seen"/>, this counts as activity (written at most once a minute).
    /// </summary>
    public async Task<bool> IsLiveAsync(string? sessionId, string? userId, bool seen, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(sessionId) || string.IsNullOrEmpty(userId))
        {
            return false;
        }

        var now = Now();
        if (_live.TryGetValue(sessionId, out var known) && known.UserId == userId && known.Until > now && (!seen || now - known.SeenWritten < SeenResolution))
        {
            return true;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var session = await db.UserSessions.AsNoTracking()
            .Where(s => s.Id == sessionId)
            .Select(s => new { s.UserId, s.StartedAt, s.LastSeenAt, s.EndedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (session is null || session.UserId != userId || session.EndedAt is not null)
        {
            return false;
        }

        var reason = now - session.LastSeenAt >= Options.IdleTimeout ? SessionEnd.Idle
            : now - session.StartedAt >= Options.AbsoluteLifetime ? SessionEnd.Lifetime
            : null;
        if (reason is not null)
        {
            await EndWhereAsync(db.UserSessions.Where(s => s.Id == sessionId), reason, now, cancellationToken);
            return false;
        }

        var lastSeen = session.LastSeenAt;
        if (seen && now - session.LastSeenAt >= SeenResolution)
        {
            await db.UserSessions
                .Where(s => s.Id == sessionId && s.EndedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
            lastSeen = now;
        }

        Remember(sessionId, userId, now, Min(now + RememberLive, lastSeen + Options.IdleTimeout, session.StartedAt + Options.AbsoluteLifetime), lastSeen);
        return true;
    }

    private void Remember(string sessionId, string userId, DateTime now, DateTime until, DateTime seenWritten)
    {
        if (_live.Count > 10_000)
        {
            foreach (var stale in _live.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
            {
                _live.TryRemove(stale, out _);
            }
        }

        _live[sessionId] = new Live(userId, until, seenWritten);
    }

    private static DateTime Min(params DateTime[] times) => times.Min();

    /// <summary>Ends one session (logging out).</summary>
    public async Task EndAsync(string? sessionId, string reason, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }

        _live.TryRemove(sessionId, out _);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await EndWhereAsync(db.UserSessions.Where(s => s.Id == sessionId), reason, Now(), cancellationToken);
    }

    /// <summary>Ends every live session of a user (sign out everywhere, a lock) and answers how many there were.</summary>
    public async Task<int> EndAllAsync(string userId, string reason, CancellationToken cancellationToken = default)
    {
        foreach (var mine in _live.Where(e => e.Value.UserId == userId).Select(e => e.Key).ToList())
        {
            _live.TryRemove(mine, out _);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await EndWhereAsync(db.UserSessions.Where(s => s.UserId == userId), reason, Now(), cancellationToken);
    }

    /// <summary>A user's live sessions, most recently active first.</summary>
    public async Task<IReadOnlyList<SessionSummary>> LiveSessionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = Now();
        var idleSince = now - Options.IdleTimeout;
        var startedSince = now - Options.AbsoluteLifetime;
        return await db.UserSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null && s.LastSeenAt > idleSince && s.StartedAt > startedSince)
            .OrderByDescending(s => s.LastSeenAt)
            .Select(s => new SessionSummary(s.Id, s.StartedAt, s.LastSeenAt, s.Client))
            .ToListAsync(cancellationToken);
    }

    private static Task<int> EndWhereAsync(IQueryable<UserSession> sessions, string reason, DateTime now, CancellationToken cancellationToken) =>
        sessions.Where(s => s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private static string? Shorten(string? client)
    {
        if (string.IsNullOrWhiteSpace(client))
        {
            return null;
        }

        var clean = new string([.. client.Where(c => !char.IsControl(c))]).Trim();
        return clean.Length <= ClientLength ? clean : clean[..ClientLength];
    }
}

/// <summary>A live session, as My account lists it.</summary>
public sealed record SessionSummary(string Id, DateTime StartedAt, DateTime LastSeenAt, string? Client);
