using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Testing;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>A plan manager runs their own team; other members only read it.</summary>
public class PeopleTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private const string Colleague = "dana.cruz@goldenpoppy-demo.example.org";

    [Fact]
    public async Task A_manager_adds_a_colleague_changes_the_role_and_removes_them()
    {
        await LogInAsync("manager");
        await WaitInteractiveAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "People", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "People", Level = 1 })).ToBeVisibleAsync();
        await WaitInteractiveAsync();
        var card = Page.GetByRole(AriaRole.Region, new() { Name = "Golden Poppy Health Plan (demo)" });
        await Expect(card.GetByRole(AriaRole.Row).Filter(new() { HasText = "(you)" })).ToContainTextAsync("Manager");

        // A bad address is explained next to the field.
        await card.GetByLabel("Email").FillAsync("dana.cruz@");
        await card.GetByLabel("Name").FillAsync("Dana Cruz");
        await card.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        await Expect(card.GetByText("Enter a valid email address, for example name@plan.org.")).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Row).Filter(new() { HasText = "Dana Cruz" })).ToHaveCountAsync(0);

        await card.GetByLabel("Email").FillAsync(Colleague);
        await card.GetByRole(AriaRole.Radio, new() { Name = "Viewer" }).CheckAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync($"Dana Cruz was added and an invitation was emailed to {Colleague}.");
        var row = card.GetByRole(AriaRole.Row).Filter(new() { HasText = "Dana Cruz" });
        await Expect(row).ToContainTextAsync("Invited");
        await Mailbox.WaitForAsync(App.MailFolder, Colleague, "Your PalliativeToolkit account");
        await AssertAccessibleAsync();

        // A role change asks first, naming the person, both roles and what the new one allows; cancelling changes nothing.
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await row.GetByLabel("Role of Dana Cruz").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Manager" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("Change Dana Cruz's role in Golden Poppy Health Plan (demo) from Viewer to Manager?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(row.GetByLabel("Role of Dana Cruz")).ToContainTextAsync("Viewer");
        await Expect(row.GetByLabel("Role of Dana Cruz")).Not.ToContainTextAsync("Manager");
        Assert.Equal(OrganizationRole.Viewer, await StoredRoleAsync());

        await row.GetByLabel("Role of Dana Cruz").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Contributor" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("Contributors can change answers and evidence but not submit or manage people.");
        await AssertAccessibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Make Contributor" }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Dana Cruz is now Contributor.");
        Assert.Equal(OrganizationRole.Contributor, await StoredRoleAsync());

        // Removing asks too, and says what it does.
        await row.GetByRole(AriaRole.Button, new() { Name = "Remove Dana Cruz" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync($"Remove Dana Cruz ({Colleague}) from Golden Poppy Health Plan (demo)? They lose access to its assessments at once.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Status)).ToContainTextAsync("Dana Cruz no longer belongs to Golden Poppy Health Plan (demo).");
        await Expect(card.GetByRole(AriaRole.Row).Filter(new() { HasText = "Dana Cruz" })).ToHaveCountAsync(0);
    }

    private Task<OrganizationRole?> StoredRoleAsync() =>
        App.Data.StoredAsync(db => db.Memberships.Where(m => db.Users.Any(u => u.Id == m.UserId && u.Email == Colleague))
            .Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync());

    [Fact]
    public async Task A_contributor_reads_the_team_but_cannot_change_it()
    {
        await LogInAsync("contributor");
        await OpenAsync("team");

        var card = Page.GetByRole(AriaRole.Region, new() { Name = "Golden Poppy Health Plan (demo)" });
        await Expect(card.GetByRole(AriaRole.Row).Filter(new() { HasText = "Morgan Manager" })).ToContainTextAsync("Manager");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Add person" })).ToHaveCountAsync(0);
        await Expect(card.GetByRole(AriaRole.Button).Filter(new() { HasText = "Remove" })).ToHaveCountAsync(0);
        await Expect(Page.GetByText("Sierra Vista")).ToHaveCountAsync(0);
        await AssertAccessibleAsync();
    }
}
