namespace PalliativeToolkit.Domain.Common;

/// <summary>Base of every stored entity: a stable id and an optimistic-concurrency version.</summary>
public abstract class Entity
{
    protected Entity() => Id = Guid.NewGuid();

    protected Entity(Guid id) => Id = id == Guid.Empty ? Guid.NewGuid() : id;

    public Guid Id { get; private set; }

    /// <summary>Concurrency token; renewed on every save by the persistence layer.</summary>
    public Guid Version { get; private set; } = Guid.NewGuid();

    /// <summary>Marks the entity as changed so that its concurrency token is renewed.</summary>
    public void RenewVersion() => Version = Guid.NewGuid();
}

/// <summary>Entities whose every change is written to the audit trail.</summary>
public interface IAudited;
