namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>
/// One sign-in of one person in one browser: the sign-in cookie names it, and it is live until it is ended (log out,
/// "sign out everywhere", an administrator's lock) or runs out (idle timeout, absolute lifetime). A cookie whose session
/// is not live is refused, wherever it is replayed from.
/// </summary>
public class UserSession
{
    private UserSession() { Id = UserId = string.Empty; }

    public UserSession(string id, string userId, DateTime startedAt, string? client)
    {
        Id = id;
        UserId = userId;
        StartedAt = startedAt;
        LastSeenAt = startedAt;
        Client = client;
    }

    /// <summary>A random, unguessable id (the cookie's <c>sid</c> claim).</summary>
    public string Id { get; private set; }

    public string UserId { get; private set; }

    public DateTime StartedAt { get; private set; }

    /// <summary>The last request or page activity seen (written at most once a minute).</summary>
    public DateTime LastSeenAt { get; private set; }

    /// <summary>The browser, as its user agent names it (shortened), shown on My account.</summary>
    public string? Client { get; private set; }

    public DateTime? EndedAt { get; private set; }

    /// <summary>Why it ended: <see cref="SessionEnd"/>.</summary>
    public string? EndReason { get; private set; }
}

/// <summary>Why a session ended.</summary>
public static class SessionEnd
{
    public const string LoggedOut = "logged out";
    public const string SignedOutEverywhere = "signed out everywhere";
    public const string Idle = "idle timeout";
    public const string Lifetime = "absolute lifetime";
    public const string AccountChanged = "account locked or deleted";
}
