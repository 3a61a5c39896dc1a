using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Resources;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Resources;

namespace PalliativeToolkit.Web.Tests;

/// <summary>The library: every signed-in user searches it; administrators alone change it.</summary>
public class ResourceServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private ResourceService Library => factory.Services.CreateScope().ServiceProvider.GetRequiredService<ResourceService>();

    private LibraryAdministration Administration => factory.Services.CreateScope().ServiceProvider.GetRequiredService<LibraryAdministration>();

    [Fact]
    public async Task Filters_narrow_the_results_and_each_value_counts_what_the_search_found()
    {
        var user = await factory.PrincipalAsync("provider");

        var all = (await Library.SearchAsync(user, new ResourceQuery())).Value;
        var forProviders = (await Library.SearchAsync(user, new ResourceQuery(Audience: ResourceAudience.Provider))).Value;
        var sectionB = (await Library.SearchAsync(user, new ResourceQuery(Section: "B"))).Value;
        var measures = (await Library.SearchAsync(user, new ResourceQuery(Text: "quality", Kind: ResourceKind.MeasureSet))).Value;

        Assert.InRange(all.Items.Count, 26, 28); // the seeded library, and what the other tests of this class may have added
        Assert.Equal(all.ByAudience[ResourceAudience.Provider], forProviders.Items.Count);
        Assert.All(forProviders.Items, r => Assert.NotEqual(ResourceAudience.Plan, r.Audience));
        Assert.Equal(all.BySection["B"], sectionB.Items.Count);
        Assert.All(sectionB.Items, r => Assert.Contains(r.ElementCodes, c => c.StartsWith('B')));
        Assert.NotEmpty(measures.Items);
        Assert.All(measures.Items, r => Assert.Equal(ResourceKind.MeasureSet, r.Kind));
    }

    [Fact]
    public async Task Only_an_administrator_changes_the_library_and_elements_come_from_the_guide()
    {
        var command = new SaveLibraryResourceCommand { Title = "Staffing model (test)", Summary = "How a small team covers a county.", Url = "https://example.org/staffing", ElementCodes = ["B2"] };

        var byManager = await Administration.SaveAsync(await factory.PrincipalAsync("manager"), command);
        var unknown = await Administration.SaveAsync(await factory.PrincipalAsync("admin"), new SaveLibraryResourceCommand { Title = "X", Summary = "Y", Url = "https://example.org", ElementCodes = ["Z9"] });
        var added = await Administration.SaveAsync(await factory.PrincipalAsync("admin"), command);

        Assert.IsType<Failure.Refused>(byManager.Failure);
        Assert.Contains("Z9 is not one", unknown.ErrorFor(nameof(SaveLibraryResourceCommand.ElementCodes)), StringComparison.Ordinal);
        Assert.True(added.Succeeded, added.Message);
        var stored = await factory.Data.StoredAsync(db => db.LibraryResources.SingleAsync(r => r.Id == added.Value));
        Assert.Equal((ResourceOrigin.Editors, "Staffing model (test)"), (stored.Origin, stored.Title));
    }

    [Fact]
    public async Task An_administrator_adds_a_resource_as_an_uploaded_file_that_every_signed_in_user_downloads()
    {
        var admin = await factory.PrincipalAsync("admin");
        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n%%EOF\n");
        SaveLibraryResourceCommand Command() => new() { Title = "Intake checklist (file)", Summary = "A one-page checklist.", ElementCodes = ["A1"] };

        var neither = await Administration.SaveAsync(admin, Command());
        var program = await Administration.SaveAsync(admin, Command(), new MemoryStream([.. "MZ"u8, .. new byte[64]]), "checklist.pdf");
        var added = await Administration.SaveAsync(admin, Command(), new MemoryStream(pdf), "Intake checklist.pdf");

        Assert.Equal("Enter a full web address starting with https:// or http://, or upload a file.", neither.ErrorFor(nameof(SaveLibraryResourceCommand.Url)));
        Assert.StartsWith("Only PDF, Word, Excel, PowerPoint, PNG and JPEG files", program.ErrorFor(LibraryAdministration.FileField), StringComparison.Ordinal);
        Assert.True(added.Succeeded, added.Message);
        var card = (await Library.SearchAsync(await factory.PrincipalAsync("provider"), new ResourceQuery(Text: "intake checklist"))).Value.Items.Single(r => r.Id == added.Value);
        Assert.Equal($"library/{added.Value}/file", card.Address);

        using var provider = await factory.SignedInClientAsync("provider");
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        var download = await provider.GetAsync($"/{card.Address}", TestContext.Current.CancellationToken);
        var refused = await anonymous.GetAsync($"/{card.Address}", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("Intake checklist.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.NotEqual(System.Net.HttpStatusCode.OK, refused.StatusCode);
    }
}
