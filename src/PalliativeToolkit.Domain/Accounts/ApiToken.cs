using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Accounts;

/// <summary>Where a personal API token stands.</summary>
public enum ApiTokenState
{
    Active,
    Expired,
    Revoked,
}

/// <summary>
/// A personal API token: a reviewer's or administrator's credential for the read-only API, made and revoked on My
/// account. Only the SHA-256 of its secret is kept (the secret is shown once, when it is made), with the first characters
/// of the secret to tell tokens apart, a name its owner chose, when it expires (at most a year on) and when it was last
/// used. A revoked token stays listed, refused.
/// </summary>
public class ApiToken : Entity
{
    public const int NameLength = 100;

    /// <summary>How many characters of the secret are kept to tell tokens apart ("ptk_" and eight more).</summary>
    public const int PrefixLength = 12;

    /// <summary>The lifetimes a token can be made with, in days; the longest is the most any token lives.</summary>
    public static readonly IReadOnlyList<int> LifetimeDays = [30, 90, 365];

    private ApiToken() { UserId = Name = Prefix = Hash = string.Empty; }

    public ApiToken(string userId, string name, string prefix, string hash, DateTime createdAt, int lifetimeDays)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(hash);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > NameLength)
        {
            throw new DomainException($"Name the token in 1 to {NameLength} characters.");
        }

        if (!LifetimeDays.Contains(lifetimeDays))
        {
            throw new DomainException($"A token lives {string.Join(", ", LifetimeDays.Take(LifetimeDays.Count - 1))} or {LifetimeDays[^1]} days.");
        }

        UserId = userId;
        Name = name.Trim();
        Prefix = prefix;
        Hash = hash;
        CreatedAt = createdAt;
        ExpiresAt = createdAt.AddDays(lifetimeDays);
    }

    /// <summary>The account the token acts for.</summary>
    public string UserId { get; private set; }

    public string Name { get; private set; }

    /// <summary>The first <see cref="PrefixLength"/> characters of the secret, shown to tell tokens apart.</summary>
    public string Prefix { get; private set; }

    /// <summary>SHA-256 of the secret, lower-case hex: what a presented token is looked up by.</summary>
    public string Hash { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    /// <summary>The last request the token was accepted for (written at most once a minute).</summary>
    public DateTime? LastUsedAt { get; private set; }

    public ApiTokenState StateAt(DateTime now) =>
        RevokedAt is not null ? ApiTokenState.Revoked : now >= ExpiresAt ? ApiTokenState.Expired : ApiTokenState.Active;

    /// <summary>Refuses the token from now on. Revoking a revoked token changes nothing.</summary>
    public void Revoke(DateTime now) => RevokedAt ??= now;
}
