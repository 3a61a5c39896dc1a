namespace PalliativeToolkit.Infrastructure.Files;

/// <summary>
/// A file kept by an <see cref="IFileStore"/>: its opaque <paramref name="Key"/> (32 lower-case hex digits), its size in
/// bytes, its kind as told by its contents, and the SHA-256 of its bytes in lower-case hex.
/// </summary>
public sealed record StoredFile(string Key, long Length, FileKind Kind, string Sha256Hex);
