using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Persistence;

namespace PalliativeToolkit.Infrastructure.Operations;

/// <summary>
/// One unit of work for one acting user: a short-lived database context bound to that user's <see cref="Viewer"/>.
/// The access filters show the context only what the viewer may see, and the audit trail names the same viewer.
/// Services that the operation resolves from <see cref="Services"/> (Identity's UserManager) share its context.
/// </summary>
public sealed class Operation : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    internal Operation(AsyncServiceScope scope, ToolkitDbContext db, Viewer viewer, DateTime now, CancellationToken cancellation)
    {
        _scope = scope;
        Db = db;
        Viewer = viewer;
        Now = now;
        Cancellation = cancellation;
    }

    public ToolkitDbContext Db { get; }

    public Viewer Viewer { get; }

    /// <summary>The operation's one instant (UTC): every timestamp it writes is the same.</summary>
    public DateTime Now { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>The operation's own service scope, for services that must share its database context.</summary>
    public IServiceProvider Services => _scope.ServiceProvider;

    /// <summary>Refuses (the operation answers "refused" with <paramref name="refusal"/>) unless the viewer holds the permission.</summary>
    public void Demand(Permission permission, string refusal)
    {
        if (!Viewer.May(permission))
        {
            throw new AccessRefusedException(refusal);
        }
    }

    /// <summary>Refuses unless the viewer's role in the organization allows it.</summary>
    public void Demand(OrganizationPermission permission, Guid organizationId, string refusal)
    {
        if (!Viewer.May(permission, organizationId))
        {
            throw new AccessRefusedException(refusal);
        }
    }

    /// <summary>
    /// Goes on only if <paramref name="entity"/>, as loaded, still has the version the user's page showed; otherwise the
    /// operation answers "conflict" at once, whether or not it would change anything. A change made by someone else
    /// between this load and the save is caught by the save itself (the version is the concurrency token).
    /// </summary>
    public void ExpectVersion(Entity entity, Guid version)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (entity.Version != version)
        {
            throw new DbUpdateConcurrencyException($"{entity.GetType().Name} {entity.Id} changed since the page showed it.");
        }

        // The save's own check compares with the page's version (the same, now that it was checked).
        Db.Entry(entity).Property(e => e.Version).OriginalValue = version;
    }

    public Task<int> SaveAsync() => Db.SaveChangesAsync(Cancellation);

    public ValueTask DisposeAsync() => _scope.DisposeAsync();
}
