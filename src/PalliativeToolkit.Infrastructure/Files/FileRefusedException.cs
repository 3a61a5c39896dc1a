using System.Globalization;

namespace PalliativeToolkit.Infrastructure.Files;

/// <summary>Why an upload was not stored.</summary>
public enum FileRefusal
{
    /// <summary>More than <see cref="FileStorageOptions.MaxBytes"/>.</summary>
    TooLarge,

    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>The contents are none of the accepted <see cref="FileKind"/>s, whatever the file's name says.</summary>
    TypeNotAllowed,
}

/// <summary>
/// An upload was refused and nothing was stored. <see cref="Exception.Message"/> is written for the person who uploaded
/// the file and names the reason, for example "The file is larger than 10 MB.".
/// </summary>
public sealed class FileRefusedException : Exception
{
    public FileRefusedException(FileRefusal reason, string message) : base(message) => Reason = reason;

    public FileRefusedException() : this(FileRefusal.TypeNotAllowed, TypeNotAllowedMessage) { }

    public FileRefusedException(string message) : this(FileRefusal.TypeNotAllowed, message) { }

    public FileRefusedException(string message, Exception innerException) : base(message, innerException) => Reason = FileRefusal.TypeNotAllowed;

    public FileRefusal Reason { get; }

    internal const string EmptyMessage = "The file is empty.";

    internal const string TypeNotAllowedMessage =
        "Only PDF, Word, Excel, PowerPoint, PNG and JPEG files can be uploaded; this file's contents are none of these.";

    internal static FileRefusedException TooLarge(long maxBytes) =>
        new(FileRefusal.TooLarge, $"The file is larger than {FormatSize(maxBytes)}.");

    internal static FileRefusedException Empty() => new(FileRefusal.Empty, EmptyMessage);

    internal static FileRefusedException TypeNotAllowed() => new(FileRefusal.TypeNotAllowed, TypeNotAllowedMessage);

    /// <summary>A size for people: "10 MB", "1.5 MB", "500 KB", "100 bytes".</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024d * 1024):0.#} MB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d:0.#} KB"),
        1 => "1 byte",
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
