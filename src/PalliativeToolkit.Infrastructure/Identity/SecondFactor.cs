using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>
/// <c>TwoFactor</c> settings: which global roles need a second factor (an authenticator app) before the portal lets
/// their holders do anything. Unset means administrators and statewide reviewers; empty entries are ignored, and a name
/// that is not a global role stops start-up.
/// </summary>
public sealed class TwoFactorOptions
{
    public const string SectionName = "TwoFactor";

    public static readonly IReadOnlyList<string> DefaultRoles = [GlobalRoles.Administrator, GlobalRoles.StatewideReviewer];

    /// <summary>As configured (null when unset). Read <see cref="Roles"/>.</summary>
    public IList<string>? RequiredForRoles { get; set; }

    /// <summary>The roles that require a second factor.</summary>
    public IReadOnlyList<string> Roles =>
        RequiredForRoles is null
            ? DefaultRoles
            : [.. RequiredForRoles.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal)];

    internal bool NamesOnlyGlobalRoles() => Roles.All(GlobalRoles.All.Contains);
}

/// <summary>
/// The rule "these roles need a second factor". One page load asks it several times (the request, the router, the
/// operation, the menu's policies), so an answer is remembered for <see cref="Remembered"/>; every change to an account
/// through the portal's UserManager forgets that account's answer (<see cref="Forget"/>), so a role granted a moment
/// ago, or an authenticator reset by an administrator, applies to the next request, navigation and operation. Another
/// instance of a multi-instance deployment sees the change within <see cref="Remembered"/>.
/// The account has a second factor when Identity's two-factor sign-in is on (it was turned on by verifying an
/// authenticator code). A passkey alone does not count: without two-factor sign-in the password alone still signs in.
/// </summary>
public sealed class SecondFactorRule(IOptions<TwoFactorOptions> options, IDbContextFactory<ToolkitDbContext> contexts, IMemoryCache memory)
{
    public static readonly TimeSpan Remembered = TimeSpan.FromSeconds(2);

    private static string KeyOf(string userId) => "second-factor:" + userId;

    /// <summary>Forgets the remembered answer for the account (its roles or second factor changed).</summary>
    public void Forget(string userId) => memory.Remove(KeyOf(userId));

    public IReadOnlyList<string> RequiredForRoles => options.Value.Roles;

    /// <summary>Whether any of <paramref name="roles"/> requires a second factor.</summary>
    public bool IsRequiredFor(IEnumerable<string?> roles) => roles.Any(r => r is not null && RequiredForRoles.Contains(r));

    /// <summary>
    /// Whether the account holds a role that requires a second factor and has none: the person must enrol before
    /// anything else. An unknown or empty user id is never sent to enrol (it is not signed in).
    /// </summary>
    public async Task<bool> MustEnrolAsync(string? userId, CancellationToken cancellationToken = default)
    {
        var roles = RequiredForRoles.ToArray();
        if (string.IsNullOrEmpty(userId) || roles.Length == 0)
        {
            return false;
        }

        if (memory.TryGetValue(KeyOf(userId), out bool remembered))
        {
            return remembered;
        }

        // Identity's tables have no access filter: a context bound to no viewer reads them.
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var mustEnrol = await (from u in db.Users
                               where u.Id == userId && !u.TwoFactorEnabled
                               join ur in db.UserRoles on u.Id equals ur.UserId
                               join r in db.Roles on ur.RoleId equals r.Id
                               where roles.Contains(r.Name!)
                               select u.Id).AnyAsync(cancellationToken);
        memory.Set(KeyOf(userId), mustEnrol, Remembered);
        return mustEnrol;
    }
}
