using System.Net;

namespace PalliativeToolkit.Web.Tests;

public class AccountTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        for (var i = 0; i < 5; i++)
        {
            await PortalFactory.PostLoginAsync(client, "provider4", "wrong-password");
        }

        var response = await PortalFactory.PostLoginAsync(client, "provider4", PortalFactory.Password);

        // Refused as any failed attempt is, with no sign-in cookie: the answer does not say the account exists.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid login attempt.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_correct_password_signs_in()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await PortalFactory.PostLoginAsync(client, "provider3", PortalFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("Lockout", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/Account/ForgotPassword")]
    [InlineData("/Account/Lockout")]
    [InlineData("/Account/ResetPassword?code=abc")]
    [InlineData("/Account/ResendEmailConfirmation")]
    public async Task Account_pages_render_without_interactivity(string url)
    {
        var client = factory.CreateClient();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("account-page", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task There_is_no_self_registration()
    {
        var client = factory.CreateClient();

        var register = await client.GetAsync("/Account/Register");
        var login = await client.GetStringAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.NotFound, register.StatusCode);
        Assert.DoesNotContain("Account/Register", login, StringComparison.Ordinal);
        Assert.Contains("Accounts are created by an administrator", login, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Account/ResetPassword?code=a")]
    [InlineData("/Account/ResetPassword?code=%25%25%25")]
    [InlineData("/Account/ConfirmEmail?userId=x&code=a")]
    [InlineData("/Account/ConfirmEmailChange?userId=x&email=a%40b.org&code=a")]
    public async Task A_mangled_link_from_an_email_is_explained_not_an_error(string url)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = true });

        var response = await client.GetAsync(url);

        Assert.True((int)response.StatusCode < 500, $"{url} gave {(int)response.StatusCode}");
    }
}
