using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using PalliativeToolkit.Domain.Auditing;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>What the audit page and its export show: who acted, whom it concerned, what kind, which days (UTC).</summary>
public sealed class AuditFilter
{
    /// <summary>Part of the acting person's email address or name, or a user id ("system", "anonymous").</summary>
    public string? Actor { get; set; }

    /// <summary>Part of the email address or name of the account concerned, or its id.</summary>
    public string? Subject { get; set; }

    /// <summary><see cref="AuditEntry.SecurityEventType"/> for account and security events, or an entity type.</summary>
    public string? Kind { get; set; }

    /// <summary>A security event's name, or Added, Modified, Deleted.</summary>
    public string? Action { get; set; }

    public DateTime? From { get; set; }

    /// <summary>The last day shown (inclusive).</summary>
    public DateTime? To { get; set; }

    public const int MaxTextLength = 256;

    public static IReadOnlyList<string> Kinds { get; } =
        [AuditEntry.SecurityEventType, "Organization", "Membership", "ShareGrant", "Assessment", "ElementResponse", "CriterionResponse", "Submission", "Feedback"];

    public static IReadOnlyList<string> Actions { get; } =
        [.. Enum.GetNames<SecurityEvent>(), "Added", "Modified", "Deleted"];

    /// <summary>The filter as a query string (for the export link), without empty values.</summary>
    public string ToQueryString()
    {
        var values = new Dictionary<string, string?>
        {
            ["actor"] = Blank(Actor),
            ["subject"] = Blank(Subject),
            ["kind"] = Blank(Kind),
            ["action"] = Blank(Action),
            ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString(string.Empty, values.Where(v => v.Value is not null)!);
    }

    /// <summary>Reads a filter from a query string; unknown kinds, actions and unreadable dates are ignored.</summary>
    public static AuditFilter FromQuery(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new AuditFilter
        {
            Actor = Cut(query["actor"]),
            Subject = Cut(query["subject"]),
            Kind = Kinds.FirstOrDefault(k => k == query["kind"]),
            Action = Actions.FirstOrDefault(a => a == query["action"]),
            From = Day(query["from"]),
            To = Day(query["to"]),
        };
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? Cut(string? text) => Blank(text) is { } t ? t[..Math.Min(t.Length, MaxTextLength)] : null;

    private static DateTime? Day(string? text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day) ? day : null;
}

/// <summary>One value that changed: its name, before and after (null when absent).</summary>
public sealed record AuditChange(string Field, string? Before, string? After);

/// <summary>One row of the trail, with names for the people and organization it names.</summary>
public sealed record AuditRow(
    long Id,
    long Sequence,
    DateTime Timestamp,
    string ActorId,
    string Actor,
    string? SubjectId,
    string? Subject,
    Guid? OrganizationId,
    string? Organization,
    string Kind,
    string EntityId,
    string Action,
    IReadOnlyList<AuditChange> Changes,
    string? ClientAddress,
    string? OldValues,
    string? NewValues,
    string Hash,
    string PreviousHash);

public sealed record AuditResults(IReadOnlyList<AuditRow> Rows, int Total);
