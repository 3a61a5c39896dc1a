using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using PalliativeToolkit.Testing;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Sign-in answers the same, in words and in time, for an address that has no account, a wrong password and a locked
/// account: an attacker cannot learn which accounts exist. Time is compared as a ratio of medians within one run, tries
/// interleaved so that the machine's load falls on both alike.
/// </summary>
public partial class SignInAnswerTests(EmptyPortalFactory factory) : IClassFixture<EmptyPortalFactory>
{
    private const int Tries = 20;

    private static async Task<(TimeSpan Time, string Answer)> TryAsync(HttpClient client, string email)
    {
        var form = await PortalFactory.LoginFormFieldsAsync(client);
        form["Input.Email"] = email;
        form["Input.Password"] = "not-the-password-at-all";
        using var content = new FormUrlEncodedContent(form);
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("/Account/Login", content, TestContext.Current.CancellationToken);
        var time = Stopwatch.GetElapsedTime(started);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (time, Message().Match(html).Value);
    }

    private static double Median(List<TimeSpan> times) => times.Select(t => t.TotalMilliseconds).Order().ElementAt(times.Count / 2);

    private static double Ratio(List<TimeSpan> a, List<TimeSpan> b) => Math.Max(Median(a), Median(b)) / Math.Min(Median(a), Median(b));

    [Fact]
    public async Task An_unknown_address_a_wrong_password_a_locked_account_and_one_without_a_password_get_the_same_answer_in_about_the_same_time()
    {
        // Twenty real accounts tried once each (none locks), and one account locked by five wrong passwords first.
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

        var unknown = new List<TimeSpan>();
        var wrong = new List<TimeSpan>();
        var lockedOut = new List<TimeSpan>();
        var noPassword = new List<TimeSpan>();
        var answers = new HashSet<string>();
        for (var i = 0; i < Tries; i++)
        {
            foreach (var (email, times) in new[] { ($"nobody{i}@{PortalFactory.Domain}", unknown), (accounts[i], wrong), (locked, lockedOut), (invited, noPassword) })
            {
                var (time, answer) = await TryAsync(client, email);
                times.Add(time);
                answers.Add(answer);
            }
        }

        Assert.Equal("Invalid login attempt.", Assert.Single(answers));
        var summary = $"medians: unknown address {Median(unknown):0} ms, wrong password {Median(wrong):0} ms, locked account {Median(lockedOut):0} ms, no password yet {Median(noPassword):0} ms";
        Assert.True(Ratio(unknown, wrong) < 2 && Ratio(unknown, lockedOut) < 2 && Ratio(unknown, noPassword) < 2, summary);
    }

    [GeneratedRegex("Invalid login attempt\\.")]
    private static partial Regex Message();
}
