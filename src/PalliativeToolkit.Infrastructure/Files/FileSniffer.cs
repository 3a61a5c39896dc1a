using System.IO.Compression;

namespace PalliativeToolkit.Infrastructure.Files;

/// <summary>Tells a file's <see cref="FileKind"/> from its bytes; the name it was uploaded under plays no part.</summary>
public static class FileSniffer
{
    private static ReadOnlySpan<byte> PdfSignature => "%PDF-"u8;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> ZipSignature => [0x50, 0x4B, 0x03, 0x04];

    private const string ContentTypesPart = "[Content_Types].xml";

    private static readonly (string MainPart, FileKind Kind)[] OfficeMainParts =
    [
        ("word/document.xml", FileKind.Docx),
        ("xl/workbook.xml", FileKind.Xlsx),
        ("ppt/presentation.xml", FileKind.Pptx),
    ];

    /// <summary>
    /// The kind of the file in <paramref name="content"/>, or null if it is none of the accepted kinds (or a damaged
    /// Office file). The stream must be readable and seekable; it is read from its start and left where it was.
    /// Of an Office file only the ZIP's list of entries is read: nothing is decompressed.
    /// </summary>
    public static FileKind? Detect(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanRead || !content.CanSeek)
        {
            throw new ArgumentException("The stream must be readable and seekable.", nameof(content));
        }

        var position = content.Position;
        try
        {
            content.Position = 0;
            Span<byte> header = stackalloc byte[8];
            var read = content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            header = header[..read];

            if (header.StartsWith(PdfSignature))
            {
                return FileKind.Pdf;
            }

            if (header.StartsWith(PngSignature))
            {
                return FileKind.Png;
            }

            if (header.StartsWith(JpegSignature))
            {
                return FileKind.Jpeg;
            }

            if (header.StartsWith(ZipSignature))
            {
                content.Position = 0;
                return DetectOffice(content);
            }

            return null;
        }
        finally
        {
            content.Position = position;
        }
    }

    /// <summary>
    /// A Word, Excel or PowerPoint file: a ZIP with <c>[Content_Types].xml</c> and exactly one of the main parts. Opening
    /// a seekable stream in read mode reads only the central directory, so a zip bomb costs no more than its entry list.
    /// Macro-enabled documents (a <c>vbaProject.bin</c> part) are not accepted.
    /// </summary>
    private static FileKind? DetectOffice(Stream content)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                names.Add(entry.FullName);
            }

            if (!names.Contains(ContentTypesPart))
            {
                return null;
            }

            var kinds = OfficeMainParts.Where(p => names.Contains(p.MainPart)).Select(p => p.Kind).ToList();
            return kinds.Count == 1 ? kinds[0] : null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException or OverflowException)
        {
            // A damaged ZIP: bad headers, offsets before the start or past the end, impossible sizes.
            return null;
        }
    }
}
