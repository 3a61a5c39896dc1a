using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Domain.Resources;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Files;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Infrastructure.Resources;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Resources;

public sealed record SharedPartner(Guid Id, string Name);

/// <summary>A document as the library lists it, with what the viewer may do with it.</summary>
public sealed record DocumentCard(
    Guid Id, Guid Version, Guid OrganizationId, string OrganizationName, string Title, string Summary, ResourceKind Kind, IReadOnlyList<string> ElementCodes,
    string FileName, string FileType, long Length, DateTime UploadedAt, ContributionStatus Contribution, string? DeclineReason,
    IReadOnlyList<SharedPartner> SharedWith, bool CanManage)
{
    public string DownloadPath => $"documents/{Id}/file";
}

/// <summary>One of the viewer's organizations: whether they may upload and share there, and the partners it may share with.</summary>
public sealed record DocumentOwner(Guid Id, string Name, bool CanUpload, bool CanManage, IReadOnlyList<SharedPartner> Partners);

/// <summary>The documents the viewer can see, by where they come from.</summary>
public sealed record DocumentsView(
    IReadOnlyList<DocumentOwner> Organizations,
    IReadOnlyList<DocumentCard> Own,
    IReadOnlyList<DocumentCard> SharedWithMe,
    IReadOnlyList<DocumentCard> Contributed,
    IReadOnlyList<DocumentCard> AwaitingDecision,
    bool CanDecide,
    long MaxBytes,
    IReadOnlyList<string> ElementCodes);

/// <summary>The details of a document to upload; the file comes with it as a stream.</summary>
public sealed class UploadDocumentCommand
{
    public const string FileField = "File";

    public Guid OrganizationId { get; set; }
    public string Title { get; set; } = string.Empty;
    public string Summary { get; set; } = string.Empty;
    public ResourceKind Kind { get; set; } = ResourceKind.Template;
    public IReadOnlyCollection<string> ElementCodes { get; set; } = [];
}

public sealed class UploadDocumentValidator : AbstractValidator<UploadDocumentCommand>
{
    public UploadDocumentValidator()
    {
        RuleFor(c => c.OrganizationId).NotEmpty().WithMessage("Choose the organization the document belongs to.");
        RuleFor(c => c.Title).NotEmpty().WithMessage("Give the document a title.")
            .MaximumLength(Limits.Title).WithMessage($"The title can be at most {Limits.Title} characters.").PlainLine();
        RuleFor(c => c.Summary).MaximumLength(Limits.LongText).WithMessage($"The summary can be at most {Limits.LongText} characters.").PlainText();
        RuleFor(c => c.Kind).IsInEnum().WithMessage("Choose the kind of document.");
        RuleFor(c => c.ElementCodes).Must(c => c.Count <= 20).WithMessage("Choose at most 20 elements.");
    }
}

/// <summary>
/// Organizations' own documents in the library: uploaded by members who edit (the file checked by its bytes and kept in
/// the file store), shared by managers with partners, offered to everyone as contributions that statewide reviewers
/// approve first, and downloaded only by those the access rule lets see them.
/// </summary>
public sealed class DocumentService(OperationRunner operations, IFileStore files, FrameworkCatalog catalog, ILogger<DocumentService> logger)
{
    private const string NotFound = "That document does not exist, or you do not have access to it.";
    private const string OnlyManagers = "Only a manager of the organization shares its documents or offers them to everyone.";
    private readonly UploadDocumentValidator _validator = new();

    public Task<Outcome<DocumentsView>> GetAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<DocumentsView>(principal, async op =>
        {
            if (!op.Viewer.IsAuthenticated)
            {
                return Failure.Refuse("Sign in to use the resource library.");
            }

            var own = op.Viewer.OrganizationIds;
            var organizations = await op.Db.Organizations.AsNoTracking()
                .Where(o => own.Contains(o.Id) && (o.Kind == OrganizationKind.ManagedCarePlan || o.Kind == OrganizationKind.PalliativeCareProvider))
                .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(op.Cancellation);
            var ids = organizations.Select(o => o.Id).ToList();
            var partnerships = await op.Db.Partnerships.AsNoTracking()
                .Where(p => p.Status != PartnershipStatus.Ended && (ids.Contains(p.PlanOrganizationId) || ids.Contains(p.ProviderOrganizationId)))
                .Select(p => new { p.PlanOrganizationId, p.ProviderOrganizationId, Plan = p.Plan!.Name, Provider = p.Provider!.Name }).ToListAsync(op.Cancellation);
            var owners = organizations.Select(o => new DocumentOwner(o.Id, o.Name, op.Viewer.May(OrganizationPermission.EditAssessments, o.Id),
                    op.Viewer.May(OrganizationPermission.ManagePartners, o.Id),
                    partnerships.Where(p => p.PlanOrganizationId == o.Id).Select(p => new SharedPartner(p.ProviderOrganizationId, p.Provider))
                        .Concat(partnerships.Where(p => p.ProviderOrganizationId == o.Id).Select(p => new SharedPartner(p.PlanOrganizationId, p.Plan)))
                        .OrderBy(p => p.Name, StringComparer.Ordinal).ToList()))
                .ToList();

            var documents = await op.Db.OrganizationDocuments.AsNoTracking().Include(d => d.Shares).OrderBy(d => d.Title).ToListAsync(op.Cancellation);
            var names = await NamesAsync(op, documents.Select(d => d.OrganizationId).Concat(documents.SelectMany(d => d.Shares.Select(s => s.GranteeOrganizationId))));
            var contributors = documents.Where(d => d.Contribution == ContributionStatus.Approved && !names.ContainsKey(d.OrganizationId)).Select(d => d.OrganizationId).Distinct().ToList();
            foreach (var (id, name) in await ContributorNames.OfAsync(op.Db, contributors, op.Cancellation))
            {
                names[id] = name;
            }

            DocumentCard Card(OrganizationDocument d) => new(d.Id, d.Version, d.OrganizationId, names.GetValueOrDefault(d.OrganizationId, "An organization"), d.Title, d.Summary,
                d.Kind, d.ElementCodes, d.FileName, d.FileType, d.Length, d.UploadedAt, d.Contribution, d.DeclineReason,
                d.Shares.Where(s => own.Contains(d.OrganizationId)).Select(s => new SharedPartner(s.GranteeOrganizationId, names.GetValueOrDefault(s.GranteeOrganizationId, "A partner"))).ToList(),
                op.Viewer.May(OrganizationPermission.ManagePartners, d.OrganizationId));
            var mine = documents.Where(d => own.Contains(d.OrganizationId)).Select(Card).ToList();
            var shared = documents.Where(d => !own.Contains(d.OrganizationId) && d.Contribution != ContributionStatus.Approved
                && d.Shares.Any(s => own.Contains(s.GranteeOrganizationId))).Select(Card).ToList();
            var contributed = documents.Where(d => d.Contribution == ContributionStatus.Approved).Select(Card).ToList();
            var awaiting = op.Viewer.May(Permission.ReviewSubmissions)
                ? documents.Where(d => d.Contribution == ContributionStatus.Proposed).Select(Card).ToList()
                : [];
            return new DocumentsView(owners, mine, shared, contributed, awaiting, op.Viewer.May(Permission.ReviewSubmissions), files.MaxBytes, await ElementCodesAsync(op));
        }, cancellationToken);

    private static async Task<Dictionary<Guid, string>> NamesAsync(Operation op, IEnumerable<Guid> ids)
    {
        var wanted = ids.Distinct().ToList();
        return await op.Db.Organizations.AsNoTracking().Where(o => wanted.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, op.Cancellation);
    }

    /// <summary>
    /// Uploads a document for an organization the viewer edits in. The file is refused (next to the file field, with the
    /// reason) when too large, empty, or not one of the accepted kinds by its contents; nothing is kept then.
    /// </summary>
    public Task<Outcome<Guid>> UploadAsync(ClaimsPrincipal principal, UploadDocumentCommand command, Stream content, string fileName, CancellationToken cancellationToken = default) =>
        operations.RunAsync<UploadDocumentCommand, Guid>(principal, command, _validator, async op =>
        {
            ArgumentNullException.ThrowIfNull(content);
            if (op.Viewer.RoleIn(command.OrganizationId) is null)
            {
                return Failure.Missing("That organization does not exist, or you are not one of its members.");
            }

            op.Demand(OrganizationPermission.EditAssessments, command.OrganizationId, "Only the organization's managers and contributors add documents.");
            var unknown = await UnknownElementsAsync(op, command.ElementCodes);
            if (unknown.Count > 0)
            {
                return Failure.FieldError(nameof(UploadDocumentCommand.ElementCodes), $"Choose elements of the guide ({string.Join(", ", unknown)} is not one).");
            }

            StoredFile stored;
            try
            {
                stored = await files.SaveAsync(content, op.Cancellation);
            }
            catch (FileRefusedException ex)
            {
                logger.LogInformation("Upload refused ({Reason}) for organization {OrganizationId}", ex.Reason, command.OrganizationId);
                return Failure.FieldError(UploadDocumentCommand.FileField, ex.Message);
            }

            try
            {
                var document = new OrganizationDocument(command.OrganizationId, command.Title, command.Summary, command.Kind, command.ElementCodes, stored.Key,
                    SafeFileName.For(fileName, stored.Kind), stored.Kind.ToString(), stored.Kind.ContentType(), stored.Length, stored.Sha256Hex, op.Now, op.Viewer.UserId);
                op.Db.OrganizationDocuments.Add(document);
                await op.SaveAsync();
                return document.Id;
            }
            catch
            {
                await files.DeleteAsync(stored.Key);
                throw;
            }
        }, cancellationToken);

    private async Task<List<string>> ElementCodesAsync(Operation op)
    {
        var current = await op.Db.FrameworkVersions.AsNoTracking().Where(f => f.IsCurrent).Select(f => f.Id).SingleAsync(op.Cancellation);
        return (await catalog.GetAsync(op, current)).Sections.SelectMany(s => s.Elements).Select(e => e.Code).ToList();
    }

    private async Task<List<string>> UnknownElementsAsync(Operation op, IReadOnlyCollection<string> codes)
    {
        var known = (await ElementCodesAsync(op)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return codes.Where(c => !known.Contains(c.Trim())).ToList();
    }

    /// <summary>Shares the document with a partner (an organization in a current partnership with its owner), or stops sharing it.</summary>
    public Task<Outcome<Done>> ShareAsync(ClaimsPrincipal principal, Guid documentId, Guid partnerId, bool share, CancellationToken cancellationToken = default) =>
        ChangeAsync(principal, documentId, async (op, document) =>
        {
            if (!share)
            {
                document.StopSharingWith(partnerId);
                return null;
            }

            var partners = await op.Db.Partnerships.AsNoTracking().AnyAsync(p => p.Status != PartnershipStatus.Ended
                && ((p.PlanOrganizationId == document.OrganizationId && p.ProviderOrganizationId == partnerId)
                    || (p.ProviderOrganizationId == document.OrganizationId && p.PlanOrganizationId == partnerId)), op.Cancellation);
            if (!partners)
            {
                return Failure.FieldError("Partner", "Choose one of the organization's current partners.");
            }

            document.ShareWith(partnerId, op.Now, op.Viewer.UserId);
            return null;
        }, cancellationToken);

    /// <summary>Offers the document to everyone (a reviewer approves it first), or takes it back.</summary>
    public Task<Outcome<Done>> OfferAsync(ClaimsPrincipal principal, Guid documentId, bool offer, CancellationToken cancellationToken = default) =>
        ChangeAsync(principal, documentId, (op, document) =>
        {
            if (offer)
            {
                document.Propose(op.Now);
            }
            else
            {
                document.Withdraw(op.Now);
            }

            return Task.FromResult<Failure?>(null);
        }, cancellationToken);

    /// <summary>Deletes the document and its file.</summary>
    public async Task<Outcome<Done>> DeleteAsync(ClaimsPrincipal principal, Guid documentId, CancellationToken cancellationToken = default)
    {
        string? key = null;
        var outcome = await ChangeAsync(principal, documentId, (op, document) =>
        {
            key = document.FileKey;
            op.Db.OrganizationDocuments.Remove(document);
            return Task.FromResult<Failure?>(null);
        }, cancellationToken);
        if (outcome.Succeeded && key is not null)
        {
            await files.DeleteAsync(key);
        }

        return outcome;
    }

    private Task<Outcome<Done>> ChangeAsync(ClaimsPrincipal principal, Guid documentId, Func<Operation, OrganizationDocument, Task<Failure?>> change, CancellationToken cancellationToken) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            var document = await op.Db.OrganizationDocuments.Include(d => d.Shares).SingleOrDefaultAsync(d => d.Id == documentId, op.Cancellation);
            if (document is null || op.Viewer.RoleIn(document.OrganizationId) is null)
            {
                return Failure.Missing(NotFound);
            }

            op.Demand(OrganizationPermission.ManagePartners, document.OrganizationId, OnlyManagers);
            if (await change(op, document) is { } failure)
            {
                return failure;
            }

            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);

    /// <summary>A statewide reviewer approves a contribution (everyone signed in sees it) or declines it with the reason.</summary>
    public Task<Outcome<Done>> DecideAsync(ClaimsPrincipal principal, Guid documentId, bool approve, string? reason, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.ReviewSubmissions, "Only statewide reviewers approve contributions.");
            if (!approve && string.IsNullOrWhiteSpace(reason))
            {
                return Failure.FieldError("Reason", "Say why, so the organization knows what to change.");
            }

            if (reason is { Length: > Limits.FeedbackText })
            {
                return Failure.FieldError("Reason", $"The reason can be at most {Limits.FeedbackText} characters.");
            }

            var document = await op.Db.OrganizationDocuments.SingleOrDefaultAsync(d => d.Id == documentId, op.Cancellation);
            if (document is null)
            {
                return Failure.Missing(NotFound);
            }

            if (approve)
            {
                document.Approve(op.Now, op.Viewer.UserId);
            }
            else
            {
                document.Decline(reason!, op.Now, op.Viewer.UserId);
            }

            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);

    /// <summary>A document's file, for a viewer the access rule lets see the document; not found otherwise (never told apart).</summary>
    public Task<Outcome<DocumentFile>> OpenAsync(ClaimsPrincipal principal, Guid documentId, CancellationToken cancellationToken = default) =>
        operations.RunAsync<DocumentFile>(principal, async op =>
        {
            var document = await op.Db.OrganizationDocuments.AsNoTracking().Where(d => d.Id == documentId)
                .Select(d => new { d.FileKey, d.FileName, d.ContentType }).SingleOrDefaultAsync(op.Cancellation);
            if (document is null || files.OpenRead(document.FileKey) is not { } stream)
            {
                return Failure.Missing(NotFound);
            }

            return new DocumentFile(stream, document.FileName, document.ContentType);
        }, cancellationToken);
}

/// <summary>An open document file; the caller disposes <see cref="Content"/>.</summary>
public sealed record DocumentFile(Stream Content, string FileName, string ContentType);
