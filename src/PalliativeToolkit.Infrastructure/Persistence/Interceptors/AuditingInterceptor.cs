using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Infrastructure.Access;

namespace PalliativeToolkit.Infrastructure.Persistence.Interceptors;

/// <summary>
/// The one place where saves are stamped: renews every changed entity's concurrency token and writes an
/// audit entry (user, time, entity, old and new values) for every change to audited data, in the same transaction.
/// The user is the viewer the context acts for: the same one the operation authorized.
/// </summary>
public sealed class AuditingInterceptor(TimeProvider timeProvider) : SaveChangesInterceptor
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not null)
        {
            Stamp(eventData.Context);
        }

        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not null)
        {
            Stamp(eventData.Context);
        }

        return ValueTask.FromResult(result);
    }

    private void Stamp(DbContext context)
    {
        var viewer = (context as ToolkitDbContext)?.Viewer ?? Viewer.Nobody;
        context.ChangeTracker.DetectChanges();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var audits = new List<AuditEntry>();
        foreach (var entry in context.ChangeTracker.Entries().ToList())
        {
            if (entry.State == EntityState.Modified && entry.Entity is Entity && !entry.Property(nameof(Entity.Version)).IsModified)
            {
                entry.Property(nameof(Entity.Version)).CurrentValue = Guid.NewGuid();
            }

            if (entry.Entity is IAudited && entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                if (viewer.UserId.Length == 0)
                {
                    throw new InvalidOperationException(
                        $"A change to {entry.Metadata.ClrType.Name} was saved by a context that acts for nobody. Open an operation for the acting user (Operations.RunAsync) and save through it.");
                }

                audits.Add(Describe(entry, viewer.UserId, now));
            }
        }

        context.AddRange(audits);
    }

    private static AuditEntry Describe(EntityEntry entry, string userId, DateTime now)
    {
        var oldValues = new Dictionary<string, object?>();
        var newValues = new Dictionary<string, object?>();
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (name == nameof(Entity.Version))
            {
                continue;
            }

            switch (entry.State)
            {
                case EntityState.Added:
                    newValues[name] = property.CurrentValue;
                    break;
                case EntityState.Deleted:
                    oldValues[name] = property.OriginalValue;
                    break;
                case EntityState.Modified when property.IsModified && !Equals(property.OriginalValue, property.CurrentValue):
                    oldValues[name] = property.OriginalValue;
                    newValues[name] = property.CurrentValue;
                    break;
            }
        }

        var id = entry.Properties.FirstOrDefault(p => p.Metadata.IsPrimaryKey())?.CurrentValue?.ToString() ?? string.Empty;
        return new AuditEntry(
            userId,
            now,
            entry.Metadata.ClrType.Name,
            id,
            entry.State.ToString(),
            oldValues.Count == 0 ? null : JsonSerializer.Serialize(oldValues, Json),
            newValues.Count == 0 ? null : JsonSerializer.Serialize(newValues, Json));
    }
}
