using Microsoft.Playwright;
using PalliativeToolkit.Testing;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>Accounts come from administrators (no self-registration); passwords are chosen through emailed links.</summary>
public class AdministrationTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private const string NewPlan = "Redwood Coast Health Plan (demo)";
    private const string NewPassword = "Chosen-By-Robin-2026!";

    [Fact]
    public async Task An_administrator_adds_a_plan_and_invites_its_manager_who_chooses_a_password_and_starts_an_assessment()
    {
        await LogInAsync("admin");
        await WaitInteractiveAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Administration", Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Administration", Level = 1 })).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        // An empty form is explained next to each field and adds nothing.
        var organizations = Page.GetByRole(AriaRole.Tab, new() { Name = "Organizations" });
        var countBefore = await organizations.TextContentAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add organization" }).ClickAsync();
        await Expect(Page.GetByText("Enter the organization's name.")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Choose the plan's Medi-Cal managed care model.")).ToBeVisibleAsync();
        await Expect(Page.GetByText("Choose the counties served.")).ToBeVisibleAsync();
        await Expect(organizations).ToHaveTextAsync(countBefore!);

        // A name that is taken is refused next to the name.
        await Page.Locator("#org-name").FillAsync("Golden Poppy Health Plan (demo)");
        // Counties are chosen from California's 58, not typed.
        await Page.GetByTestId("org-counties").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Humboldt", Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Del Norte", Exact = true }).ClickAsync();
        // Escape in the select itself (its list closes only then), and the list gone before the next step: while it is
        // open MudSelect pulls the focus back to itself (see PartnersTests.ChooseAsync).
        await Page.GetByTestId("org-counties").PressAsync("Escape");
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = "Humboldt", Exact = true })).ToHaveCountAsync(0);
        await Page.GetByRole(AriaRole.Radio, new() { Name = "COHS" }).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add organization" }).ClickAsync();
        await Expect(Page.GetByText("An organization named \"Golden Poppy Health Plan (demo)\" already exists")).ToBeVisibleAsync();

        await Page.Locator("#org-name").FillAsync(NewPlan);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add organization" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{NewPlan} was added." })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = NewPlan })).ToContainTextAsync("COHS");
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = NewPlan })).ToContainTextAsync("Del Norte, Humboldt");

        // Invite the plan's manager.
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Accounts" }).ClickAsync();
        await Page.Locator("#invite-email").FillAsync("robin.redwood@redwood-demo.example.org");
        await Page.Locator("#invite-name").FillAsync("Robin Redwood");
        await ChooseAsync("Organization", NewPlan);
        await Page.GetByRole(AriaRole.Radio, new() { Name = "Manager" }).CheckAsync();
        await AssertAccessibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account and email invitation" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "invitation was emailed to robin.redwood@redwood-demo.example.org" })).ToBeVisibleAsync();
        var row = Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Robin Redwood" });
        await Expect(row).ToContainTextAsync($"{NewPlan} (Manager)");
        await Expect(row).ToContainTextAsync("Invited");

        // The same address cannot get a second account.
        await Page.Locator("#invite-email").FillAsync($"manager@{Domain}");
        await Page.Locator("#invite-name").FillAsync("Someone Else");
        await ChooseAsync("Organization", NewPlan);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account and email invitation" }).ClickAsync();
        await Expect(Page.GetByText("An account with this email address already exists.")).ToBeVisibleAsync();

        // Robin opens the emailed link in a browser of their own, chooses a password and logs in.
        var invitation = await Mailbox.WaitForAsync(App.MailFolder, "robin.redwood@redwood-demo.example.org", "Your PalliativeToolkit account");
        Assert.Contains(NewPlan, invitation.TextBody, StringComparison.Ordinal);
        await using var robin = await NewBrowserAsync();
        var page = await robin.NewPageAsync();
        await page.GotoAsync(Mailbox.LinkIn(invitation).AbsoluteUri);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a password" })).ToBeVisibleAsync();
        await ChoosePasswordAsync(page, "robin.redwood@redwood-demo.example.org", NewPassword);

        await LogInAsync(page, "robin.redwood@redwood-demo.example.org", NewPassword);
        await page.GotoAsync("assessments");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Start an assessment" })).ToBeVisibleAsync();
        await Expect(page.GetByText(NewPlan).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Administration", Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_forgotten_password_is_replaced_through_the_emailed_link()
    {
        await Page.GotoAsync("Account/Login");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Forgot your password?" })).ToBeVisibleAsync();
        await Page.Locator("#Input\\.Email").FillAsync($"contributor@{Domain}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await Expect(Page.GetByText("we have emailed it a link to choose a new password")).ToBeVisibleAsync();

        var email = await Mailbox.WaitForAsync(App.MailFolder, $"contributor@{Domain}", "Reset your password");
        await Page.GotoAsync(Mailbox.LinkIn(email).AbsoluteUri);
        await AssertAccessibleAsync();

        // Two passwords that differ are refused, and the old password still works until a new one is saved.
        await Page.Locator("#Input\\.Email").FillAsync($"contributor@{Domain}");
        await Page.Locator("#Input\\.Password").FillAsync(NewPassword);
        await Page.Locator("#Input\\.ConfirmPassword").FillAsync(NewPassword + "x");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await Expect(Page.GetByText("The password and confirmation password do not match.").First).ToBeVisibleAsync();

        await ChoosePasswordAsync(Page, $"contributor@{Domain}", NewPassword);
        await LogInAsync(Page, $"contributor@{Domain}", NewPassword);
        await LogOutAsync();

        await Page.GotoAsync("Account/Login");
        await Page.Locator("#Input\\.Email").FillAsync($"contributor@{Domain}");
        await Page.Locator("#Input\\.Password").FillAsync(PortalApp.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByText("Invalid login attempt")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_locked_account_cannot_log_in_until_an_administrator_unlocks_it()
    {
        await LogInAsync("admin");
        await OpenAsync("admin");
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Accounts" }).ClickAsync();
        await Page.Locator("#account-filter").FillAsync("Val Viewer");
        // The table is re-rendered as the filter is typed: click once it shows the one account left.
        await Expect(Page.Locator("table tbody tr")).ToHaveCountAsync(1);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Manage Val Viewer" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Lock account" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Val Viewer is locked out." })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Val Viewer" })).ToContainTextAsync("Locked");

        await using var other = await NewBrowserAsync();
        var page = await other.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await page.Locator("#Input\\.Email").FillAsync($"viewer@{Domain}");
        await page.Locator("#Input\\.Password").FillAsync(PortalApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        // Refused with the answer any failed attempt gets: the login page does not tell which accounts exist or are locked.
        await Expect(page.GetByText("Invalid login attempt.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToHaveCountAsync(0);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Unlock account" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Val Viewer can sign in again." })).ToBeVisibleAsync();
        await LogInAsync(page, $"viewer@{Domain}", PortalApp.Password);
    }

    [Fact]
    public async Task There_is_no_self_registration_and_other_users_do_not_get_the_administration()
    {
        await Page.GotoAsync("Account/Login");
        await Expect(Page.GetByText("Accounts are created by an administrator")).ToBeVisibleAsync();
        var register = await Page.GotoAsync("Account/Register");
        Assert.Equal(404, register!.Status);

        await LogInAsync("manager");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Administration", Exact = true })).ToHaveCountAsync(0);
        await Page.GotoAsync("admin");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Administration" })).ToHaveCountAsync(0);
        await Expect(Page.GetByText("Access denied").First).ToBeVisibleAsync();
    }

    private Task<IBrowserContext> NewBrowserAsync() =>
        Context.Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseUrl });

    /// <summary>Opens a MudSelect by its label and picks an option.</summary>
    private async Task ChooseAsync(string label, string option)
    {
        await Page.GetByLabel(label, new() { Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = option }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Option, new() { Name = option })).ToHaveCountAsync(0);
    }

    private static async Task ChoosePasswordAsync(IPage page, string email, string password)
    {
        await page.Locator("#Input\\.Email").FillAsync(email);
        await page.Locator("#Input\\.Password").FillAsync(password);
        await page.Locator("#Input\\.ConfirmPassword").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Password saved" })).ToBeVisibleAsync();
    }
}
