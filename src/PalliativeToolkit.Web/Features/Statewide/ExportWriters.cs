using CsvHelper;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace PalliativeToolkit.Web.Features.Statewide;

/// <summary>
/// Writes exported views as they are read: CSV with CsvHelper (RFC 4180, UTF-8 with a byte order mark so that Excel reads
/// accents, text that starts like a formula escaped) and the workbook with MiniExcel (one sheet per view, numbers and
/// dates as such, the header row frozen). Neither holds more than a row and the writers' buffers.
/// </summary>
public static class ExportWriters
{
    /// <summary>The workbook writer's text buffer (characters): output leaves in pieces of about this much XML, compressed.</summary>
    public const int WorkbookBufferSize = 64 * 1024;

    /// <summary>Writes the table to <paramref name="output"/> (left open) and answers the number of rows below the header.</summary>
    public static async Task<int> WriteCsvAsync(ExportTable table, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        var options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, WriteByteOrderMark = true };
        var rows = 0;
        await using (var csv = CsvWriter.Create(output, options, leaveOpen: true))
        {
            csv.WriteHeader(table.Columns.Select(c => c.Name).ToArray());
            await foreach (var row in table.Rows(cancellationToken).WithCancellation(cancellationToken))
            {
                foreach (var value in row)
                {
                    WriteField(csv, value);
                }

                await csv.EndRecordAsync(cancellationToken);
                rows++;
            }

            await csv.FlushAsync(cancellationToken);
        }

        return rows;
    }

    /// <summary>
    /// Writes the tables as one workbook, a sheet each in their order, to <paramref name="output"/> (left open), and answers
    /// the number of rows below the headers. Each sheet's rows are read only when its turn comes.
    /// </summary>
    public static async Task<int> WriteWorkbookAsync(IReadOnlyList<ExportTable> tables, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        await using var sink = new AsyncOnlyStream(output);
        var readers = tables.Select(t => new ExportDataReader(t, cancellationToken)).ToList();
        try
        {
            var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var reader in readers)
            {
                sheets.Add(reader.Table.Sheet, reader);
            }

            var configuration = new OpenXmlConfiguration
            {
                BufferSize = WorkbookBufferSize,
                FreezeRowCount = 1,
                AutoFilter = true,
                TableStyles = TableStyles.Default,
                DynamicColumns = Formats(tables),
            };
            await sink.SaveAsAsync(sheets, printHeader: true, configuration: configuration, cancellationToken: cancellationToken);
            await sink.FlushAsync(cancellationToken);
            return readers.Sum(r => r.Rows);
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }

    private static void WriteField(CsvWriter csv, object? value)
    {
        switch (value)
        {
            case null:
                csv.WriteField((string?)null);
                break;
            case string text:
                csv.WriteField(text);
                break;
            case int number:
                csv.WriteField(number, default);
                break;
            case double share:
                csv.WriteField(Math.Round(share, 4), default);
                break;
            case DateOnly date:
                csv.WriteField(date, default);
                break;
            default:
                csv.WriteField(value.ToString());
                break;
        }
    }

    /// <summary>Excel's number formats of the share and date columns, by column name (MiniExcel matches them by name in every sheet).</summary>
    private static DynamicExcelColumn[] Formats(IReadOnlyList<ExportTable> tables)
    {
        var formats = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in tables.SelectMany(t => t.Columns))
        {
            var format = column.Format switch
            {
                ExportFormat.Share => "0%",
                ExportFormat.Date => "yyyy-mm-dd",
                _ => null,
            };
            if (format is null)
            {
                continue;
            }

            if (formats.TryGetValue(column.Name, out var existing) && existing != format)
            {
                throw new InvalidOperationException($"Two sheets have a column '{column.Name}' of different formats.");
            }

            formats[column.Name] = format;
        }

        return formats.Select(f => new DynamicExcelColumn(f.Key) { Format = f.Value }).ToArray();
    }

    /// <summary>A table as MiniExcel reads a sheet: the column names, then each row as it is produced.</summary>
    private sealed class ExportDataReader(ExportTable table, CancellationToken exportCancellation) : MiniExcelDataReaderBase
    {
        private IAsyncEnumerator<object?[]>? _rows;

        public ExportTable Table { get; } = table;

        public int Rows { get; private set; }

        public override int FieldCount => Table.Columns.Count;

        public override string GetName(int i) => Table.Columns[i].Name;

        public override Task<string> GetNameAsync(int i, CancellationToken cancellationToken = default) => Task.FromResult(GetName(i));

        public override object GetValue(int i) => _rows?.Current[i]!;

        public override Task<object> GetValueAsync(int i, CancellationToken cancellationToken = default) => Task.FromResult(GetValue(i));

        public override bool Read() => throw new NotSupportedException("The workbook reads its rows asynchronously.");

        public override async Task<bool> ReadAsync(CancellationToken cancellationToken = default)
        {
            // MiniExcel asks without a token: the export's own one cancels the rows.
            _rows ??= Table.Rows(exportCancellation).GetAsyncEnumerator(exportCancellation);
            if (!await _rows.MoveNextAsync())
            {
                return false;
            }

            Rows++;
            return true;
        }

        public override async ValueTask DisposeAsync()
        {
            if (_rows is not null)
            {
                await _rows.DisposeAsync();
                _rows = null;
            }

            await base.DisposeAsync();
        }
    }
}

/// <summary>
/// A write-only stream over a response body that never writes to it synchronously. The workbook's zip archive writes a
/// few things synchronously (each part's last buffer when it closes, the parts' descriptors, the central directory), and
/// ASP.NET Core refuses synchronous writes to a response; those writes are held here and sent with the next asynchronous
/// write or flush. What is held is at most one part's last buffer (compressed), whatever the number of rows.
/// </summary>
public sealed class AsyncOnlyStream(Stream inner) : Stream
{
    private readonly MemoryStream _held = new();

    /// <summary>The most bytes held at once.</summary>
    public long MostHeld { get; private set; }

    /// <summary>The bytes written to the inner stream so far.</summary>
    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _held.Write(buffer);
        MostHeld = Math.Max(MostHeld, _held.Length);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await ReleaseAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
        Written += buffer.Length;
    }

    /// <summary>A synchronous flush keeps what is held for the next asynchronous write or flush.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await ReleaseAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _held.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_held.Length == 0)
        {
            return;
        }

        var length = (int)_held.Length;
        await inner.WriteAsync(_held.GetBuffer().AsMemory(0, length), cancellationToken);
        Written += length;
        _held.SetLength(0);
    }
}
