namespace Sluice.Scoring.Tabular;

/// <summary>Reads the tabular formats the no-code scorer accepts, chosen by file extension.</summary>
public static class TabularFiles
{
    public static bool IsTabular(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".parquet" or ".jsonl" or ".ndjson";

    public static Task<TabularData> ReadAsync(ScoringInput input, CancellationToken cancellationToken) =>
        input.Slice is not { } slice ? ReadAsync(input.LocalPath, cancellationToken)
        : Path.GetExtension(input.LocalPath).ToLowerInvariant() switch
        {
            ".csv" => Task.FromResult(CsvTableReader.ReadSlice(input.LocalPath, slice, cancellationToken)),
            ".jsonl" or ".ndjson" => Task.FromResult(JsonLinesTableReader.ReadSlice(input.LocalPath, slice, cancellationToken)),
            var other => throw new TabularFormatException($"'{Path.GetFileName(input.LocalPath)}' ({other}) cannot be read in slices"),
        };

    /// <summary>
    /// <see cref="ReadAsync(ScoringInput, CancellationToken)"/> for the scorer: whole CSV files are read into pooled
    /// buffers, which the caller returns with <see cref="TabularData.ReturnBuffer"/> once it has copied the rows.
    /// </summary>
    internal static Task<TabularData> ReadPooledAsync(ScoringInput input, CancellationToken cancellationToken) =>
        input.Slice is null && Path.GetExtension(input.LocalPath).Equals(".csv", StringComparison.OrdinalIgnoreCase)
            ? Task.FromResult(CsvTableReader.ReadPooled(input.LocalPath, cancellationToken))
            : ReadAsync(input, cancellationToken);

    public static Task<TabularData> ReadAsync(string path, CancellationToken cancellationToken) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => Task.FromResult(CsvTableReader.Read(path, cancellationToken)),
            ".parquet" => ParquetTableReader.ReadAsync(path, cancellationToken),
            ".jsonl" or ".ndjson" => Task.FromResult(JsonLinesTableReader.Read(path, cancellationToken)),
            var other => throw new TabularFormatException($"'{Path.GetFileName(path)}' is not a tabular file ({(other.Length == 0 ? "no extension" : other)}); the no-code ONNX scorer reads .csv, .parquet and .jsonl files"),
        };
}
