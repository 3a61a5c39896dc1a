using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Accounts;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>
/// The secret of a personal API token: <c>ptk_</c> and 43 base64url characters (256 random bits). Only its SHA-256 is
/// stored; a string that does not have this form is refused before any lookup.
/// </summary>
public static class ApiTokenSecret
{
    public const string Marker = "ptk_";

    /// <summary>The secret's length: the marker and 32 bytes as unpadded base64url.</summary>
    public const int Length = 47;

    private static readonly System.Buffers.SearchValues<char> Base64Url =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>A new secret, the prefix shown to tell it apart, and the hash that is stored.</summary>
    public static (string Secret, string Prefix, string Hash) New()
    {
        var secret = Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (secret, secret[..ApiToken.PrefixLength], Hash(secret));
    }

    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>Whether <paramref name="text"/> has the form of a secret (not whether it is one).</summary>
    public static bool IsWellFormed(string? text) =>
        text is { Length: Length } && text.StartsWith(Marker, StringComparison.Ordinal)
        && text.AsSpan(Marker.Length).IndexOfAnyExcept(Base64Url) < 0;
}

/// <summary>Why a presented token was refused.</summary>
public enum ApiTokenRefusal
{
    /// <summary>No token has that secret (or the text is not a token at all).</summary>
    Unknown,
    Expired,
    Revoked,

    /// <summary>The token's account is locked, or no longer holds a role that reads the statewide data (with the second factor that role needs).</summary>
    NotAllowed,
}

/// <summary>The account a token acts for, as it stands now: its global roles that count (those that read statewide data).</summary>
public sealed record ApiTokenHolder(Guid TokenId, string UserId, string DisplayName, string? Email, IReadOnlyList<string> Roles);

/// <summary>A presented token: its holder when accepted, else why it was refused.</summary>
public sealed record ApiTokenCheck(ApiTokenHolder? Holder, ApiTokenRefusal? Refusal)
{
    public bool Accepted => Holder is not null;
}

/// <summary>
/// Checks presented API tokens against the database: the token must exist, be neither revoked nor expired, and its account
/// must not be locked and must still hold a role that reads statewide data, with the second factor that role requires
/// (<see cref="SecondFactorRule"/>). Roles and lockout are read on every request, never remembered, so a role taken away
/// or a lock refuses the token's next request. An accepted token's last use is written at most once a minute, outside the
/// audit trail (like a session's last activity).
/// </summary>
public sealed class ApiTokenStore(IDbContextFactory<ToolkitDbContext> contexts, TimeProvider clock, SecondFactorRule secondFactor)
{
    /// <summary>A token's last use is written down at most this often.</summary>
    public static readonly TimeSpan UseResolution = TimeSpan.FromMinutes(1);

    public async Task<ApiTokenCheck> CheckAsync(string? presented, CancellationToken cancellationToken = default)
    {
        if (!ApiTokenSecret.IsWellFormed(presented))
        {
            return new ApiTokenCheck(null, ApiTokenRefusal.Unknown);
        }

        var hash = ApiTokenSecret.Hash(presented!);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // Who the token acts for is not known yet: the lookup reads as the portal itself, by the secret's hash only.
        db.ActAs(Viewer.System);

        // One row per global role of the token's account (one row with no role when it has none): token, lockout and roles in one query.
        var rows = await (from t in db.ApiTokens
                          where t.Hash == hash
                          join u in db.Users on t.UserId equals u.Id
                          from ur in db.UserRoles.Where(ur => ur.UserId == u.Id).DefaultIfEmpty()
                          from r in db.Roles.Where(r => ur != null && r.Id == ur.RoleId).DefaultIfEmpty()
                          select new { t.Id, t.UserId, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, u.LockoutEnd, u.TwoFactorEnabled, u.DisplayName, u.Email, Role = r != null ? r.Name : null })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return new ApiTokenCheck(null, ApiTokenRefusal.Unknown);
        }

        var token = rows[0];
        if (token.RevokedAt is not null)
        {
            return new ApiTokenCheck(null, ApiTokenRefusal.Revoked);
        }

        if (now >= token.ExpiresAt)
        {
            return new ApiTokenCheck(null, ApiTokenRefusal.Expired);
        }

        var readers = Permissions.GlobalRolesFor(Permission.ViewStatewide);
        var roles = rows.Select(r => r.Role).OfType<string>()
            .Where(role => readers.Contains(role) && (token.TwoFactorEnabled || !secondFactor.IsRequiredFor([role])))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (token.LockoutEnd > clock.GetUtcNow() || roles.Count == 0)
        {
            return new ApiTokenCheck(null, ApiTokenRefusal.NotAllowed);
        }

        if (token.LastUsedAt is not { } last || now - last >= UseResolution)
        {
            var seenBefore = now - UseResolution;
            await db.ApiTokens
                .Where(t => t.Id == token.Id && (t.LastUsedAt == null || t.LastUsedAt <= seenBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return new ApiTokenCheck(new ApiTokenHolder(token.Id, token.UserId, token.DisplayName, token.Email, roles), null);
    }
}
