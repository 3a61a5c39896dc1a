using Microsoft.Playwright;
using PalliativeToolkit.Testing;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>A signed-in person looks after their own account: password and email address.</summary>
public class ManageAccountTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private const string NewPassword = "Changed-By-Val-2026!";

    [Fact]
    public async Task A_user_changes_their_password_and_logs_in_with_the_new_one()
    {
        await LogInAsync("viewer");
        await Page.GotoAsync("Account/Manage/ChangePassword");
        await AssertAccessibleAsync();
        await Expect(Page.Locator("#password-hint")).ToContainTextAsync("At least 12 characters");

        // Too short although it has every kind of character, then long but easy to guess: each refused with its reason
        // under the new-password field, and the password stays as it was (the last step logs in with the new one).
        await ChangePasswordAsync(PortalApp.Password, "Password1!");
        await Expect(Page.Locator(".validation-message").Filter(new() { HasText = "Use at least 12 and at most 128 characters." })).ToBeVisibleAsync();
        await ChangePasswordAsync(PortalApp.Password, "palliative2026!");
        await Expect(Page.GetByTestId("password-error")).ToContainTextAsync("This password is easy to guess: it contains \"palliative\"");
        await AssertAccessibleAsync();

        await Page.Locator("#Input\\.OldPassword").FillAsync("not-my-password");
        await Page.Locator("#Input\\.NewPassword").FillAsync(NewPassword);
        await Page.Locator("#Input\\.ConfirmPassword").FillAsync(NewPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Update password" }).ClickAsync();
        await Expect(Page.GetByText("Incorrect password.")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("password-error")).ToHaveCountAsync(0); // the current password's error, not the new one's

        await Page.Locator("#Input\\.OldPassword").FillAsync(PortalApp.Password);
        await Page.Locator("#Input\\.NewPassword").FillAsync(NewPassword);
        await Page.Locator("#Input\\.ConfirmPassword").FillAsync(NewPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Update password" }).ClickAsync();
        await Expect(Page.GetByText("Your password has been changed")).ToBeVisibleAsync();

        await LogOutAsync();
        await LogInAsync(Page, $"viewer@{Domain}", NewPassword);
    }

    private async Task ChangePasswordAsync(string current, string chosen)
    {
        await Page.Locator("#Input\\.OldPassword").FillAsync(current);
        await Page.Locator("#Input\\.NewPassword").FillAsync(chosen);
        await Page.Locator("#Input\\.ConfirmPassword").FillAsync(chosen);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Update password" }).ClickAsync();
    }

    [Fact]
    public async Task A_user_changes_their_email_through_a_link_sent_to_the_new_address()
    {
        const string newEmail = "parker.p@valleyoak-demo.example.org";
        await LogInAsync("provider2");
        await Page.GotoAsync("Account/Manage/Email");
        await Page.Locator("#Input\\.NewEmail").FillAsync(newEmail);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Change email" }).ClickAsync();
        await Expect(Page.GetByText("Confirmation link to change email sent.")).ToBeVisibleAsync();

        // The link goes to the new address: following it proves the person owns it.
        var message = await Mailbox.WaitForAsync(App.MailFolder, newEmail, "Confirm your email");
        await Page.GotoAsync(Mailbox.LinkIn(message).AbsoluteUri);
        await Expect(Page.GetByText("Thank you for confirming your email change.")).ToBeVisibleAsync();

        await LogOutAsync();
        await LogInAsync(Page, newEmail, PortalApp.Password);
        await Expect(Page.GetByRole(AriaRole.Banner)).ToContainTextAsync(newEmail);
    }
}
