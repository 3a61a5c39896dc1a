using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Infrastructure.Identity;

namespace PalliativeToolkit.Testing;

/// <summary>
/// An authenticator app for tests: the accounts whose role requires a second factor (the demo administrator and
/// reviewer in the templates, and test users given a global role) are enrolled with <see cref="Key"/>, and sign-in
/// helpers answer the second step with its current code. Identity accepts a code again within its window (it keeps no
/// record of used codes), so parallel sign-ins of one account do not collide.
/// </summary>
public static class Authenticator
{
    /// <summary>The authenticator key (base32) of every account the tests enrol.</summary>
    public const string Key = "PTKTESTSECONDFACTORKEYFORTESTS23";

    /// <summary>An authenticator app's code (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for a base32 key.</summary>
    public static string Code(string base32Key, DateTimeOffset now, int stepOffset = 0)
    {
        var key = Base32(base32Key);
        var step = (now.ToUnixTimeSeconds() / 30) + stepOffset;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

#pragma warning disable CA5350 // RFC 6238 authenticator codes are defined with HMAC-SHA1
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The code of <see cref="Key"/> at the portal's time (<paramref name="clock"/>: the TimeProvider it runs on).</summary>
    public static string CurrentCode(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Code(Key, clock.GetUtcNow());
    }

    /// <summary>Turns on two-factor sign-in for <paramref name="user"/> with <see cref="Key"/>, as verifying the app's code would.</summary>
    public static async Task EnrolAsync(IServiceProvider services, ApplicationUser user)
    {
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        var keys = (IUserAuthenticatorKeyStore<ApplicationUser>)services.GetRequiredService<IUserStore<ApplicationUser>>();
        await keys.SetAuthenticatorKeyAsync(user, Key, CancellationToken.None);
        var result = await users.SetTwoFactorEnabledAsync(user, true);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not enrol {user.Email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    /// <summary>
    /// After the login form's answer: when it asks for the second step, posts the authenticator form with the current
    /// code of <see cref="Key"/> (the client keeps the cookies) and answers that response; otherwise the login's own.
    /// </summary>
    public static async Task<HttpResponseMessage> CompleteSignInAsync(HttpClient client, HttpResponseMessage login, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(login);
        var location = login.Headers.Location?.ToString();
        if (login.StatusCode != HttpStatusCode.Redirect || location?.Contains("Account/LoginWith2fa", StringComparison.OrdinalIgnoreCase) != true)
        {
            return login;
        }

        var fields = HtmlForm.HiddenFields(await client.GetStringAsync(location));
        fields["Input.TwoFactorCode"] = CurrentCode(clock);
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync(location, form);
    }

    /// <summary>
    /// Sets up an authenticator on the enrolment page at <paramref name="enrolAddress"/>, as a person does: reads the key
    /// the page shows, posts its current code, and answers the page that follows (the recovery codes) with the key.
    /// </summary>
    public static async Task<(string Key, string Html)> EnrolOverHttpAsync(HttpClient client, string enrolAddress, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(clock);
        var page = await client.GetStringAsync(enrolAddress);
        var key = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "<kbd>(?<key>[^<]+)</kbd>").Groups["key"].Value);
        var fields = HtmlForm.HiddenFields(page);
        fields["_handler"] = "send-code";
        fields["Input.Code"] = Code(key, clock.GetUtcNow());
        using var form = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(enrolAddress, form);
        return (key, await response.Content.ReadAsStringAsync());
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
