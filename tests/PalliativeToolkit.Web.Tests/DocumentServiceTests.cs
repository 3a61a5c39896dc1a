using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Domain.Resources;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Partners;
using PalliativeToolkit.Web.Features.Resources;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Organizations' documents: uploads are checked by their bytes (a renamed program, an oversized file and a type not
/// allowed are refused, next to the file field, and nothing is kept); members see their own; a partner sees what was
/// shared with it until the partnership ends; everyone sees a contribution once a reviewer approved it; and a file is
/// never served, by its address, to anyone else.
/// </summary>
public class DocumentServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private DocumentService Documents => factory.Services.CreateScope().ServiceProvider.GetRequiredService<DocumentService>();

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static byte[] Docx()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "[Content_Types].xml", "_rels/.rels", "word/document.xml" })
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write("<?xml version=\"1.0\"?><x/>");
            }
        }

        return memory.ToArray();
    }

    private static UploadDocumentCommand Upload(Guid organizationId, string title = "Palliative care nurse job description") =>
        new() { OrganizationId = organizationId, Title = title, Kind = ResourceKind.JobDescription, ElementCodes = ["B2"], Summary = "Our RN role." };

    private async Task<(Organization Plan, TestUser Manager, Organization Provider, TestUser ProviderManager)> PartnersAsync()
    {
        var plan = await factory.Data.PlanAsync();
        var provider = await factory.Data.ProviderAsync();
        var manager = await factory.Data.UserAsync(plan);
        var providerManager = await factory.Data.UserAsync(provider);
        var partners = factory.Services.CreateScope().ServiceProvider.GetRequiredService<PartnerService>();
        var added = await partners.SaveAsync(manager.Principal, new SavePartnershipCommand
        {
            PlanOrganizationId = plan.Id,
            ProviderOrganizationId = provider.Id,
            Status = PartnershipStatus.Active,
            StatusSince = DateTime.UtcNow.Date.AddDays(-2),
            CountyFips = [.. plan.CountyFips],
        }, new Uri("http://localhost/"));
        Assert.True(added.Succeeded, added.Message);
        return (plan, manager, provider, providerManager);
    }

    private int StoredFiles => Directory.Exists(Path.Combine(Path.GetDirectoryName(factory.MailFolder)!, "files"))
        ? Directory.GetFiles(Path.Combine(Path.GetDirectoryName(factory.MailFolder)!, "files"), "*", SearchOption.AllDirectories).Length
        : 0;

    [Fact]
    public async Task A_renamed_program_an_oversized_file_and_a_type_not_allowed_are_refused_and_nothing_is_kept()
    {
        var provider = await factory.Data.ProviderAsync();
        var manager = await factory.Data.UserAsync(provider);
        var before = StoredFiles;

        var program = await Documents.UploadAsync(manager.Principal, Upload(provider.Id), new MemoryStream([.. "MZ"u8, .. new byte[200]]), "job-description.pdf");
        var text = await Documents.UploadAsync(manager.Principal, Upload(provider.Id), new MemoryStream(Encoding.UTF8.GetBytes("just some notes")), "notes.docx");
        var oversized = await Documents.UploadAsync(manager.Principal, Upload(provider.Id), new MemoryStream([.. Pdf, .. new byte[10 * 1024 * 1024]]), "big.pdf");
        var empty = await Documents.UploadAsync(manager.Principal, Upload(provider.Id), new MemoryStream(), "empty.pdf");
        var untitled = await Documents.UploadAsync(manager.Principal, Upload(provider.Id, title: " "), new MemoryStream(Pdf), "ok.pdf");

        Assert.StartsWith("Only PDF, Word, Excel, PowerPoint, PNG and JPEG files", program.ErrorFor(UploadDocumentCommand.FileField), StringComparison.Ordinal);
        Assert.StartsWith("Only PDF, Word, Excel, PowerPoint, PNG and JPEG files", text.ErrorFor(UploadDocumentCommand.FileField), StringComparison.Ordinal);
        Assert.Equal("The file is larger than 10 MB.", oversized.ErrorFor(UploadDocumentCommand.FileField));
        Assert.Equal("The file is empty.", empty.ErrorFor(UploadDocumentCommand.FileField));
        Assert.Equal("Give the document a title.", untitled.ErrorFor(nameof(UploadDocumentCommand.Title)));
        Assert.Empty(await factory.Data.StoredAsync(db => db.OrganizationDocuments.Where(d => d.OrganizationId == provider.Id).ToListAsync()));
        Assert.Equal(before, StoredFiles);
    }

    [Fact]
    public async Task An_upload_is_kept_under_its_real_type_and_a_safe_name_and_viewers_cannot_add_one()
    {
        var provider = await factory.Data.ProviderAsync();
        var manager = await factory.Data.UserAsync(provider);
        var viewer = await factory.Data.UserAsync(provider, OrganizationRole.Viewer);

        var added = await Documents.UploadAsync(manager.Principal, Upload(provider.Id), new MemoryStream(Docx()), "../../RN job\u202Efdp.exe");
        var byViewer = await Documents.UploadAsync(viewer.Principal, Upload(provider.Id), new MemoryStream(Pdf), "x.pdf");

        Assert.True(added.Succeeded, added.Message);
        var stored = await factory.Data.StoredAsync(db => db.OrganizationDocuments.SingleAsync(d => d.Id == added.Value));
        Assert.Equal(("Docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (stored.FileType, stored.ContentType));
        Assert.EndsWith(".docx", stored.FileName, StringComparison.Ordinal);
        Assert.DoesNotContain("/", stored.FileName, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", stored.FileName, StringComparison.Ordinal);
        Assert.IsType<Failure.Refused>(byViewer.Failure);
        var file = await Documents.OpenAsync(viewer.Principal, added.Value);
        await using (file.Value.Content)
        {
            using var copy = new MemoryStream();
            await file.Value.Content.CopyToAsync(copy, TestContext.Current.CancellationToken);
            Assert.Equal(Docx().Length, copy.Length);
        }
    }

    [Fact]
    public async Task A_document_shared_with_a_partner_plan_reaches_it_until_the_partnership_ends_and_no_one_else()
    {
        var (plan, planManager, provider, providerManager) = await PartnersAsync();
        var otherPlan = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var id = (await Documents.UploadAsync(providerManager.Principal, Upload(provider.Id), new MemoryStream(Pdf), "rn.pdf")).Value;

        Assert.IsType<Failure.NotFound>((await Documents.OpenAsync(planManager.Principal, id)).Failure);
        Assert.True((await Documents.ShareAsync(providerManager.Principal, id, plan.Id, share: true)).Succeeded);
        var notPartner = await Documents.ShareAsync(providerManager.Principal, id, (await factory.Data.PlanAsync()).Id, share: true);

        Assert.Equal("Choose one of the organization's current partners.", notPartner.ErrorFor("Partner"));
        var planView = (await Documents.GetAsync(planManager.Principal)).Value;
        Assert.Equal(["Palliative care nurse job description"], planView.SharedWithMe.Select(d => d.Title));
        Assert.True((await Documents.OpenAsync(planManager.Principal, id)).Succeeded);
        Assert.IsType<Failure.NotFound>((await Documents.OpenAsync(otherPlan.Principal, id)).Failure);
        Assert.Empty((await Documents.GetAsync(otherPlan.Principal)).Value.SharedWithMe);
        Assert.IsType<Failure.NotFound>((await Documents.ShareAsync(planManager.Principal, id, plan.Id, share: false)).Failure);

        // Ending the partnership stops the share.
        var partners = factory.Services.CreateScope().ServiceProvider.GetRequiredService<PartnerService>();
        var partnership = await factory.Data.StoredAsync(db => db.Partnerships.SingleAsync(p => p.PlanOrganizationId == plan.Id));
        var ended = await partners.ChangeStatusAsync(planManager.Principal, new ChangePartnershipStatusCommand
        {
            Id = partnership.Id,
            ExpectedVersion = partnership.Version,
            Status = PartnershipStatus.Ended,
            EffectiveOn = DateTime.UtcNow.Date.AddDays(-1),
        });
        Assert.True(ended.Succeeded, ended.Message);
        Assert.IsType<Failure.NotFound>((await Documents.OpenAsync(planManager.Principal, id)).Failure);
    }

    [Fact]
    public async Task A_contribution_reaches_everyone_only_once_a_reviewer_approves_it()
    {
        var provider = await factory.Data.ProviderAsync();
        var manager = await factory.Data.UserAsync(provider);
        var contributor = await factory.Data.UserAsync(provider, OrganizationRole.Contributor);
        var stranger = await factory.Data.UserAsync(await factory.Data.PlanAsync());
        var reviewer = await factory.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var id = (await Documents.UploadAsync(contributor.Principal, Upload(provider.Id, "Referral workflow (contributed)"), new MemoryStream(Pdf), "workflow.pdf")).Value;

        Assert.IsType<Failure.Refused>((await Documents.OfferAsync(contributor.Principal, id, offer: true)).Failure);
        Assert.True((await Documents.OfferAsync(manager.Principal, id, offer: true)).Succeeded);
        Assert.IsType<Failure.NotFound>((await Documents.OpenAsync(stranger.Principal, id)).Failure);
        Assert.Contains((await Documents.GetAsync(reviewer.Principal)).Value.AwaitingDecision, d => d.Id == id);
        Assert.True((await Documents.OpenAsync(reviewer.Principal, id)).Succeeded);

        var noReason = await Documents.DecideAsync(reviewer.Principal, id, approve: false, reason: " ");
        var byManager = await Documents.DecideAsync(manager.Principal, id, approve: true, reason: null);
        Assert.Equal("Say why, so the organization knows what to change.", noReason.ErrorFor("Reason"));
        Assert.IsType<Failure.Refused>(byManager.Failure);

        Assert.True((await Documents.DecideAsync(reviewer.Principal, id, approve: true, reason: null)).Succeeded);
        Assert.Contains((await Documents.GetAsync(stranger.Principal)).Value.Contributed, d => d.Id == id);

        // Another provider, who otherwise does not see this provider, reads whose contribution it is.
        var otherProvider = await factory.Data.UserAsync(await factory.Data.ProviderAsync());
        Assert.Equal(provider.Name, (await Documents.GetAsync(otherProvider.Principal)).Value.Contributed.Single(d => d.Id == id).OrganizationName);
        Assert.True((await Documents.OpenAsync(stranger.Principal, id)).Succeeded);

        // Taken back, it is the organization's again.
        Assert.True((await Documents.OfferAsync(manager.Principal, id, offer: false)).Succeeded);
        Assert.IsType<Failure.NotFound>((await Documents.OpenAsync(stranger.Principal, id)).Failure);
    }

    [Fact]
    public async Task Over_http_a_file_is_a_download_for_its_members_and_not_found_for_another_organization_or_nobody()
    {
        // Demo accounts sign in through the real login form: Redwood Grove's manager owns the file, Golden Poppy's does not.
        var redwood = await factory.OrganizationIdAsync("Redwood Grove");
        var ownerPrincipal = await factory.PrincipalAsync("provider");
        var id = (await Documents.UploadAsync(ownerPrincipal, Upload(redwood, "Redwood intake form"), new MemoryStream(Pdf), "intake \"form\";.pdf")).Value;
        using var owner = await factory.SignedInClientAsync("provider");
        using var other = await factory.SignedInClientAsync("manager3");
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });

        var own = await owner.GetAsync($"/documents/{id}/file", TestContext.Current.CancellationToken);
        var foreign = await other.GetAsync($"/documents/{id}/file", TestContext.Current.CancellationToken);
        var nobody = await anonymous.GetAsync($"/documents/{id}/file", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("application/pdf", own.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", own.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("intake form.pdf", own.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(Pdf, await own.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, nobody.StatusCode);
    }

    [Fact]
    public async Task A_share_left_behind_by_an_ended_partnership_reaches_nothing()
    {
        var (plan, planManager, provider, providerManager) = await PartnersAsync();
        var id = (await Documents.UploadAsync(providerManager.Principal, Upload(provider.Id), new MemoryStream(Pdf), "rn.pdf")).Value;
        Assert.True((await Documents.ShareAsync(providerManager.Principal, id, plan.Id, share: true)).Succeeded);

        // The partnership ends without the service's clean-up (as if the share were saved at that same moment).
        await using (var db = factory.NewContext())
        {
            var partnership = await db.Partnerships.Include(p => p.History).SingleAsync(p => p.PlanOrganizationId == plan.Id && p.ProviderOrganizationId == provider.Id);
            partnership.ChangeStatus(PartnershipStatus.Ended, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(-12)), DateTime.UtcNow, "test");
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        Assert.Single(await factory.Data.StoredAsync(db => db.DocumentShares.Where(s => s.DocumentId == id).ToListAsync()));
        Assert.IsType<Failure.NotFound>((await Documents.OpenAsync(planManager.Principal, id)).Failure);
        Assert.Empty((await Documents.GetAsync(planManager.Principal)).Value.SharedWithMe);
    }
}
