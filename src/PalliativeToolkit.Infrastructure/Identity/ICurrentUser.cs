namespace PalliativeToolkit.Infrastructure.Identity;

/// <summary>Who is acting now; used by the audit trail.</summary>
public interface ICurrentUser
{
    ValueTask<string?> GetUserIdAsync();
}

/// <summary>For the seeder and design-time tools: changes are attributed to the system.</summary>
public sealed class SystemUser : ICurrentUser
{
    public const string Id = "system";

    public ValueTask<string?> GetUserIdAsync() => ValueTask.FromResult<string?>(Id);
}
