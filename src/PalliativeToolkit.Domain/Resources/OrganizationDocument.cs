using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Resources;

/// <summary>Where an organization's document stands as a contribution to everyone.</summary>
public enum ContributionStatus
{
    /// <summary>Not offered: the organization's members (and partners it shares with) only.</summary>
    None,

    /// <summary>Offered to everyone; a statewide reviewer approves it before others see it.</summary>
    Proposed,

    /// <summary>Approved: every signed-in user finds it in the library.</summary>
    Approved,

    /// <summary>A reviewer declined it, with the reason; it stays the organization's own.</summary>
    Declined,
}

public static class ContributionText
{
    public static string Describe(this ContributionStatus status) => status switch
    {
        ContributionStatus.Proposed => "Offered to everyone, awaiting a reviewer's approval",
        ContributionStatus.Approved => "Contributed to everyone",
        ContributionStatus.Declined => "Contribution declined",
        _ => "Your organization only",
    };
}

/// <summary>
/// A document an organization keeps in the library: one it wrote (a job description, a workflow), as an uploaded file.
/// Its members see it; the organization may share it with partners, and offer it to everyone as a contribution that a
/// statewide reviewer approves first. The file itself is kept by the portal's file store under <see cref="FileKey"/>.
/// </summary>
public class OrganizationDocument : Entity, IAudited, IOrganizationOwned
{
    private readonly List<DocumentShare> _shares = [];

    private OrganizationDocument()
    {
        Title = Summary = FileKey = FileName = FileType = ContentType = Sha256 = UploadedBy = string.Empty;
    }

    public OrganizationDocument(Guid organizationId, string title, string summary, ResourceKind kind, IEnumerable<string> elementCodes,
        string fileKey, string fileName, string fileType, string contentType, long length, string sha256, DateTime uploadedAt, string uploadedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileType);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        OrganizationId = organizationId;
        FileKey = fileKey;
        FileName = fileName;
        FileType = fileType;
        ContentType = contentType;
        Length = length;
        Sha256 = sha256;
        UploadedAt = uploadedAt;
        UploadedBy = uploadedBy;
        Title = Summary = string.Empty;
        Describe(title, summary, kind, elementCodes);
    }

    public Guid OrganizationId { get; private set; }
    public string Title { get; private set; }
    public string Summary { get; private set; }
    public ResourceKind Kind { get; private set; }
    public IReadOnlyList<string> ElementCodes { get; private set; } = [];

    /// <summary>The file store's opaque key for the bytes.</summary>
    public string FileKey { get; private set; }

    /// <summary>The name the file downloads as: made safe from the uploader's name, with the extension of its real type.</summary>
    public string FileName { get; private set; }

    /// <summary>The type the file's contents are (PDF, Word…), as the portal told it from the bytes.</summary>
    public string FileType { get; private set; }
    public string ContentType { get; private set; }
    public long Length { get; private set; }
    public string Sha256 { get; private set; }
    public DateTime UploadedAt { get; private set; }
    public string UploadedBy { get; private set; }
    public ContributionStatus Contribution { get; private set; }
    public DateTime? ContributionChangedAt { get; private set; }
    public string? ContributionDecidedBy { get; private set; }
    public string? DeclineReason { get; private set; }

    /// <summary>The partners it is shared with (loaded with the document when a command changes them).</summary>
    public IReadOnlyList<DocumentShare> Shares => _shares;

    public void Describe(string title, string summary, ResourceKind kind, IEnumerable<string> elementCodes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(elementCodes);
        if (!Enum.IsDefined(kind))
        {
            throw new DomainException("Choose the kind of document from the list.");
        }

        Title = title.Trim();
        Summary = summary?.Trim() ?? string.Empty;
        Kind = kind;
        ElementCodes = elementCodes.Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        Touch();
    }

    /// <summary>Lets a partner organization's members read the document (once; sharing again changes nothing).</summary>
    public void ShareWith(Guid partnerOrganizationId, DateTime now, string userId)
    {
        if (partnerOrganizationId == OrganizationId)
        {
            throw new DomainException("A document is already its own organization's.");
        }

        if (_shares.All(s => s.GranteeOrganizationId != partnerOrganizationId))
        {
            _shares.Add(new DocumentShare(this, partnerOrganizationId, now, userId));
            Touch();
        }
    }

    public void StopSharingWith(Guid partnerOrganizationId)
    {
        if (_shares.FirstOrDefault(s => s.GranteeOrganizationId == partnerOrganizationId) is { } share)
        {
            _shares.Remove(share);
            Touch();
        }
    }

    /// <summary>Offers the document to everyone; a reviewer decides. Offering again after a decline asks again.</summary>
    public void Propose(DateTime now)
    {
        if (Contribution is ContributionStatus.Proposed or ContributionStatus.Approved)
        {
            throw new DomainException("This document is already offered to everyone.");
        }

        Contribution = ContributionStatus.Proposed;
        ContributionChangedAt = now;
        ContributionDecidedBy = null;
        DeclineReason = null;
        Touch();
    }

    /// <summary>Takes the document back to the organization (and its partners): no longer offered, nor shown to everyone.</summary>
    public void Withdraw(DateTime now)
    {
        Contribution = ContributionStatus.None;
        ContributionChangedAt = now;
        ContributionDecidedBy = null;
        DeclineReason = null;
        Touch();
    }

    public void Approve(DateTime now, string reviewerId)
    {
        EnsureProposed();
        Contribution = ContributionStatus.Approved;
        ContributionChangedAt = now;
        ContributionDecidedBy = reviewerId;
        Touch();
    }

    public void Decline(string reason, DateTime now, string reviewerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        EnsureProposed();
        Contribution = ContributionStatus.Declined;
        ContributionChangedAt = now;
        ContributionDecidedBy = reviewerId;
        DeclineReason = reason.Trim();
        Touch();
    }

    private void EnsureProposed()
    {
        if (Contribution != ContributionStatus.Proposed)
        {
            throw new DomainException("Only a document offered to everyone awaits a decision.");
        }
    }
}

/// <summary>A document shared with one partner organization. It carries the owner's key so its access filter needs no join.</summary>
public class DocumentShare : Entity, IAudited
{
    private DocumentShare() { SharedBy = string.Empty; }

    internal DocumentShare(OrganizationDocument document, Guid granteeOrganizationId, DateTime sharedAt, string sharedBy)
    {
        DocumentId = document.Id;
        OwnerOrganizationId = document.OrganizationId;
        GranteeOrganizationId = granteeOrganizationId;
        SharedAt = sharedAt;
        SharedBy = sharedBy;
    }

    public Guid DocumentId { get; private set; }
    public Guid OwnerOrganizationId { get; private set; }
    public Guid GranteeOrganizationId { get; private set; }
    public DateTime SharedAt { get; private set; }
    public string SharedBy { get; private set; }
}
