namespace PalliativeToolkit.Infrastructure.Files;

/// <summary>Keeps uploaded documents under opaque keys. The key, not any name a person gave the file, finds it again.</summary>
public interface IFileStore
{
    /// <summary>The largest file <see cref="SaveAsync"/> accepts, in bytes.</summary>
    long MaxBytes { get; }

    /// <summary>
    /// Stores <paramref name="content"/> (read once, from where it stands, never more than <see cref="MaxBytes"/> + 1
    /// bytes) if it is no larger than <see cref="MaxBytes"/>, not empty, and one of the accepted <see cref="FileKind"/>s by
    /// its contents; otherwise throws <see cref="FileRefusedException"/> and keeps nothing.
    /// </summary>
    Task<StoredFile> SaveAsync(Stream content, CancellationToken cancellationToken = default);

    /// <summary>The stored file's bytes, or null if <paramref name="key"/> is not a well-formed key or no file has it. The caller disposes the stream.</summary>
    Stream? OpenRead(string key);

    /// <summary>Deletes the file; nothing happens if there is none with <paramref name="key"/> or the key is not well formed.</summary>
    Task DeleteAsync(string key);
}
