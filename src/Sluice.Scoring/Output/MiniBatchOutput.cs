using Sluice.Scoring.Abstractions;

namespace Sluice.Scoring.Output;

/// <summary>One failed input of a mini-batch and why.</summary>
public sealed record FailedItem(string Item, string ErrorType, string Message);

/// <summary>
/// Collects a mini-batch's rows in memory until the run ends, so they are committed whole (or not at all). Rows added
/// after <see cref="BeginFile"/> belong to that file, which lets <see cref="Fail"/> drop a failed file's partial rows.
/// </summary>
public sealed class MiniBatchOutput : ScoreOutput
{
    private readonly List<object?[]> _rows = [];
    private readonly List<FailedItem> _failed = [];
    private readonly Dictionary<string, (int Start, int End)> _fileRows = new(StringComparer.Ordinal);
    private string? _currentFile;
    private int _currentStart;

    public IReadOnlyList<string>? Columns { get; private set; }

    public IReadOnlyList<object?[]> Rows => _rows;

    public IReadOnlyList<FailedItem> Failed => _failed;

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
        if (Columns is null)
        {
            throw new InvalidOperationException("Call SetColumns before adding rows, so the output file has a header.");
        }

        if (values.Length != Columns.Count)
        {
            throw new InvalidOperationException($"A row has {values.Length} values but the output has {Columns.Count} columns ({string.Join(", ", Columns)}).");
        }

        _rows.Add(values);
    }

    public override void BeginFile(string file)
    {
        CloseCurrentFile();
        _currentFile = file;
        _currentStart = _rows.Count;
    }

    public override void Fail(string file, string errorType, string message)
    {
        CloseCurrentFile();
        if (_fileRows.Remove(file, out var range) && range.End > range.Start)
        {
            _rows.RemoveRange(range.Start, range.End - range.Start);
            foreach (var key in _fileRows.Keys.ToList())
            {
                var other = _fileRows[key];
                if (other.Start >= range.End)
                {
                    _fileRows[key] = (other.Start - (range.End - range.Start), other.End - (range.End - range.Start));
                }
            }
        }

        _failed.Add(new FailedItem(file, errorType, message));
    }

    private void CloseCurrentFile()
    {
        if (_currentFile is not null)
        {
            _fileRows[_currentFile] = (_currentStart, _rows.Count);
            _currentFile = null;
        }
    }
}
