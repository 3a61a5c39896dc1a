using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Auditing;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Web.Features.Admin;

/// <summary>
/// The audit trail for administrators: a filtered page of it (newest first, paged in the database), the chain's
/// verification and a CSV export of the filtered trail. Each call is an operation that demands the Administer permission.
/// </summary>
public sealed class AuditService(OperationRunner operations, AuditVerifier verifier, ISecurityAudit audit, ILogger<AuditService> logger)
{
    private const string OnlyAdministrators = "Only an administrator can read the audit trail.";

    /// <summary>At most this many accounts match a name typed in a filter.</summary>
    private const int MaxMatchingAccounts = 500;

    public Task<Outcome<AuditResults>> SearchAsync(ClaimsPrincipal principal, AuditFilter filter, int page, int pageSize, CancellationToken cancellationToken = default) =>
        operations.RunAsync<AuditResults>(principal, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            ArgumentNullException.ThrowIfNull(filter);
            var query = await FilteredAsync(op.Db, filter, op.Cancellation);
            var total = await query.CountAsync(op.Cancellation);
            var entries = await query.OrderByDescending(a => a.Sequence)
                .Skip(Math.Max(0, page) * Math.Clamp(pageSize, 1, 200)).Take(Math.Clamp(pageSize, 1, 200))
                .AsNoTracking().ToListAsync(op.Cancellation);
            var names = await NamesAsync(op.Db, entries, op.Cancellation);
            return new AuditResults(entries.Select(names.Describe).ToList(), total);
        }, cancellationToken);

    public Task<Outcome<AuditVerification>> VerifyAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<AuditVerification>(principal, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            return await verifier.VerifyAsync(cancellationToken: op.Cancellation);
        }, cancellationToken);

    /// <summary>
    /// Writes the filtered trail (newest first) as CSV (RFC 4180, UTF-8, formula-like cells escaped) to the stream
    /// <paramref name="start"/> opens once access is granted, row by row. The export itself is recorded in the trail.
    /// </summary>
    public Task<Outcome<Done>> ExportAsync(ClaimsPrincipal principal, AuditFilter filter, Func<Task<Stream>> start, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            ArgumentNullException.ThrowIfNull(start);
            var query = await FilteredAsync(op.Db, filter, op.Cancellation);
            var names = await AllNamesAsync(op.Db, op.Cancellation);

            // Recorded before the first row leaves: an export cut off half-way has still been made.
            await audit.RecordAsync(SecurityEvent.AuditExported, op.Viewer.UserId, null, after: new { Filter = filter.ToQueryString() }, cancellationToken: op.Cancellation);
            var output = await start();
            var rows = 0;
            await using (var csv = CsvWriter.Create(output, CsvWriterOptions.Default with { Injection = CsvInjection.Escape }, leaveOpen: true))
            {
                csv.WriteHeader(AuditCsv.Header);
                await foreach (var entry in query.OrderByDescending(a => a.Sequence).AsNoTracking().AsAsyncEnumerable().WithCancellation(op.Cancellation))
                {
                    await csv.WriteRecordAsync(AuditCsv.Fields(names.Describe(entry)), op.Cancellation);
                    rows++;
                }

                await csv.FlushAsync(op.Cancellation);
            }

            logger.LogInformation("Audit trail exported by an administrator: {Rows} rows", rows);
            return Done.Value;
        }, cancellationToken);

    public static string ExportFileName(DateTime now) => $"audit-trail-{now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";

    private static async Task<IQueryable<AuditEntry>> FilteredAsync(ToolkitDbContext db, AuditFilter filter, CancellationToken cancellationToken)
    {
        IQueryable<AuditEntry> query = db.AuditEntries;
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var ids = await MatchingAccountsAsync(db, filter.Actor, cancellationToken);
            query = query.Where(a => ids.Contains(a.UserId));
        }

        if (!string.IsNullOrWhiteSpace(filter.Subject))
        {
            var ids = await MatchingAccountsAsync(db, filter.Subject, cancellationToken);
            query = query.Where(a => a.SubjectUserId != null && ids.Contains(a.SubjectUserId));
        }

        if (!string.IsNullOrWhiteSpace(filter.Kind))
        {
            query = query.Where(a => a.EntityType == filter.Kind);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(a => a.Action == filter.Action);
        }

        if (filter.From is { } from)
        {
            var start = from.Date;
            query = query.Where(a => a.Timestamp >= start);
        }

        if (filter.To is { } to)
        {
            var end = to.Date < DateTime.MaxValue.Date ? to.Date.AddDays(1) : DateTime.MaxValue;
            query = query.Where(a => a.Timestamp < end);
        }

        return query;
    }

    /// <summary>The ids of accounts whose email address or name contains <paramref name="text"/> (any case), and the text itself as an id.</summary>
    private static async Task<List<string>> MatchingAccountsAsync(ToolkitDbContext db, string text, CancellationToken cancellationToken)
    {
        var trimmed = text.Trim();
        var upper = trimmed.ToUpperInvariant();
        var ids = await db.Users
            .Where(u => u.NormalizedEmail!.Contains(upper) || u.DisplayName.ToUpper().Contains(upper) || u.Id == trimmed)
            .Select(u => u.Id).Take(MaxMatchingAccounts).ToListAsync(cancellationToken);
        ids.Add(trimmed);
        return ids;
    }

    private static async Task<Names> NamesAsync(ToolkitDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var userIds = entries.Select(e => e.UserId).Concat(entries.Where(e => e.SubjectUserId != null).Select(e => e.SubjectUserId!)).Distinct().ToList();
        var organizationIds = entries.Where(e => e.OrganizationId != null).Select(e => e.OrganizationId!.Value).Distinct().ToList();
        var users = await db.Users.Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.Email, u.DisplayName }).ToListAsync(cancellationToken);
        var organizations = await db.Organizations.Where(o => organizationIds.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken);
        return new Names(users.ToDictionary(u => u.Id, u => Person(u.DisplayName, u.Email)), organizations.ToDictionary(o => o.Id, o => o.Name));
    }

    private static async Task<Names> AllNamesAsync(ToolkitDbContext db, CancellationToken cancellationToken)
    {
        var users = await db.Users.Select(u => new { u.Id, u.Email, u.DisplayName }).ToListAsync(cancellationToken);
        var organizations = await db.Organizations.Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken);
        return new Names(users.ToDictionary(u => u.Id, u => Person(u.DisplayName, u.Email)), organizations.ToDictionary(o => o.Id, o => o.Name));
    }

    private static string Person(string displayName, string? email) =>
        string.IsNullOrWhiteSpace(displayName) ? email ?? string.Empty : $"{displayName} ({email})";

    private sealed record Names(IReadOnlyDictionary<string, string> Users, IReadOnlyDictionary<Guid, string> Organizations)
    {
        public string Person(string id) => Users.TryGetValue(id, out var name) ? name
            : id is Viewer.SystemUserId or AuditOrigin.Anonymous ? id
            : $"deleted account {id}";

        public AuditRow Describe(AuditEntry e) => new(
            e.Id,
            e.Sequence,
            e.Timestamp,
            e.UserId,
            Person(e.UserId),
            e.SubjectUserId,
            e.SubjectUserId is null ? null : Person(e.SubjectUserId),
            e.OrganizationId,
            e.OrganizationId is { } o ? Organizations.GetValueOrDefault(o, $"deleted organization {o}") : null,
            e.EntityType,
            e.EntityId,
            e.Action,
            Changes(e.OldValues, e.NewValues),
            e.ClientAddress,
            e.OldValues,
            e.NewValues,
            e.Hash,
            e.PreviousHash);
    }

    /// <summary>The values before and after, field by field, as text.</summary>
    public static IReadOnlyList<AuditChange> Changes(string? oldValues, string? newValues)
    {
        var before = Fields(oldValues);
        var after = Fields(newValues);
        return before.Keys.Concat(after.Keys).Distinct(StringComparer.Ordinal)
            .Select(k => new AuditChange(k, before.GetValueOrDefault(k), after.GetValueOrDefault(k)))
            .ToList();
    }

    private static Dictionary<string, string?> Fields(string? json)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return fields;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                fields["Value"] = document.RootElement.ToString();
                return fields;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                fields[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => property.Value.GetString(),
                    _ => property.Value.GetRawText(),
                };
            }
        }
        catch (JsonException)
        {
            fields["Value"] = json;
        }

        return fields;
    }
}

/// <summary>The columns of the CSV export, one line per audit row.</summary>
public static class AuditCsv
{
    public static readonly string[] Header =
        ["Sequence", "Id", "TimestampUtc", "Actor", "ActorId", "Subject", "SubjectId", "Organization", "OrganizationId", "Kind", "EntityId", "Action", "Before", "After", "ClientAddress", "Hash", "PreviousHash"];

    public static string[] Fields(AuditRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return
        [
            row.Sequence.ToString(CultureInfo.InvariantCulture), row.Id.ToString(CultureInfo.InvariantCulture),
            row.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture), row.Actor, row.ActorId,
            row.Subject ?? string.Empty, row.SubjectId ?? string.Empty, row.Organization ?? string.Empty, row.OrganizationId?.ToString() ?? string.Empty,
            row.Kind, row.EntityId, row.Action, row.OldValues ?? string.Empty, row.NewValues ?? string.Empty, row.ClientAddress ?? string.Empty,
            row.Hash, row.PreviousHash,
        ];
    }
}
