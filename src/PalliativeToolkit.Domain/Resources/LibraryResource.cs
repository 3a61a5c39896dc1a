using PalliativeToolkit.Domain.Common;

namespace PalliativeToolkit.Domain.Resources;

/// <summary>What kind of help a resource is.</summary>
public enum ResourceKind
{
    JobDescription,
    Workflow,
    Template,
    MeasureSet,
    PolicyExample,
    Training,
    WebinarRecording,
    ExternalToolkit,
}

/// <summary>Who a resource is written for.</summary>
public enum ResourceAudience
{
    Plan,
    Provider,
    Both,
}

/// <summary>Where a resource of the library comes from.</summary>
public enum ResourceOrigin
{
    /// <summary>Listed by the guide among the Tools and Links of the elements it serves.</summary>
    Guide,

    /// <summary>Added by the portal's editors.</summary>
    Editors,
}

public static class ResourceText
{
    public static string Describe(this ResourceKind kind) => kind switch
    {
        ResourceKind.JobDescription => "Job description",
        ResourceKind.Workflow => "Workflow",
        ResourceKind.Template => "Template",
        ResourceKind.MeasureSet => "Measure set",
        ResourceKind.PolicyExample => "Policy example",
        ResourceKind.Training => "Training",
        ResourceKind.WebinarRecording => "Webinar recording",
        ResourceKind.ExternalToolkit => "External toolkit",
        _ => kind.ToString(),
    };

    public static string Describe(this ResourceAudience audience) => audience switch
    {
        ResourceAudience.Plan => "Plans",
        ResourceAudience.Provider => "Providers",
        _ => "Plans and providers",
    };

    public static string Describe(this ResourceOrigin origin) => origin == ResourceOrigin.Guide
        ? "Listed by the guide for the elements it serves"
        : "Added by the portal's editors";
}

/// <summary>
/// One resource of the library: the guide's curated Tools and Links and what the portal's editors add. It serves
/// elements of the guide (by code, which stays the same across framework versions). A retired resource stays readable
/// (old action items point at it) but is marked retired and left out of searches unless asked for.
/// </summary>
public class LibraryResource : Entity, IAudited
{
    private LibraryResource() { Key = Title = Publisher = Summary = Url = string.Empty; }

    public LibraryResource(string key, string title, string publisher, ResourceKind kind, ResourceAudience audience, string summary, string url,
        IEnumerable<string> elementCodes, IEnumerable<string> tags, ResourceOrigin origin, ResourceFile? file = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        Key = key.Trim();
        Origin = origin;
        Title = Publisher = Summary = Url = string.Empty;
        if (file is not null)
        {
            AttachFile(file);
        }

        Update(title, publisher, kind, audience, summary, url, elementCodes, tags);
    }

    /// <summary>A stable name for the resource in the data file it was seeded from (or made up for one added here).</summary>
    public string Key { get; private set; }
    public string Title { get; private set; }
    public string Publisher { get; private set; }
    public ResourceKind Kind { get; private set; }
    public ResourceAudience Audience { get; private set; }

    /// <summary>What it is and when it helps, in the portal's own words.</summary>
    public string Summary { get; private set; }
    public string Url { get; private set; }
    public IReadOnlyList<string> ElementCodes { get; private set; } = [];
    public IReadOnlyList<string> Tags { get; private set; } = [];
    public ResourceOrigin Origin { get; private set; }
    public DateTime? RetiredAt { get; private set; }
    public string? RetiredBy { get; private set; }

    public bool IsRetired => RetiredAt is not null;

    /// <summary>The file store's key of the resource's uploaded file, when it holds one (instead of, or besides, a link).</summary>
    public string? FileKey { get; private set; }

    /// <summary>The name the file downloads as (made safe, with the extension of its real type).</summary>
    public string? FileName { get; private set; }

    /// <summary>The file's type as told from its bytes (PDF, Word…).</summary>
    public string? FileType { get; private set; }
    public string? FileContentType { get; private set; }
    public long? FileLength { get; private set; }

    /// <summary>Attaches an uploaded file, and answers the key of the file it replaces (to delete), if any.</summary>
    public string? AttachFile(ResourceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var replaced = FileKey;
        FileKey = file.Key;
        FileName = file.Name;
        FileType = file.Type;
        FileContentType = file.ContentType;
        FileLength = file.Length;
        Touch();
        return replaced;
    }

    public void Update(string title, string publisher, ResourceKind kind, ResourceAudience audience, string summary, string url,
        IEnumerable<string> elementCodes, IEnumerable<string> tags)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(elementCodes);
        ArgumentNullException.ThrowIfNull(tags);
        if (!Enum.IsDefined(kind) || !Enum.IsDefined(audience))
        {
            throw new DomainException("Choose the kind of resource and its audience from the lists.");
        }

        if (string.IsNullOrWhiteSpace(url) ? FileKey is null : !Uri.TryCreate(url, UriKind.Absolute, out var link) || link.Scheme is not ("https" or "http"))
        {
            throw new DomainException("A resource links to a web address (https://…) or holds an uploaded file.");
        }

        Title = title.Trim();
        Publisher = publisher?.Trim() ?? string.Empty;
        Kind = kind;
        Audience = audience;
        Summary = summary?.Trim() ?? string.Empty;
        Url = url?.Trim() ?? string.Empty;
        ElementCodes = elementCodes.Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        Tags = tags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        Touch();
    }

    public void Retire(DateTime now, string userId)
    {
        if (IsRetired)
        {
            throw new DomainException("This resource is already retired.");
        }

        RetiredAt = now;
        RetiredBy = userId;
    }

    public void Restore()
    {
        RetiredAt = null;
        RetiredBy = null;
        Touch();
    }
}

/// <summary>An uploaded file as the file store kept it: its key, safe download name, type told from its bytes, and size.</summary>
public sealed record ResourceFile(string Key, string Name, string Type, string ContentType, long Length);
