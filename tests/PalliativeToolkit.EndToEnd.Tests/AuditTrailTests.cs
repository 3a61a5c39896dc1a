using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Admin;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>The audit trail as an administrator reads it: filtered, verified and downloaded.</summary>
public class AuditTrailTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    [Fact]
    public async Task An_administrator_filters_the_trail_by_account_sees_the_lock_verifies_the_chain_and_downloads_the_csv()
    {
        var person = await App.Data.UserAsync(await App.Data.PlanAsync());
        var adminId = await App.Data.StoredAsync(db => db.Users.Where(u => u.Email == $"admin@{Domain}").Select(u => u.Id).SingleAsync());
        using (var scope = App.Services.CreateScope())
        {
            var locked = await scope.ServiceProvider.GetRequiredService<AdminService>()
                .SetLockedAsync(TestData.Principal(adminId, $"admin@{Domain}", [GlobalRoles.Administrator]), person.Id, locked: true);
            Assert.True(locked.Succeeded, locked.Message);
        }

        await LogInAsync("admin");
        await WaitInteractiveAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Audit trail", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Audit trail", Level = 1 })).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        await Page.Locator("#audit-subject").FillAsync(person.Email);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        var lockRow = Page.Locator("table tbody tr").Filter(new() { HasText = "AccountLocked" });
        await Expect(lockRow).ToHaveCountAsync(1);
        await Expect(lockRow).ToContainTextAsync($"admin@{Domain}");
        await Expect(lockRow).ToContainTextAsync(person.Email);
        await Expect(Page.Locator("table tbody tr").Filter(new() { HasText = "AccountCreated" })).ToHaveCountAsync(1);
        await AssertAccessibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Verify chain" }).ClickAsync();
        await Expect(Page.GetByTestId("verification")).ToContainTextAsync("The chain is intact");

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        Assert.Matches(@"^audit-trail-\d{4}-\d{2}-\d{2}\.csv$", download.SuggestedFilename);
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);
        Assert.Equal(string.Join(',', AuditCsv.Header), lines[0]);
        Assert.Contains(lines, l => l.Contains(",AccountLocked,", StringComparison.Ordinal) && l.Contains(person.Id, StringComparison.Ordinal) && l.Contains(adminId, StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Contains(person.Id, l, StringComparison.Ordinal));

        // On a phone the rows stack and stay readable.
        await Page.SetViewportSizeAsync(390, 844);
        await Expect(lockRow).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Verify chain" })).ToBeVisibleAsync();
        await AssertAccessibleAsync();
    }
}
