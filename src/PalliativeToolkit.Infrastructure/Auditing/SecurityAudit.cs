using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Infrastructure.Persistence;
using PalliativeToolkit.Infrastructure.Persistence.Interceptors;

namespace PalliativeToolkit.Infrastructure.Auditing;

/// <summary>
/// Records account and security events in the audit trail (the same hash-chained rows as changes to data). Identity's
/// own changes (sign-in, lockout, roles, passwords, two-factor, passkeys, e-mail, accounts created and deleted) are
/// recorded by the portal's UserManager and SignInManager already; features use this for events of their own
/// (exports, sessions signed out, sign-in backoff…). Never pass a password, token, code or key in
/// <c>before</c>/<c>after</c>: they are stored and shown to administrators as they are.
/// </summary>
public interface ISecurityAudit
{
    /// <summary>
    /// Records <paramref name="kind"/> at once, in a save and transaction of its own (it stays recorded whatever the
    /// caller does next).
    /// </summary>
    /// <param name="actorUserId">Who acted; null: the signed-in user of the current request, "anonymous" when none, "system" outside a request.</param>
    /// <param name="subjectUserId">The account the event concerns, if any.</param>
    /// <param name="before">Values before (an object or dictionary, written as JSON), if any.</param>
    /// <param name="after">Values after, or the event's details, if any.</param>
    /// <param name="organizationId">The organization the event concerns, if any.</param>
    Task RecordAsync(SecurityEvent kind, string? actorUserId, string? subjectUserId, object? before = null, object? after = null, Guid? organizationId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the event to <paramref name="db"/>: it is written by that context's next save, in the same transaction as
    /// the change it describes. Remove it (<see cref="Withdraw"/>) if the change is not saved.
    /// </summary>
    AuditEntry Stage(ToolkitDbContext db, SecurityEvent kind, string? actorUserId, string? subjectUserId, object? before = null, object? after = null, Guid? organizationId = null);

    /// <summary>Takes back a staged event whose change was not saved.</summary>
    void Withdraw(ToolkitDbContext db, AuditEntry staged);
}

internal sealed class SecurityAudit(IDbContextFactory<ToolkitDbContext> contexts, AuditOrigin origin, TimeProvider clock) : ISecurityAudit
{
    public async Task RecordAsync(SecurityEvent kind, string? actorUserId, string? subjectUserId, object? before = null, object? after = null, Guid? organizationId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        Stage(db, kind, actorUserId, subjectUserId, before, after, organizationId);
        await db.SaveChangesAsync(cancellationToken);
    }

    public AuditEntry Stage(ToolkitDbContext db, SecurityEvent kind, string? actorUserId, string? subjectUserId, object? before = null, object? after = null, Guid? organizationId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entry = new AuditEntry(
                actorUserId ?? origin.Actor(db.Viewer),
                clock.GetUtcNow().UtcDateTime,
                AuditEntry.SecurityEventType,
                subjectUserId ?? string.Empty,
                kind.ToString(),
                Serialize(before),
                Serialize(after))
            .Concerning(subjectUserId, organizationId, origin.ClientAddress);
        db.Add(entry);
        return entry;
    }

    public void Withdraw(ToolkitDbContext db, AuditEntry staged)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entry = db.Entry(staged);
        if (entry.State == EntityState.Added)
        {
            entry.State = EntityState.Detached;
        }
    }

    private static string? Serialize(object? values) => values switch
    {
        null => null,
        string text => JsonSerializer.Serialize(new { Detail = text }, AuditingInterceptor.Json),
        _ => JsonSerializer.Serialize(values, AuditingInterceptor.Json),
    };
}
