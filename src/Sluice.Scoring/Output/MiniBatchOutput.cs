using System.Globalization;
using System.Text;
using Sluice.Scoring.Abstractions;

namespace Sluice.Scoring.Output;

/// <summary>One failed input of a mini-batch and why.</summary>
public sealed record FailedItem(string Item, string ErrorType, string Message);

/// <summary>
/// Collects a mini-batch's rows until the run ends, so they are committed whole (or not at all). Rows are encoded as
/// CSV the moment they arrive — the buffer holds bytes, not objects, so a large mini-batch costs the garbage
/// collector nothing. Rows added after <see cref="BeginFile"/> belong to that file, which lets <see cref="Fail"/> drop a
/// failed file's partial rows.
/// </summary>
public sealed class MiniBatchOutput : ScoreOutput, IDisposable
{
    private readonly PooledByteBuffer _buffer = new();
    private readonly StreamWriter _writer;
    private readonly List<FailedItem> _failed = [];
    private readonly Dictionary<string, (long Start, long End, int Rows)> _fileRows = new(StringComparer.Ordinal);
    private string? _currentFile;
    private long _currentStart;
    private int _currentRows;
    private int _fieldsInRow = -1;

    public MiniBatchOutput()
    {
        // A small buffer: most mini-batches are small, and a 64 KB one (128 KB of chars, on the large-object heap) per
        // mini-batch cost more than the rows of a one-file mini-batch.
        _writer = new StreamWriter(_buffer, new UTF8Encoding(false), 4 * 1024, leaveOpen: true);
    }

    public IReadOnlyList<string>? Columns { get; private set; }

    public int RowCount { get; private set; }

    public IReadOnlyList<FailedItem> Failed => _failed;

    /// <summary>The files the scorer announced with <see cref="BeginFile"/> that produced no row and did not fail.</summary>
    public IEnumerable<string> FilesWithoutRows()
    {
        CloseCurrentFile();
        return _fileRows.Where(f => f.Value.Rows == 0).Select(f => f.Key);
    }

    public override void SetColumns(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (Columns is not null && !Columns.SequenceEqual(columns))
        {
            throw new InvalidOperationException($"The scorer changed its columns from ({string.Join(", ", Columns)}) to ({string.Join(", ", columns)}); every row of a job has the same columns.");
        }

        Columns = columns;
    }

    public override void AddRow(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        RequireColumns();
        if (values.Length != Columns!.Count)
        {
            throw new InvalidOperationException($"A row has {values.Length} values but the output has {Columns.Count} columns ({string.Join(", ", Columns)}).");
        }

        CsvRowWriter.WriteRow(_writer, values);
        RowCount++;
        _currentRows++;
    }

    // A typed row API for Sluice's own scorers: no boxing, no array per row.
    internal void BeginRow()
    {
        RequireColumns();
        _fieldsInRow = 0;
    }

    internal void Field(long value)
    {
        // Formatted on the stack: no string per row number or label.
        Span<char> text = stackalloc char[20];
        value.TryFormat(text, out var written, default, CultureInfo.InvariantCulture);
        Separator().Write(text[..written]);
    }

    internal void Field(float value)
    {
        Span<char> text = stackalloc char[32];
        Separator().Write(value.TryFormat(text, out var written, default, CultureInfo.InvariantCulture) ? text[..written] : value.ToString(CultureInfo.InvariantCulture));
    }

    internal void Field(object? value) => CsvRowWriter.WriteValue(Separator(), value);

    internal void EndRow()
    {
        if (_fieldsInRow != Columns!.Count)
        {
            throw new InvalidOperationException($"A row has {_fieldsInRow} values but the output has {Columns.Count} columns.");
        }

        _writer.Write('\n');
        _fieldsInRow = -1;
        RowCount++;
        _currentRows++;
    }

    public override void BeginFile(string file)
    {
        CloseCurrentFile();
        _writer.Flush();
        _currentFile = file;
        _currentStart = _buffer.Length;
        _currentRows = 0;
    }

    public override void Fail(string file, string errorType, string message)
    {
        CloseCurrentFile();
        _writer.Flush();
        if (_fileRows.Remove(file, out var range) && range.End > range.Start)
        {
            // Cut the file's bytes out of the buffer and shift what follows.
            var length = range.End - range.Start;
            _buffer.Remove(range.Start, length);
            RowCount -= range.Rows;
            foreach (var key in _fileRows.Keys.ToList())
            {
                var other = _fileRows[key];
                if (other.Start >= range.End)
                {
                    _fileRows[key] = (other.Start - length, other.End - length, other.Rows);
                }
            }
        }

        _failed.Add(new FailedItem(file, errorType, message));
    }

    /// <summary>Writes the header and every kept row as CSV; returns the bytes written.</summary>
    public async Task<long> CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        await _writer.FlushAsync(cancellationToken);
        var header = new StringWriter(CultureInfo.InvariantCulture);
        CsvRowWriter.WriteRow(header, Columns ?? []);
        var headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        await destination.WriteAsync(headerBytes, cancellationToken);
        await _buffer.CopyToAsync(destination, cancellationToken);
        return headerBytes.Length + _buffer.Length;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _buffer.Dispose();
    }

    private StreamWriter Separator()
    {
        if (_fieldsInRow++ > 0)
        {
            _writer.Write(',');
        }

        return _writer;
    }

    private void RequireColumns()
    {
        if (Columns is null)
        {
            throw new InvalidOperationException("Call SetColumns before adding rows, so the output file has a header.");
        }
    }

    private void CloseCurrentFile()
    {
        if (_currentFile is not null)
        {
            _writer.Flush();
            _fileRows[_currentFile] = (_currentStart, _buffer.Length, _currentRows);
            _currentFile = null;
        }
    }
}
