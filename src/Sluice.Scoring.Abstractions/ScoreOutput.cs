namespace Sluice.Scoring.Abstractions;

/// <summary>
/// Collects what a mini-batch produced: rows (for <c>append_row</c> outputs), and the files that failed with why.
/// Declare the columns once with <see cref="SetColumns"/>; every row then has one value per column.
/// </summary>
public abstract class ScoreOutput
{
    /// <summary>Names the output columns; must be called before the first row, and with the same names on every mini-batch.</summary>
    public abstract void SetColumns(params string[] columns);

    /// <summary>Adds one output row. Values are written with the invariant culture; null is an empty field.</summary>
    public abstract void AddRow(params object?[] values);

    /// <summary>
    /// Marks one file of the mini-batch as failed: it counts against the deployment's error threshold and appears in
    /// the job's failed-items log. Rows already added for that file are discarded, so a file is scored whole or not at all.
    /// </summary>
    public abstract void Fail(string file, string errorType, string message);

    /// <summary>Marks the start of a file's rows, so a later <see cref="Fail"/> of that file can discard them.</summary>
    public abstract void BeginFile(string file);
}
