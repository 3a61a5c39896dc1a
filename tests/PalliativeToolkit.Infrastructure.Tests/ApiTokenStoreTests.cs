using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Accounts;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Infrastructure.Tests;

/// <summary>Personal API tokens in the store: the secret's form, what a presented token is checked against, and whose tokens an operation reaches.</summary>
public class ApiTokenStoreTests
{
    private static async Task<(ApiToken Token, string Secret)> AddTokenAsync(TestDatabase database, TestUser user, int days = 90)
    {
        var (secret, prefix, hash) = ApiTokenSecret.New();
        var token = new ApiToken(user.Id, $"Token {Guid.NewGuid():N}", prefix, hash, database.Time.GetUtcNow().UtcDateTime, days);
        await using var db = database.SystemContext();
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (token, secret);
    }

    private static ApiTokenStore Store(TestDatabase database) => database.Services.GetRequiredService<ApiTokenStore>();

    [Fact]
    public void A_secret_is_ptk_and_256_random_bits_and_only_that_form_is_looked_up()
    {
        var (secret, prefix, hash) = ApiTokenSecret.New();
        var (other, _, _) = ApiTokenSecret.New();

        Assert.Matches("^ptk_[A-Za-z0-9_-]{43}$", secret);
        Assert.NotEqual(secret, other);
        Assert.Equal(secret[..12], prefix);
        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, ApiTokenSecret.Hash(secret));
        Assert.True(ApiTokenSecret.IsWellFormed(secret));
        Assert.False(ApiTokenSecret.IsWellFormed(secret[..^1]));
        Assert.False(ApiTokenSecret.IsWellFormed(secret[..^1] + "="));
        Assert.False(ApiTokenSecret.IsWellFormed("PTK_" + secret[4..]));
        Assert.False(ApiTokenSecret.IsWellFormed(null));
    }

    [Fact]
    public void A_token_lives_30_90_or_365_days_and_has_a_name()
    {
        Assert.Throws<DomainException>(() => new ApiToken("u", "n", "ptk_12345678", "h", new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc), 400));
        Assert.Throws<DomainException>(() => new ApiToken("u", " ", "ptk_12345678", "h", new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc), 30));
        var token = new ApiToken("u", " Report ", "ptk_12345678", "h", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), 365);
        Assert.Equal(("Report", new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc)), (token.Name, token.ExpiresAt));
    }

    [Fact]
    public async Task A_reviewers_token_is_accepted_with_the_roles_that_read_statewide_data_until_it_expires()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        var reviewer = await database.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var (token, secret) = await AddTokenAsync(database, reviewer, days: 30);

        var accepted = await Store(database).CheckAsync(secret, TestContext.Current.CancellationToken);
        database.Time.Advance(TimeSpan.FromDays(30));
        var expired = await Store(database).CheckAsync(secret, TestContext.Current.CancellationToken);

        Assert.Equal((token.Id, reviewer.Id), (accepted.Holder!.TokenId, accepted.Holder.UserId));
        Assert.Equal([GlobalRoles.StatewideReviewer], accepted.Holder.Roles);
        Assert.Equal(ApiTokenRefusal.Expired, expired.Refusal);
        Assert.Null(expired.Holder);
    }

    [Fact]
    public async Task Unknown_revoked_and_malformed_tokens_are_refused()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        var reviewer = await database.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var (token, secret) = await AddTokenAsync(database, reviewer);
        await using (var db = database.SystemContext())
        {
            var stored = await db.ApiTokens.SingleAsync(t => t.Id == token.Id, TestContext.Current.CancellationToken);
            stored.Revoke(database.Time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(ApiTokenRefusal.Revoked, (await Store(database).CheckAsync(secret, TestContext.Current.CancellationToken)).Refusal);
        Assert.Equal(ApiTokenRefusal.Unknown, (await Store(database).CheckAsync(ApiTokenSecret.New().Secret, TestContext.Current.CancellationToken)).Refusal);
        Assert.Equal(ApiTokenRefusal.Unknown, (await Store(database).CheckAsync("' OR 1=1 --", TestContext.Current.CancellationToken)).Refusal);
        Assert.Equal(ApiTokenRefusal.Unknown, (await Store(database).CheckAsync(token.Hash, TestContext.Current.CancellationToken)).Refusal);
    }

    [Theory]
    [InlineData(null, true, false)]          // a person with no global role (a token made while they had one)
    [InlineData("StatewideReviewer", false, false)] // the role needs a second factor, and it was reset
    [InlineData("StatewideReviewer", true, true)]   // locked
    [InlineData("Administrator", true, true)]
    public async Task A_token_of_an_account_that_no_longer_reads_statewide_data_is_refused(string? role, bool secondFactor, bool locked)
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        var person = await database.Data.UserAsync(globalRole: role, secondFactor: secondFactor);
        var (_, secret) = await AddTokenAsync(database, person);
        if (locked)
        {
            await database.Data.StoredAsync(async db =>
            {
                var user = await db.Users.SingleAsync(u => u.Id == person.Id);
                user.LockoutEnd = database.Time.GetUtcNow().AddMinutes(5);
                return await db.SaveChangesAsync();
            });
        }

        var check = await Store(database).CheckAsync(secret, TestContext.Current.CancellationToken);

        Assert.Equal(ApiTokenRefusal.NotAllowed, check.Refusal);
    }

    [Fact]
    public async Task A_tokens_last_use_is_written_at_most_once_a_minute_outside_the_audit_trail()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        var admin = await database.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        var (token, secret) = await AddTokenAsync(database, admin);
        var started = database.Time.GetUtcNow().UtcDateTime;
        var audited = await database.Data.StoredAsync(db => db.AuditEntries.CountAsync());

        async Task<DateTime?> LastUsedAsync() => await database.Data.StoredAsync(db => db.ApiTokens.Where(t => t.Id == token.Id).Select(t => t.LastUsedAt).SingleAsync());

        await Store(database).CheckAsync(secret, TestContext.Current.CancellationToken);
        var first = await LastUsedAsync();
        database.Time.Advance(TimeSpan.FromSeconds(30));
        await Store(database).CheckAsync(secret, TestContext.Current.CancellationToken);
        var soonAfter = await LastUsedAsync();
        database.Time.Advance(TimeSpan.FromSeconds(31));
        await Store(database).CheckAsync(secret, TestContext.Current.CancellationToken);
        var aMinuteOn = await LastUsedAsync();

        Assert.Equal(started, first);
        Assert.Equal(started, soonAfter);
        Assert.Equal(started.AddSeconds(61), aMinuteOn);
        Assert.Equal(audited, await database.Data.StoredAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task An_operation_reaches_its_own_persons_tokens_only_and_nobody_reaches_any()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        var reviewer = await database.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var admin = await database.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        var (mine, _) = await AddTokenAsync(database, reviewer);
        await AddTokenAsync(database, admin);

        await using var asReviewer = await database.OperationAsync(reviewer.Principal);
        await using var asAdmin = await database.OperationAsync(admin.Principal);
        await using var asNobody = await database.OperationAsync(new ClaimsPrincipal(new ClaimsIdentity()));
        await using var unbound = database.UnboundContext();

        Assert.Equal([mine.Id], await asReviewer.Db.ApiTokens.Select(t => t.Id).ToListAsync(TestContext.Current.CancellationToken));
        Assert.DoesNotContain(mine.Id, await asAdmin.Db.ApiTokens.Select(t => t.Id).ToListAsync(TestContext.Current.CancellationToken));
        Assert.Empty(await asNobody.Db.ApiTokens.ToListAsync(TestContext.Current.CancellationToken));
        Assert.Empty(await unbound.ApiTokens.ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_tokens()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        var reviewer = await database.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        await AddTokenAsync(database, reviewer);

        await using (var op = database.Operations.OpenAsSystem(TestContext.Current.CancellationToken))
        {
            var users = op.Services.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.DeleteAsync((await users.FindByIdAsync(reviewer.Id))!)).Succeeded);
        }

        Assert.False(await database.Data.StoredAsync(db => db.ApiTokens.AnyAsync(t => t.UserId == reviewer.Id)));
    }
}
