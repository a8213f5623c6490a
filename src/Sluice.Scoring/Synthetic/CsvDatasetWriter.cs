using System.Globalization;
using System.Text;

namespace Sluice.Scoring.Synthetic;

/// <summary>How <see cref="CsvDatasetWriter"/> lays a dataset out in files.</summary>
public sealed record CsvDatasetOptions
{
    /// <summary>How many data files to split the rows into (contiguous runs whose sizes differ by at most one). Default 1.</summary>
    public int Files { get; init; } = 1;

    /// <summary>Column headers for the features; default <c>f0, f1, …</c>. Must be distinct and need no CSV quoting.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>Whether the data files end with a label column. Default true; turn it off for scoring inputs.</summary>
    public bool IncludeLabel { get; init; } = true;

    /// <summary>The label column's header, in the data files and in the labels file. Default <c>label</c>.</summary>
    public string LabelColumn { get; init; } = "label";

    /// <summary>
    /// When set, also write every row's label to this file, with columns <c>file,row,label</c> (row counted from 0 within
    /// its file). Keep it outside the data folder: a batch job scores every file in its input folder.
    /// </summary>
    public string? LabelsPath { get; init; }

    /// <summary>Data files are named <c>{prefix}{index}.csv</c>, the index zero-padded so names sort in row order. Default <c>part-</c>.</summary>
    public string FileNamePrefix { get; init; } = "part-";
}

/// <summary>The files <see cref="CsvDatasetWriter"/> wrote.</summary>
public sealed record CsvDatasetFiles(IReadOnlyList<string> DataFiles, IReadOnlyList<int> RowsPerFile, string? LabelsFile);

/// <summary>
/// Writes labelled rows as CSV files: a header row, then one line per row, numbers in the invariant culture in their
/// shortest round-trip form (so parsing a value gives back the exact float). Rows are written as they are read, so a
/// streamed dataset of any size needs memory for one row only.
/// </summary>
public static class CsvDatasetWriter
{
    /// <summary>
    /// Writes an in-memory dataset into <paramref name="folder"/> (created if missing). Files of the same names are
    /// overwritten; other files in the folder are left alone.
    /// </summary>
    public static CsvDatasetFiles Write(TabularDataset dataset, string folder, CsvDatasetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Write(dataset.EnumerateRows(), dataset.RowCount, dataset.FeatureCount, folder, options, cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="rowCount"/> streamed rows (for example from <see cref="TabularDataset.Stream"/>) into
    /// <paramref name="folder"/> (created if missing). The count is needed up front to split the rows evenly.
    /// </summary>
    public static CsvDatasetFiles Write(IEnumerable<TabularRow> rows, int rowCount, int featureCount, string folder, CsvDatasetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        options ??= new CsvDatasetOptions();
        var featureNames = FeatureNames(options, featureCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Files, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Files, rowCount, nameof(options));

        Directory.CreateDirectory(folder);
        var header = string.Join(',', options.IncludeLabel ? [.. featureNames, options.LabelColumn] : featureNames);
        var digits = Math.Max(5, (options.Files - 1).ToString(CultureInfo.InvariantCulture).Length);
        var dataFiles = new List<string>(options.Files);
        var rowsPerFile = new List<int>(options.Files);
        var line = new StringBuilder();

        if (options.LabelsPath is { } labelsPath && Path.GetDirectoryName(Path.GetFullPath(labelsPath)) is { } labelsFolder)
        {
            Directory.CreateDirectory(labelsFolder);
        }

        using var labels = options.LabelsPath is null ? null : CreateWriter(options.LabelsPath);
        labels?.Write($"file,row,{options.LabelColumn}\n");

        using var source = rows.GetEnumerator();
        for (var file = 0; file < options.Files; file++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Rows [file * n / files, (file + 1) * n / files): even split without a remainder pile-up at the end.
            var count = (int)((long)(file + 1) * rowCount / options.Files - (long)file * rowCount / options.Files);
            var fileName = options.FileNamePrefix + file.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0') + ".csv";
            var path = Path.Combine(folder, fileName);
            using (var data = CreateWriter(path))
            {
                data.Write(header);
                data.Write('\n');
                for (var row = 0; row < count; row++)
                {
                    if (!source.MoveNext())
                    {
                        throw new ArgumentException($"The rows ended after {dataFiles.Count} files and {row} more rows, short of the {rowCount} promised.", nameof(rows));
                    }

                    var item = source.Current;
                    if (item.Features.Length != featureCount)
                    {
                        throw new ArgumentException($"A row has {item.Features.Length} features, not {featureCount}.", nameof(rows));
                    }

                    FormatRow(line, item, options.IncludeLabel);
                    data.Write(line);
                    labels?.Write($"{fileName},{row},{item.Label}\n");
                }
            }

            dataFiles.Add(path);
            rowsPerFile.Add(count);
        }

        if (source.MoveNext())
        {
            throw new ArgumentException($"The rows continue past the {rowCount} promised.", nameof(rows));
        }

        return new CsvDatasetFiles(dataFiles, rowsPerFile, options.LabelsPath);
    }

    private static void FormatRow(StringBuilder line, TabularRow row, bool includeLabel)
    {
        line.Clear();
        var features = row.Features.Span;
        for (var f = 0; f < features.Length; f++)
        {
            if (f > 0)
            {
                line.Append(',');
            }

            // .NET's default float format is the shortest string that parses back to the same value ("R" is redundant).
            line.Append(features[f].ToString(CultureInfo.InvariantCulture));
        }

        if (includeLabel)
        {
            line.Append(',').Append(row.Label.ToString(CultureInfo.InvariantCulture));
        }

        line.Append('\n');
    }

    private static string[] FeatureNames(CsvDatasetOptions options, int featureCount)
    {
        string[] names = options.FeatureNames is null
            ? [.. Enumerable.Range(0, featureCount).Select(f => "f" + f.ToString(CultureInfo.InvariantCulture))]
            : [.. options.FeatureNames];
        if (names.Length != featureCount)
        {
            throw new ArgumentException($"{names.Length} feature names for {featureCount} features.", nameof(options));
        }

        // Names are written as they are, unquoted, so they must not need quoting.
        string[] columns = [.. names, options.LabelColumn];
        if (columns.Any(c => string.IsNullOrEmpty(c) || c.AsSpan().IndexOfAny(",\"\r\n") >= 0))
        {
            throw new ArgumentException("Column names must be non-empty and contain no comma, quote or line break.", nameof(options));
        }

        if (options.IncludeLabel && columns.Distinct(StringComparer.Ordinal).Count() != columns.Length
            || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException("Column names must be distinct (the label column's too).", nameof(options));
        }

        return names;
    }

    private static StreamWriter CreateWriter(string path) =>
        new(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
}
