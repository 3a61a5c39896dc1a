using System.Buffers;
using System.Security.Cryptography;

namespace PalliativeToolkit.Infrastructure.Files;

/// <summary>
/// An <see cref="IFileStore"/> on a folder. An upload is written to <c>incoming/</c> inside the folder while it is counted
/// and hashed, checked, and only then moved to <c>ab/cd/abcd…</c> under a random 128-bit key. Stored files have no
/// extension, and a key is only ever used as a path once it is known to be exactly 32 lower-case hex digits.
/// </summary>
public sealed class FolderFileStore : IFileStore
{
    /// <summary>The length of a key: 32 lower-case hex digits (128 random bits).</summary>
    public const int KeyLength = 32;

    private const string IncomingFolder = "incoming";
    private const int BufferSize = 81920;

    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    private readonly string _root;

    /// <param name="directory">The folder to keep files in (made fully qualified); it is created when the first file is saved.</param>
    /// <param name="maxBytes">The largest file accepted, in bytes.</param>
    public FolderFileStore(string directory, long maxBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _root = Path.GetFullPath(directory);
        MaxBytes = maxBytes;
    }

    public long MaxBytes { get; }

    /// <summary>Whether <paramref name="key"/> has the form of a key this store hands out: exactly 32 characters 0-9 and a-f.</summary>
    public static bool IsWellFormedKey(string? key) =>
        key is { Length: KeyLength } && !key.AsSpan().ContainsAnyExcept(LowerHexDigits);

    public async Task<StoredFile> SaveAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.CanSeek && content.Length - content.Position > MaxBytes)
        {
            throw FileRefusedException.TooLarge(MaxBytes);
        }

        var incoming = Directory.CreateDirectory(Path.Combine(_root, IncomingFolder)).FullName;
        var temporary = Path.Combine(incoming, RandomNumberGenerator.GetHexString(KeyLength, lowercase: true) + ".upload");
        try
        {
            var (length, sha256) = await CopyAsync(content, temporary, cancellationToken);
            if (length == 0)
            {
                throw FileRefusedException.Empty();
            }

            FileKind? kind;
            using (var written = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096))
            {
                kind = FileSniffer.Detect(written);
            }

            if (kind is null)
            {
                throw FileRefusedException.TypeNotAllowed();
            }

            var key = RandomNumberGenerator.GetHexString(KeyLength, lowercase: true);
            var path = PathOf(key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temporary, path, overwrite: false);
            return new StoredFile(key, length, kind.Value, sha256);
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    public Stream? OpenRead(string key)
    {
        if (!IsWellFormedKey(key))
        {
            return null;
        }

        try
        {
            return new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key)
    {
        if (IsWellFormedKey(key))
        {
            try
            {
                File.Delete(PathOf(key));
            }
            catch (DirectoryNotFoundException)
            {
                // Nothing was ever stored under this key's folders.
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Copies at most <see cref="MaxBytes"/> + 1 bytes to <paramref name="path"/>: one byte more is enough to refuse.</summary>
    private async Task<(long Length, string Sha256Hex)> CopyAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            long length = 0;
            while (true)
            {
                var wanted = (int)Math.Min(BufferSize, MaxBytes + 1 - length);
                var read = await content.ReadAsync(buffer.AsMemory(0, wanted), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > MaxBytes)
                {
                    throw FileRefusedException.TooLarge(MaxBytes);
                }

                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Removes a refused upload (a no-op once it was moved), without hiding the reason it was refused.</summary>
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in incoming/, which holds nothing a key can reach.
        }
    }

    private string PathOf(string key) => Path.Combine(_root, key[..2], key[2..4], key);
}
