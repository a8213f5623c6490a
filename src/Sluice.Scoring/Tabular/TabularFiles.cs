namespace Sluice.Scoring.Tabular;

/// <summary>Reads the tabular formats the no-code scorer accepts, chosen by file extension.</summary>
public static class TabularFiles
{
    public static bool IsTabular(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".parquet";

    public static Task<TabularData> ReadAsync(string path, CancellationToken cancellationToken) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => Task.FromResult(CsvTableReader.Read(path, cancellationToken)),
            ".parquet" => ParquetTableReader.ReadAsync(path, cancellationToken),
            var other => throw new TabularFormatException($"'{Path.GetFileName(path)}' is not a tabular file ({(other.Length == 0 ? "no extension" : other)}); the no-code ONNX scorer reads .csv and .parquet files"),
        };
}
