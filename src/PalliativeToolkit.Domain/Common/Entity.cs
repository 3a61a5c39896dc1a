namespace PalliativeToolkit.Domain.Common;

/// <summary>Base of every stored entity: a stable id and an optimistic-concurrency version.</summary>
public abstract class Entity
{
    protected Entity() => Id = Guid.NewGuid();

    protected Entity(Guid id) => Id = id == Guid.Empty ? Guid.NewGuid() : id;

    public Guid Id { get; private set; }

    /// <summary>Concurrency token; renewed on every save by the persistence layer.</summary>
    public Guid Version { get; private set; } = Guid.NewGuid();

    /// <summary>
    /// Marks the entity as changed even when no other value changed, so that saving it checks and renews its version
    /// (an aggregate's unit of concurrency is touched whenever any of its parts changes).
    /// </summary>
    protected void Touch() => Version = Guid.NewGuid();
}

/// <summary>Entities whose every change is written to the audit trail.</summary>
public interface IAudited;

/// <summary>
/// Data that belongs to one organization. The persistence layer shows it only to the viewers the access rule allows;
/// every type that carries an organization's data implements this, and a test fails for one that has no access filter.
/// </summary>
public interface IOrganizationOwned
{
    Guid OrganizationId { get; }
}
