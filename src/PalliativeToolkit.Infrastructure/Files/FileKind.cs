namespace PalliativeToolkit.Infrastructure.Files;

/// <summary>The kinds of document the portal accepts, as told by a file's contents (<see cref="FileSniffer"/>), never its name.</summary>
public enum FileKind
{
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    Png,
    Jpeg,
}

/// <summary>Each <see cref="FileKind"/>'s content type, file extension and a label for people.</summary>
public static class FileKinds
{
    /// <summary>Every kind, in the order they are listed to people.</summary>
    public static IReadOnlyList<FileKind> All { get; } = Enum.GetValues<FileKind>();

    /// <summary>The MIME type to serve the file with, for example <c>application/pdf</c>.</summary>
    public static string ContentType(this FileKind kind) => kind switch
    {
        FileKind.Pdf => "application/pdf",
        FileKind.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        FileKind.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileKind.Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        FileKind.Png => "image/png",
        FileKind.Jpeg => "image/jpeg",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The file extension, with its dot and in lower case, for example <c>.pdf</c> (<c>.jpg</c> for JPEG).</summary>
    public static string Extension(this FileKind kind) => kind switch
    {
        FileKind.Pdf => ".pdf",
        FileKind.Docx => ".docx",
        FileKind.Xlsx => ".xlsx",
        FileKind.Pptx => ".pptx",
        FileKind.Png => ".png",
        FileKind.Jpeg => ".jpg",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>What the kind is called in the portal, for example "Word document".</summary>
    public static string Label(this FileKind kind) => kind switch
    {
        FileKind.Pdf => "PDF",
        FileKind.Docx => "Word document",
        FileKind.Xlsx => "Excel workbook",
        FileKind.Pptx => "PowerPoint presentation",
        FileKind.Png => "PNG image",
        FileKind.Jpeg => "JPEG image",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
