using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Admin;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

public class TwoFactorTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private static readonly System.Text.RegularExpressions.Regex OnEnrolment = new("/Account/Manage/EnableAuthenticator");

    /// <summary>The server checks codes against its own clock.</summary>
    private DateTimeOffset AppNow() => App.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    [Fact]
    public async Task A_user_turns_on_an_authenticator_and_then_needs_its_code_to_log_in()
    {
        await LogInAsync("manager2");
        await Page.GotoAsync("Account/Manage/EnableAuthenticator");
        var key = await Page.Locator("kbd").First.TextContentAsync();
        await Page.Locator("#Input\\.Code").FillAsync(Authenticator.Code(key!, AppNow()));
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

        await Page.Locator("#Input\\.TwoFactorCode").FillAsync(Authenticator.Code(key!, AppNow(), stepOffset: 1));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_administrator_without_a_second_factor_enrols_before_anything_else_and_then_signs_in_with_codes()
    {
        var admin = await App.Data.UserAsync(globalRole: GlobalRoles.Administrator, withPassword: true, secondFactor: false);

        // Signing in with the password leads to the enrolment page, which says why.
        await LogInAsync(Page, admin.Email, TestUser.Password);
        await Expect(Page).ToHaveURLAsync(OnEnrolment);
        await Expect(Page.GetByText("Administrators and statewide reviewers must use a second factor")).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        // Typing the administration's address leads back to it.
        await Page.GotoAsync("admin");
        await Expect(Page).ToHaveURLAsync(OnEnrolment);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Administration" })).ToHaveCountAsync(0);

        // A wrong code is refused; the app's code turns the second factor on and shows the recovery codes once.
        var key = (await Page.Locator("kbd").First.TextContentAsync())!;
        await Page.Locator("#Input\\.Code").FillAsync("000000");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(Page.GetByText("Verification code is invalid.")).ToBeVisibleAsync();
        await Page.Locator("#Input\\.Code").FillAsync(Authenticator.Code(key, AppNow()));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(Page.GetByText("Your authenticator app has been verified.")).ToBeVisibleAsync();
        var recoveryCodes = await Page.Locator("code.recovery-code").AllTextContentsAsync();
        Assert.Equal(10, recoveryCodes.Count);
        await AssertAccessibleAsync();

        // Then the person goes on to where they were going.
        await Page.GetByRole(AriaRole.Link, new() { Name = "I have saved these codes: continue" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Administration", Level = 1 })).ToBeVisibleAsync();

        // The next sign-in asks for the app's code.
        await LogOutAsync();
        await PasswordStepAsync(admin.Email);
        await Page.Locator("#Input\\.TwoFactorCode").FillAsync(Authenticator.Code(key, AppNow()));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
        await Page.GotoAsync("admin");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Administration", Level = 1 })).ToBeVisibleAsync();

        // A recovery code stands in for the app's code, once.
        await LogOutAsync();
        await RecoveryCodeStepAsync(admin.Email, recoveryCodes[0]);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
        await LogOutAsync();
        await RecoveryCodeStepAsync(admin.Email, recoveryCodes[0]);
        await Expect(Page.GetByText("Invalid recovery code entered.")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_user_granted_the_administrator_role_while_their_page_is_open_is_sent_to_enrol_at_their_next_navigation()
    {
        var plan = await App.Data.PlanAsync();
        var manager = await App.Data.UserAsync(plan, withPassword: true);
        await Context.AddCookiesAsync(await App.SignInCookiesAsync(manager.Email, TestUser.Password));
        await OpenAsync("assessments");

        // An administrator grants the role while the manager's page is open (its circuit running).
        var granter = await App.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        await using var scope = App.Services.CreateAsyncScope();
        var granted = await scope.ServiceProvider.GetRequiredService<AdminService>().SetGlobalRoleAsync(granter.Principal, manager.Id, GlobalRoles.Administrator, granted: true);
        Assert.True(granted.Succeeded, granted.Message);

        // The next navigation inside the open page leads to the enrolment page.
        await Page.GetByRole(AriaRole.Link, new() { Name = "People" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(OnEnrolment);
        await Expect(Page.GetByText("Administrators and statewide reviewers must use a second factor")).ToBeVisibleAsync();
    }

    private async Task PasswordStepAsync(string email)
    {
        await Page.GotoAsync("Account/Login");
        await Page.Locator("#Input\\.Email").FillAsync(email);
        await Page.Locator("#Input\\.Password").FillAsync(TestUser.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor authentication" })).ToBeVisibleAsync();
    }

    private async Task RecoveryCodeStepAsync(string email, string recoveryCode)
    {
        await PasswordStepAsync(email);
        await Page.GetByRole(AriaRole.Link, new() { Name = "log in with a recovery code" }).ClickAsync();
        await Page.Locator("#Input\\.RecoveryCode").FillAsync(recoveryCode);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
    }
}
