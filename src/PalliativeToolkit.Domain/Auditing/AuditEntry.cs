namespace PalliativeToolkit.Domain.Auditing;

/// <summary>One change to audited data: who, when, which entity, and the values before and after.</summary>
public class AuditEntry
{
    private AuditEntry() { UserId = EntityType = EntityId = Action = string.Empty; }

    public AuditEntry(string userId, DateTime timestamp, string entityType, string entityId, string action, string? oldValues, string? newValues)
    {
        UserId = userId;
        Timestamp = timestamp;
        EntityType = entityType;
        EntityId = entityId;
        Action = action;
        OldValues = oldValues;
        NewValues = newValues;
    }

    public long Id { get; private set; }
    public string UserId { get; private set; }
    public DateTime Timestamp { get; private set; }
    public string EntityType { get; private set; }
    public string EntityId { get; private set; }
    public string Action { get; private set; }
    public string? OldValues { get; private set; }
    public string? NewValues { get; private set; }
}
