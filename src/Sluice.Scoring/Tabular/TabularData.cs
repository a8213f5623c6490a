namespace Sluice.Scoring.Tabular;

/// <summary>A tabular file's numeric content: column names and row-major values.</summary>
public sealed class TabularData(IReadOnlyList<string> columns, float[] values, int rows)
{
    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>Row-major: row <c>r</c>, column <c>c</c> is at <c>r * Columns.Count + c</c>.</summary>
    public float[] Values { get; } = values;

    public int Rows { get; } = rows;

    /// <summary>Values were rented from the shared pool (and may be longer than the rows); see <see cref="ReturnBuffer"/>.</summary>
    internal bool IsPooled { get; init; }

    private int _returned;

    /// <summary>Gives pooled values back; the table must not be read afterwards. Does nothing for other tables.</summary>
    internal void ReturnBuffer()
    {
        if (IsPooled && Interlocked.Exchange(ref _returned, 1) == 0)
        {
            ScoringBuffers.Floats.Return(Values);
        }
    }

    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A file that cannot be read as a table; <see cref="Line"/> is 1-based when the problem sits on a line.</summary>
public sealed class TabularFormatException : Exception
{
    public TabularFormatException(string message, long line = 0)
        : base(message)
    {
        Line = line;
    }

    public TabularFormatException()
    {
    }

    public TabularFormatException(string message)
        : base(message)
    {
    }

    public TabularFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long Line { get; }
}
