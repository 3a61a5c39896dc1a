using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace PalliativeToolkit.Web.Components.Account;

/// <summary>The <c>SignIn</c> configuration section: how failed passwords slow further tries down.</summary>
public sealed class SignInBackoffOptions
{
    public const string SectionName = "SignIn";

    /// <summary>Failed passwords for one account from one client before it has to wait.</summary>
    public int FreeFailures { get; set; } = 5;

    /// <summary>The first wait; each further failure doubles it.</summary>
    public TimeSpan FirstWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait: the backoff never becomes a lock.</summary>
    public TimeSpan LongestWait { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Failed passwords slow down the one who fails, not the account: failures are counted per account <i>and client
/// address</i>, and after <see cref="SignInBackoffOptions.FreeFailures"/> that client waits, twice as long after each
/// further failure, never longer than <see cref="SignInBackoffOptions.LongestWait"/>. Someone guessing a known account's
/// password from elsewhere cannot keep its owner out (Identity's account-wide lockout let anyone lock any account for five
/// minutes, again and again). Guessing from many addresses is held back by the per-account rate limit (RateLimits.cs).
/// Counts are kept in this instance's memory: behind several instances without session affinity, each counts its own.
/// </summary>
public sealed class SignInBackoff(TimeProvider clock, IOptions<SignInBackoffOptions> options, ILogger<SignInBackoff> logger) : IDisposable
{
    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly Lock _gate = new();

    private sealed record State(int Failures, DateTimeOffset WaitUntil);

    /// <summary>Whether this client must still wait before trying this account's password again.</summary>
    public bool MustWait(string account, string client, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (!_failures.TryGetValue(Key(account, client), out State? state) || state is null)
        {
            return false;
        }

        remaining = state.WaitUntil - clock.GetUtcNow();
        return remaining > TimeSpan.Zero;
    }

    /// <summary>Counts a failed password; answers the wait it starts (zero while failures are still free).</summary>
    public TimeSpan Failed(string account, string client)
    {
        var o = options.Value;
        var key = Key(account, client);
        lock (_gate)
        {
            var failures = (_failures.TryGetValue(key, out State? state) && state is not null ? state.Failures : 0) + 1;
            var wait = TimeSpan.Zero;
            if (failures >= o.FreeFailures)
            {
                var doublings = Math.Min(failures - o.FreeFailures, 20);
                wait = TimeSpan.FromTicks(Math.Min(o.FirstWait.Ticks * (1L << doublings), o.LongestWait.Ticks));
            }

            _failures.Set(key, new State(failures, clock.GetUtcNow() + wait), new MemoryCacheEntryOptions
            {
                Size = 1,
                SlidingExpiration = TimeSpan.FromDays(1) > wait ? TimeSpan.FromDays(1) : wait,
            });
            if (!_failures.TryGetValue(key, out _))
            {
                // Full (100,000 account and client pairs failing at once): this failure is not counted, and the
                // per-account rate limit is what still holds guessing back. Worth an operator's look.
                logger.LogWarning("Sign-in backoff is full: a failed sign-in was not counted. Many clients are failing at once.");
            }

            return wait;
        }
    }

    /// <summary>A successful sign-in forgets this client's failures for the account.</summary>
    public void Succeeded(string account, string client) => _failures.Remove(Key(account, client));

    public void Dispose() => _failures.Dispose();

    /// <summary>
    /// Identity's normalizer, as the portal registers it (the default one; Identity registers it per scope, this
    /// allowance lives as long as the portal).
    /// </summary>
    private static readonly UpperInvariantLookupNormalizer Normalizer = new();

    /// <summary>The account as Identity finds it, and the client.</summary>
    private static string Key(string account, string client) => $"{Normalizer.NormalizeEmail(account.Trim())}\n{client}";
}
