using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Sign-in answers the same, in words, in work and in time, for an address that has no account, a wrong password, a
/// locked account and an account without a password: an attacker cannot learn which accounts exist. The work is
/// counted (password hash verifications per try, exactly one for each); the time is compared as a ratio within one run,
/// tries interleaved so that the machine's load falls on all alike, on each kind's fastest try: the other test projects
/// run at the same time, and the fastest try is the one least disturbed by them. The four kinds take turns in a new
/// order every round, and no other test of this project runs meanwhile (the collection is not parallel): a CI run once
/// made whichever kind went first in each round the slow one.
/// </summary>
[Collection(nameof(TimingCollection))]
public partial class SignInAnswerTests(CountingHasherPortalFactory factory) : IClassFixture<CountingHasherPortalFactory>
{
    private const int Tries = 20;

    private async Task<(TimeSpan Time, string Answer)> TryAsync(HttpClient client, string email)
    {
        var verificationsBefore = factory.Verifications;
        var form = await PortalFactory.LoginFormFieldsAsync(client);
        form["Input.Email"] = email;
        form["Input.Password"] = "not-the-password-at-all";
        using var content = new FormUrlEncodedContent(form);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("/Account/Login", content, TestContext.Current.CancellationToken);
        var time = Stopwatch.GetElapsedTime(started);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, factory.Verifications - verificationsBefore);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (time, Message().Match(html).Value);
    }

    private static double Fastest(List<TimeSpan> times) => times.Min(t => t.TotalMilliseconds);

    private static double Ratio(List<TimeSpan> a, List<TimeSpan> b) => Math.Max(Fastest(a), Fastest(b)) / Math.Min(Fastest(a), Fastest(b));

    [Fact]
    public async Task An_unknown_address_a_wrong_password_a_locked_account_and_one_without_a_password_get_the_same_answer_in_about_the_same_time()
    {
        // Twenty real accounts tried once in each measurement (three at most: none has to wait), and one account locked by five wrong passwords first.
        var accounts = new List<string>();
        for (var i = 0; i < Tries; i++)
        {
            accounts.Add((await factory.Data.UserAsync(withPassword: true)).Email);
        }

        var locked = (await factory.Data.UserAsync(withPassword: true)).Email;
        var invited = (await factory.Data.UserAsync(withPassword: false)).Email; // an invitation not yet taken up
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < 5; i++)
        {
            await TryAsync(client, locked);
        }

        // A measurement whose fastest tries differ twofold or more is taken again, up to three times: a noisy neighbour can
        // slow every try of one kind in a measurement now and then, a real difference (a kind that skips the hash is many
        // times faster) shows in every one. The answers and the work are checked on every try of every measurement.
        var answers = new HashSet<string>();
        var summaries = new List<string>();
        for (var measurement = 0; measurement < 3; measurement++)
        {
            var unknown = new List<TimeSpan>();
            var wrong = new List<TimeSpan>();
            var lockedOut = new List<TimeSpan>();
            var noPassword = new List<TimeSpan>();
            for (var i = 0; i < Tries; i++)
            {
                var round = new[] { ($"nobody{i}@{PortalFactory.Domain}", unknown), (accounts[i], wrong), (locked, lockedOut), (invited, noPassword) };
                Random.Shared.Shuffle(round);
                foreach (var (email, times) in round)
                {
                    var (time, answer) = await TryAsync(client, email);
                    times.Add(time);
                    answers.Add(answer);
                }
            }

            Assert.Equal("Invalid login attempt.", Assert.Single(answers));
            summaries.Add($"fastest tries: unknown address {Fastest(unknown):0} ms, wrong password {Fastest(wrong):0} ms, locked account {Fastest(lockedOut):0} ms, no password yet {Fastest(noPassword):0} ms");
            if (Ratio(unknown, wrong) < 2 && Ratio(unknown, lockedOut) < 2 && Ratio(unknown, noPassword) < 2)
            {
                return;
            }
        }

        Assert.Fail(string.Join(Environment.NewLine, summaries));
    }

    [GeneratedRegex("Invalid login attempt\\.")]
    private static partial Regex Message();
}

/// <summary>The app on an empty database, counting every password hash verification (the expensive step of a sign-in).</summary>
public sealed class CountingHasherPortalFactory : PortalFactory
{
    private int _verifications;

    protected override bool WithDemo => false;

    public int Verifications => Volatile.Read(ref _verifications);

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IPasswordHasher<ApplicationUser>>(sp =>
            new CountingHasher(new PasswordHasher<ApplicationUser>(sp.GetService<IOptions<PasswordHasherOptions>>()), () => Interlocked.Increment(ref _verifications))));
    }

    private sealed class CountingHasher(IPasswordHasher<ApplicationUser> inner, Action counted) : IPasswordHasher<ApplicationUser>
    {
        public string HashPassword(ApplicationUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            counted();
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

/// <summary>Tests that compare times run alone within this project.</summary>
[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection;
