using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

public class TwoFactorTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    /// <summary>An authenticator app's code (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for a base32 key.</summary>
    private static string Code(string base32Key, DateTimeOffset now, int stepOffset = 0)
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

    /// <summary>The server checks codes against its own clock.</summary>
    private DateTimeOffset AppNow() => App.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    [Fact]
    public async Task A_user_turns_on_an_authenticator_and_then_needs_its_code_to_log_in()
    {
        await LogInAsync("manager2");
        await Page.GotoAsync("Account/Manage/EnableAuthenticator");
        var key = await Page.Locator("kbd").First.TextContentAsync();
        await Page.Locator("#Input\\.Code").FillAsync(Code(key!, AppNow()));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(Page.GetByText("Your authenticator app has been verified.")).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        await LogOutAsync();
        await Page.GotoAsync("Account/Login");
        await Page.Locator("#Input\\.Email").FillAsync($"manager2@{Domain}");
        await Page.Locator("#Input\\.Password").FillAsync(PortalApp.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor authentication" })).ToBeVisibleAsync();

        await Page.Locator("#Input\\.TwoFactorCode").FillAsync("000000");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByText("Invalid authenticator code")).ToBeVisibleAsync();

        await Page.Locator("#Input\\.TwoFactorCode").FillAsync(Code(key!, AppNow(), stepOffset: 1));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
    }
}
