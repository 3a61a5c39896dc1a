using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace PalliativeToolkit.Domain.Auditing;

/// <summary>
/// One row of the audit trail: a change to audited data (entity type, id, Added/Modified/Deleted) or a security event
/// (<see cref="SecurityEventType"/>, the event's name as <see cref="Action"/>). Who acted, whom it concerned, when, from
/// where, and the values before and after. Rows form a hash chain: each carries its <see cref="Sequence"/>, the hash of
/// the row before it and its own hash over its content and that previous hash (see <see cref="ComputeHash"/>), so a row
/// changed, removed or moved afterwards no longer matches (ADR 0012).
/// </summary>
public class AuditEntry
{
    /// <summary><see cref="EntityType"/> of security events (sign-in, lockout, roles, passwords…): the subject is an account.</summary>
    public const string SecurityEventType = "Account";

    /// <summary>The "previous hash" of the first row of the chain.</summary>
    public static readonly string Genesis = new('0', 64);

    private AuditEntry() { UserId = EntityType = EntityId = Action = PreviousHash = Hash = string.Empty; }

    public AuditEntry(string userId, DateTime timestamp, string entityType, string entityId, string action, string? oldValues, string? newValues)
    {
        UserId = userId;
        Timestamp = timestamp;
        EntityType = entityType;
        EntityId = entityId;
        Action = action;
        OldValues = oldValues;
        NewValues = newValues;
        PreviousHash = Hash = string.Empty;
    }

    public long Id { get; private set; }

    /// <summary>The row's place in the chain: 1, 2, 3… without gaps.</summary>
    public long Sequence { get; private set; }

    /// <summary>Who acted: a user id, "system" (the portal itself) or "anonymous" (no one signed in, e.g. a failed sign-in).</summary>
    public string UserId { get; private set; }
    public DateTime Timestamp { get; private set; }
    public string EntityType { get; private set; }
    public string EntityId { get; private set; }
    public string Action { get; private set; }
    public string? OldValues { get; private set; }
    public string? NewValues { get; private set; }

    /// <summary>The account the row concerns (the person locked, signed in, added to an organization…), when there is one.</summary>
    public string? SubjectUserId { get; private set; }

    /// <summary>The organization the row concerns, when there is one.</summary>
    public Guid? OrganizationId { get; private set; }

    /// <summary>The client's address as the portal saw it (after trusted forwarded headers), when the row came from a request.</summary>
    public string? ClientAddress { get; private set; }

    /// <summary>The hash of the row before (<see cref="Genesis"/> for the first), lower-case hex.</summary>
    public string PreviousHash { get; private set; }

    /// <summary>SHA-256 over the row's content and <see cref="PreviousHash"/>, lower-case hex.</summary>
    public string Hash { get; private set; }

    public bool IsSealed => Hash.Length > 0;

    /// <summary>Sets whom the row concerns, before it is sealed.</summary>
    public AuditEntry Concerning(string? subjectUserId, Guid? organizationId, string? clientAddress = null)
    {
        SubjectUserId = subjectUserId;
        OrganizationId = organizationId;
        ClientAddress = clientAddress ?? ClientAddress;
        return this;
    }

    /// <summary>Gives the row its place after the row whose hash is <paramref name="previousHash"/>, and its own hash.</summary>
    public void Seal(long sequence, string previousHash)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ArgumentNullException.ThrowIfNull(previousHash);
        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = ComputeHash();
    }

    /// <summary>
    /// SHA-256 of the canonical form: a JSON array of every field but <see cref="Id"/> (given by the database) and the
    /// hash itself, in a fixed order, with the time as <c>yyyy-MM-ddTHH:mm:ss.fffffff</c> (UTC) and the organization as
    /// a lower-case GUID. JSON escaping makes the boundaries between fields unambiguous.
    /// </summary>
    public string ComputeHash()
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new object?[]
        {
            "v1",
            Sequence,
            UserId,
            Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
            EntityType,
            EntityId,
            Action,
            OldValues,
            NewValues,
            SubjectUserId,
            OrganizationId?.ToString("D"),
            ClientAddress,
            PreviousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }
}
