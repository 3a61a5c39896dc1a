using Microsoft.Playwright;
namespace PalliativeToolkit.EndToEnd.Tests;
public class TmpManual(BrowserFixture browser) : PortalTest(browser)
{
    [Fact]
    public async Task Manual()
    {
        await LogInAsync("manager4");
        await OpenAsync("assessments");
        var cycle = Page.GetByRole(AriaRole.Textbox, new() { Name = "Cycle", Exact = true });
        await cycle.FillAsync("<bad>");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start assessment" }).ClickAsync();
        await Page.WaitForTimeoutAsync(800);
        await Page.ScreenshotAsync(new() { Path = "/tmp/m1.png" });
        await cycle.FillAsync(DateTime.UtcNow.Year.ToString() == "2026" ? "2025" : "2025");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start assessment" }).ClickAsync();
        await Page.WaitForTimeoutAsync(800);
        await Page.ScreenshotAsync(new() { Path = "/tmp/m2.png" });
        File.WriteAllText("/tmp/m2.txt", await Page.InnerTextAsync("main"));
    }
}
