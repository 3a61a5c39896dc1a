using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PalliativeToolkit.Infrastructure.Files;

namespace PalliativeToolkit.Infrastructure.Tests;

public sealed class FileStorageTests : IDisposable
{
    private const long SmallLimit = 64 * 1024;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptk-files", Guid.NewGuid().ToString("N"));

    private string StoreFolder => Path.Combine(_folder, "store");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    // A PDF, a 1×1 JPEG and a 1×1 PNG as written by real tools, and the three Office formats as Office lays them out.
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    private static readonly byte[] Jpeg = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAB//EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AQH//2Q==");

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABAQAAAAA3bvkkAAAACklEQVQI12NoAAAAggCB3UNq9AAAAABJRU5ErkJggg==");

    private static readonly byte[] Executable = [(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00];

    private static byte[] Bytes(FileKind kind) => kind switch
    {
        FileKind.Pdf => Pdf,
        FileKind.Png => Png,
        FileKind.Jpeg => Jpeg,
        FileKind.Docx => Office("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            """<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Plan</w:t></w:r></w:p></w:body></w:document>"""),
        FileKind.Xlsx => Office("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            """<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>"""),
        FileKind.Pptx => Office("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
            """<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>"""),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] Office(string mainPart, string mainContentType, string mainXml) => Zip(
        ("[Content_Types].xml",
            $"""<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/{mainPart}" ContentType="{mainContentType}"/></Types>"""),
        ("_rels/.rels",
            $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{mainPart}"/></Relationships>"""),
        (mainPart, mainXml));

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }

    private FolderFileStore Store(long maxBytes = SmallLimit) => new(StoreFolder, maxBytes);

    private static bool Opens(IFileStore store, string key)
    {
        using var stream = store.OpenRead(key);
        return stream is not null;
    }

    private string[] FilesLeft() => Directory.Exists(StoreFolder) ? Directory.GetFiles(StoreFolder, "*", SearchOption.AllDirectories) : [];

    [Theory]
    [InlineData(FileKind.Pdf)]
    [InlineData(FileKind.Docx)]
    [InlineData(FileKind.Xlsx)]
    [InlineData(FileKind.Pptx)]
    [InlineData(FileKind.Png)]
    [InlineData(FileKind.Jpeg)]
    public async Task Each_accepted_kind_is_told_from_its_bytes_and_stored(FileKind kind)
    {
        using var content = new MemoryStream(Bytes(kind));
        content.Position = 3;

        Assert.Equal(kind, FileSniffer.Detect(content));
        Assert.Equal(3, content.Position);

        content.Position = 0;
        var stored = await Store().SaveAsync(content, TestContext.Current.CancellationToken);
        Assert.Equal(kind, stored.Kind);
    }

    [Fact]
    public async Task A_saved_file_reads_back_byte_for_byte_under_an_opaque_key_and_is_gone_once_deleted()
    {
        var bytes = Bytes(FileKind.Docx);
        var store = Store();

        var stored = await store.SaveAsync(new OneWayStream(bytes), TestContext.Current.CancellationToken);

        Assert.Matches("^[0-9a-f]{32}$", stored.Key);
        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256Hex);
        var file = Assert.Single(FilesLeft());
        Assert.Equal(Path.Combine(StoreFolder, stored.Key[..2], stored.Key[2..4], stored.Key), file);
        await using (var read = store.OpenRead(stored.Key))
        {
            Assert.NotNull(read);
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy, TestContext.Current.CancellationToken);
            Assert.Equal(bytes, copy.ToArray());
        }

        var other = await store.SaveAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken);
        Assert.NotEqual(stored.Key, other.Key);
        Assert.Equal(stored.Sha256Hex, other.Sha256Hex);

        await store.DeleteAsync(stored.Key);
        Assert.Null(store.OpenRead(stored.Key));
        await store.DeleteAsync(stored.Key);
        Assert.True(Opens(store, other.Key));
    }

    [Fact]
    public async Task A_renamed_executable_is_refused_and_nothing_is_kept()
    {
        Assert.Null(FileSniffer.Detect(new MemoryStream(Executable)));

        var refused = await Assert.ThrowsAsync<FileRefusedException>(() => Store().SaveAsync(new MemoryStream(Executable), TestContext.Current.CancellationToken));

        Assert.Equal(FileRefusal.TypeNotAllowed, refused.Reason);
        Assert.Equal("Only PDF, Word, Excel, PowerPoint, PNG and JPEG files can be uploaded; this file's contents are none of these.", refused.Message);
        Assert.Empty(FilesLeft());
    }

    [Theory]
    [InlineData("Just some text.\n")]
    [InlineData("<html><body>%PDF-1.4</body></html>")]
    [InlineData("PK")]
    [InlineData("%PDF")]
    [InlineData("\u00FF")]
    public void Other_contents_are_no_accepted_kind(string text)
    {
        Assert.Null(FileSniffer.Detect(new MemoryStream(Encoding.Latin1.GetBytes(text))));
    }

    [Fact]
    public void A_zip_is_an_office_file_only_with_the_content_types_and_exactly_one_main_part()
    {
        Assert.Null(FileSniffer.Detect(new MemoryStream(Zip(("notes.txt", "hello"), ("images/cat.png", "meow")))));
        Assert.Null(FileSniffer.Detect(new MemoryStream(Zip(("word/document.xml", "<w:document/>")))));
        Assert.Null(FileSniffer.Detect(new MemoryStream(Zip(("[Content_Types].xml", "<Types/>"), ("docProps/app.xml", "<Properties/>")))));
        Assert.Null(FileSniffer.Detect(new MemoryStream(Zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"), ("xl/workbook.xml", "<workbook/>")))));
        Assert.Equal(FileKind.Xlsx, FileSniffer.Detect(new MemoryStream(Zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")))));
    }

    [Fact]
    public void A_macro_enabled_document_is_refused_whatever_it_is_called()
    {
        var docm = Zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"), ("word/vbaProject.bin", "Sub AutoOpen()"));

        Assert.Null(FileSniffer.Detect(new MemoryStream(docm)));
    }

    [Fact]
    public async Task A_zip_with_other_entries_is_refused()
    {
        var refused = await Assert.ThrowsAsync<FileRefusedException>(
            () => Store().SaveAsync(new MemoryStream(Zip(("readme.txt", "hello"))), TestContext.Current.CancellationToken));

        Assert.Equal(FileRefusal.TypeNotAllowed, refused.Reason);
        Assert.Empty(FilesLeft());
    }

    [Fact]
    public async Task A_corrupt_zip_is_refused_without_an_exception_from_the_sniffer()
    {
        byte[] corrupt = [.. "PK\u0003\u0004"u8, .. Encoding.ASCII.GetBytes(new string('x', 200))];
        Assert.Null(FileSniffer.Detect(new MemoryStream(corrupt)));

        var refused = await Assert.ThrowsAsync<FileRefusedException>(() => Store().SaveAsync(new MemoryStream(corrupt), TestContext.Current.CancellationToken));
        Assert.Equal(FileRefusal.TypeNotAllowed, refused.Reason);
        Assert.Empty(FilesLeft());
    }

    [Fact]
    public void Truncated_and_damaged_office_files_never_make_the_sniffer_throw()
    {
        var docx = Bytes(FileKind.Docx);
        var random = new Random(20260);
        for (var length = 4; length < docx.Length; length++)
        {
            var kind = FileSniffer.Detect(new MemoryStream(docx, 0, length));
            Assert.True(kind is null or FileKind.Docx);
        }

        for (var i = 0; i < 5000; i++)
        {
            var damaged = (byte[])docx.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                // Half the damage lands in the central directory (the last entries' headers), which is what is read.
                var at = i % 2 == 0 ? random.Next(4, damaged.Length) : random.Next(damaged.Length - 200, damaged.Length);
                damaged[at] = (byte)random.Next(256);
            }

            var kind = FileSniffer.Detect(new MemoryStream(damaged));
            Assert.True(kind is null or FileKind.Docx);
        }
    }

    [Fact]
    public void The_sniffer_reads_only_the_list_of_entries_of_a_zip_bomb()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml").Open().Dispose();
            using var document = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                document.Write(zeros);
            }
        }

        Assert.True(buffer.Length < 1024 * 1024);
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(FileKind.Docx, FileSniffer.Detect(buffer));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024);
    }

    [Fact]
    public async Task A_file_larger_than_the_limit_is_refused_with_the_limit_in_the_message_and_nothing_is_kept()
    {
        var store = Store(maxBytes: 10 * 1024 * 1024);
        var tooLarge = new byte[10 * 1024 * 1024 + 1];
        Pdf.CopyTo(tooLarge, 0);

        var seekable = await Assert.ThrowsAsync<FileRefusedException>(() => store.SaveAsync(new MemoryStream(tooLarge), TestContext.Current.CancellationToken));
        var streamed = await Assert.ThrowsAsync<FileRefusedException>(() => store.SaveAsync(new OneWayStream(tooLarge), TestContext.Current.CancellationToken));

        Assert.All(new[] { seekable, streamed }, e => Assert.Equal(FileRefusal.TooLarge, e.Reason));
        Assert.All(new[] { seekable, streamed }, e => Assert.Equal("The file is larger than 10 MB.", e.Message));
        Assert.Empty(FilesLeft());
    }

    [Fact]
    public async Task A_file_of_exactly_the_limit_is_stored()
    {
        var bytes = new byte[SmallLimit];
        Pdf.CopyTo(bytes, 0);

        var stored = await Store().SaveAsync(new OneWayStream(bytes), TestContext.Current.CancellationToken);

        Assert.Equal(SmallLimit, stored.Length);
    }

    [Fact]
    public async Task Reading_stops_as_soon_as_the_limit_is_passed()
    {
        // An endless upload that fails the test if more than the limit and one buffer is asked of it.
        var endless = new OneWayStream(Pdf, endlessFill: true, failAfter: SmallLimit + 80 * 1024);

        var refused = await Assert.ThrowsAsync<FileRefusedException>(() => Store().SaveAsync(endless, TestContext.Current.CancellationToken));

        Assert.Equal(FileRefusal.TooLarge, refused.Reason);
        Assert.Equal("The file is larger than 64 KB.", refused.Message);
        Assert.Equal(SmallLimit + 1, endless.Served);
        Assert.Empty(FilesLeft());
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var refused = await Assert.ThrowsAsync<FileRefusedException>(() => Store().SaveAsync(new OneWayStream([]), TestContext.Current.CancellationToken));

        Assert.Equal(FileRefusal.Empty, refused.Reason);
        Assert.Equal("The file is empty.", refused.Message);
        Assert.Empty(FilesLeft());
    }

    [Fact]
    public async Task A_cancelled_upload_leaves_nothing_behind()
    {
        using var cancellation = new CancellationTokenSource();
        var upload = new OneWayStream(Pdf, endlessFill: true, failAfter: long.MaxValue, afterFirstRead: cancellation.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store(maxBytes: 1024 * 1024).SaveAsync(upload, cancellation.Token));

        Assert.Empty(FilesLeft());
    }

    [Fact]
    public async Task A_key_that_is_not_exactly_32_lower_case_hex_digits_opens_nothing()
    {
        var store = Store();
        var stored = await store.SaveAsync(new MemoryStream(Pdf), TestContext.Current.CancellationToken);
        var outside = Path.Combine(_folder, "secret.txt");
        await File.WriteAllTextAsync(outside, "not for you", TestContext.Current.CancellationToken);
        var shard = Path.Combine(stored.Key[..2], stored.Key[2..4], stored.Key);

        string[] keys =
        [
            "../secret.txt", "..\\secret.txt", "../x", outside, "/etc/passwd", "C:\\Windows\\win.ini", shard, "",
            stored.Key.ToUpperInvariant(), stored.Key[..31], stored.Key + "0", " " + stored.Key[1..], stored.Key[..30] + "/.",
            "../../../../../../../../../../etc/passwd"[..32],
        ];
        foreach (var key in keys)
        {
            Assert.False(FolderFileStore.IsWellFormedKey(key), key);
            Assert.Null(store.OpenRead(key));
            await store.DeleteAsync(key);
        }

        Assert.True(File.Exists(outside));
        Assert.Null(store.OpenRead(new string('0', 32)));
        await store.DeleteAsync(new string('0', 32));
        Assert.True(Opens(store, stored.Key));
    }

    [Theory]
    [InlineData("report.exe", FileKind.Pdf, "report.pdf")]
    [InlineData("../../etc/passwd", FileKind.Pdf, "passwd.pdf")]
    [InlineData("C:\\Users\\pat\\Desktop\\Care plan.docx", FileKind.Docx, "Care plan.docx")]
    [InlineData("Care plan.DOCX", FileKind.Docx, "Care plan.docx")]
    [InlineData("photo.jpeg", FileKind.Jpeg, "photo.jpg")]
    [InlineData("report.pdf.exe", FileKind.Pdf, "report.pdf")]
    [InlineData("budget", FileKind.Xlsx, "budget.xlsx")]
    [InlineData("Minutes 2024.03.01", FileKind.Pdf, "Minutes 2024.03.01.pdf")]
    [InlineData("  Team \t\r\n  meeting   notes .pptx ", FileKind.Pptx, "Team meeting notes.pptx")]
    [InlineData("a\"b'c;d<e>f:g|h?i*j`k.png", FileKind.Png, "abcdefghijk.png")]
    [InlineData("inv\u202Efdp.exe", FileKind.Pdf, "invfdp.pdf")]
    [InlineData("bell\u0007\u0000.pdf", FileKind.Pdf, "bell.pdf")]
    [InlineData("..", FileKind.Pdf, "document.pdf")]
    [InlineData("folder/", FileKind.Pdf, "document.pdf")]
    [InlineData("\";", FileKind.Pdf, "document.pdf")]
    [InlineData("", FileKind.Docx, "document.docx")]
    [InlineData(null, FileKind.Docx, "document.docx")]
    [InlineData("CON.txt", FileKind.Pdf, "document.pdf")]
    [InlineData(".bashrc", FileKind.Pdf, "bashrc.pdf")]
    [InlineData("Plan für Évaluation.docx", FileKind.Docx, "Plan für Évaluation.docx")]
    public void A_download_name_is_safe_and_ends_in_the_kinds_extension(string? name, FileKind kind, string expected)
    {
        Assert.Equal(expected, SafeFileName.For(name, kind));
    }

    [Fact]
    public void A_download_name_is_at_most_100_characters_and_never_splits_a_character()
    {
        var cut = SafeFileName.For(new string('a', 300) + ".docx", FileKind.Docx);
        Assert.Equal(100, cut.Length);
        Assert.Equal(new string('a', 95) + ".docx", cut);

        var emoji = SafeFileName.For(new string('a', 95) + "😀😀.pdf", FileKind.Pdf);
        Assert.Equal(new string('a', 95) + ".pdf", emoji);
        Assert.Equal(new string('a', 94) + "😀.pdf", SafeFileName.For(new string('a', 94) + "😀😀", FileKind.Pdf));
    }

    [Fact]
    public void Each_kind_has_its_content_type_extension_and_label()
    {
        (string, string, string)[] expected =
        [
            ("application/pdf", ".pdf", "PDF"),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word document"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel workbook"),
            ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "PowerPoint presentation"),
            ("image/png", ".png", "PNG image"),
            ("image/jpeg", ".jpg", "JPEG image"),
        ];

        Assert.Equal(expected, FileKinds.All.Select(k => (k.ContentType(), k.Extension(), k.Label())));
    }

    [Fact]
    public async Task Registered_storage_keeps_files_under_the_content_root_by_default()
    {
        using var services = Services([]);

        services.GetRequiredService<IStartupValidator>().Validate();
        var store = services.GetRequiredService<IFileStore>();
        var stored = await store.SaveAsync(new MemoryStream(Png), TestContext.Current.CancellationToken);

        Assert.Equal(10L * 1024 * 1024, store.MaxBytes);
        Assert.True(File.Exists(Path.Combine(_folder, "App_Data", "files", stored.Key[..2], stored.Key[2..4], stored.Key)));
    }

    [Theory]
    [InlineData("Files:MaxBytes", "0")]
    [InlineData("Files:MaxBytes", "-1")]
    [InlineData("Files:MaxBytes", "104857601")]
    [InlineData("Files:Directory", " ")]
    public void Bad_settings_stop_start_up(string key, string value)
    {
        using var services = Services(new() { [key] = value });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddFileStorage(configuration, _folder).BuildServiceProvider();
    }

    /// <summary>
    /// An upload as a browser sends it: read once, front to back, length unknown. With <c>endlessFill</c> it never ends
    /// (zeros after <c>bytes</c>), and asking for more than <c>failAfter</c> bytes fails the test.
    /// </summary>
    private sealed class OneWayStream(byte[] bytes, bool endlessFill = false, long failAfter = long.MaxValue, Action? afterFirstRead = null) : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var available = endlessFill ? buffer.Length : (int)Math.Min(buffer.Length, bytes.Length - Served);
            Assert.True(Served + available <= failAfter, $"Read past {failAfter} bytes.");
            buffer[..available].Clear();
            if (Served < bytes.Length)
            {
                var from = bytes.AsSpan((int)Served);
                from[..Math.Min(from.Length, available)].CopyTo(buffer);
            }

            Served += available;
            if (afterFirstRead is not null)
            {
                afterFirstRead();
                afterFirstRead = null;
            }

            return available;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
