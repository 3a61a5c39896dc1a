using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PalliativeToolkit.EndToEnd.Tests;

/// <summary>A provider keeps its own document in the library and shares it with its partner plan, which downloads it.</summary>
public class DocumentTests(BrowserFixture browser, PortalApp app) : PortalTest(browser, app)
{
    private const string Plan = "Golden Poppy Health Plan (demo)";
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    [Fact]
    public async Task A_provider_uploads_a_document_shares_it_with_its_partner_plan_and_the_plan_downloads_it()
    {
        await LogInAsync("provider");
        await OpenAsync("resources?tab=documents");
        await WaitInteractiveAsync();
        var form = Page.GetByTestId("upload-form");
        await Expect(form).ToContainTextAsync("up to 10 MB");
        await AssertAccessibleAsync();

        // A program renamed to .pdf is refused next to the file field, and nothing is added.
        await form.Locator("#document-file").SetInputFilesAsync(new FilePayload { Name = "job-description.pdf", MimeType = "application/pdf", Buffer = [.. "MZ"u8, .. new byte[500]] });
        await Expect(form.Locator("#document-file-help")).ToHaveTextAsync("job-description.pdf, 502 bytes");
        await form.GetByTestId("upload").ClickAsync();
        await Expect(form.GetByTestId("file-error")).ToContainTextAsync("Only PDF, Word, Excel, PowerPoint, PNG and JPEG files can be uploaded");
        await Expect(Page.GetByTestId("own-documents").Locator("li")).ToHaveCountAsync(0);

        // A real PDF is added: its title comes from the file's name and can be changed.
        await form.Locator("#document-file").SetInputFilesAsync(new FilePayload { Name = "RN job description.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await Expect(form.Locator("#document-title")).ToHaveValueAsync("RN job description");
        await form.Locator("#document-title").FillAsync("Palliative care RN job description");
        await form.GetByTestId("document-kind").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Job description" }).ClickAsync();
        await form.GetByTestId("upload").ClickAsync();
        await Expect(form.GetByTestId("upload-done")).ToHaveTextAsync("“Palliative care RN job description” was added to your organization's documents.");
        var card = Page.GetByTestId("own-documents").Locator("li[data-document='Palliative care RN job description']");
        await Expect(card).ToContainTextAsync("Job description · PDF, 77 bytes");
        await Expect(card.GetByTestId("document-reach")).ToHaveTextAsync("Your organization only");

        // Shared with the partner plan.
        await card.GetByRole(AriaRole.Button, new() { Name = $"Share with {Plan}" }).ClickAsync();
        await Expect(card.GetByTestId("document-reach")).ToHaveTextAsync($"Your organization only · Shared with {Plan}");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = $"Stop sharing with {Plan}" })).ToBeVisibleAsync();
        await AssertAccessibleAsync();

        // The plan's manager finds it under "Shared with you" and downloads the very bytes.
        await LogOutAsync();
        await LogInAsync("manager");
        await OpenAsync("resources?tab=documents");
        await WaitInteractiveAsync();
        var shared = Page.GetByTestId("shared-documents").Locator("li[data-document='Palliative care RN job description']");
        await Expect(shared).ToContainTextAsync("Redwood Grove Hospice & Palliative Care (demo) · Job description");
        var download = await Page.RunAndWaitForDownloadAsync(() => shared.GetByRole(AriaRole.Link).ClickAsync());
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.Ordinal);
        var path = await download.PathAsync();
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        await AssertAccessibleAsync();

        // Another plan sees nothing of it, and its address answers "not found".
        var address = await shared.GetByRole(AriaRole.Link).GetAttributeAsync("href");
        await LogOutAsync();
        await LogInAsync("manager3");
        await OpenAsync("resources?tab=documents");
        await WaitInteractiveAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your organization's documents (0)" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("shared-documents")).ToHaveCountAsync(0);
        var response = await Page.APIRequest.GetAsync(new Uri(new Uri(App.BaseUrl), address!).AbsoluteUri);
        Assert.Equal(404, response.Status);
    }
}
