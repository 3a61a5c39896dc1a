using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Auditing;

namespace PalliativeToolkit.Infrastructure.Persistence.Interceptors;

/// <summary>
/// The one place where saves are stamped: renews every changed entity's concurrency token, writes an
/// audit entry (user, time, entity, old and new values, the account and organization it concerns) for every change to
/// audited data, in the same transaction, then appends every audit row of the save (security events staged by
/// <see cref="Auditing.SecurityAudit"/> included) to the hash chain (<see cref="AuditChain"/>).
/// The user is the viewer the context acts for: the same one the operation authorized.
/// </summary>
public sealed class AuditingInterceptor(TimeProvider timeProvider, AuditOrigin origin) : SaveChangesInterceptor
{
    internal static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The entity audit rows this interceptor added to a context and that are not saved yet.</summary>
    private readonly ConditionalWeakTable<DbContext, List<AuditEntry>> _unsaved = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not null)
        {
            Stamp(eventData.Context);
            AuditChain.Seal(eventData.Context, AuditChain.Pending(eventData.Context));
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not null)
        {
            Stamp(eventData.Context);
            await AuditChain.SealAsync(eventData.Context, AuditChain.Pending(eventData.Context), cancellationToken);
        }

        return result;
    }

    private void Stamp(DbContext context)
    {
        var viewer = (context as ToolkitDbContext)?.Viewer ?? Viewer.Nobody;

        // A save that failed and is tried again (a retried transaction) describes its changes afresh.
        var unsaved = _unsaved.GetOrCreateValue(context);
        foreach (var stale in unsaved.Where(a => context.Entry(a).State == EntityState.Added))
        {
            context.Entry(stale).State = EntityState.Detached;
        }

        unsaved.Clear();
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

                audits.Add(Describe(entry, viewer.UserId, now).Concerning(SubjectOf(entry), OrganizationOf(entry), origin.ClientAddress));
            }
        }

        context.AddRange(audits);
        unsaved.AddRange(audits);
    }

    /// <summary>The account a change concerns: the member of a membership.</summary>
    private static string? SubjectOf(EntityEntry entry) => entry.Entity is Membership membership ? membership.UserId : null;

    /// <summary>The organization a change concerns: the organization itself, or the one that owns the row.</summary>
    private static Guid? OrganizationOf(EntityEntry entry) => entry.Entity switch
    {
        Organization organization => organization.Id,
        IOrganizationOwned owned => owned.OrganizationId,
        _ => null,
    };

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
