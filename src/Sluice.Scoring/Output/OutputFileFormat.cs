namespace Sluice.Scoring.Output;

/// <summary>The format of an <c>append_row</c> output file, chosen by its name: CSV by default.</summary>
public enum OutputFileFormat
{
    Csv,
    JsonLines,
    Parquet,
}

public static class OutputFileFormats
{
    public static OutputFileFormat FromFileName(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => OutputFileFormat.JsonLines,
        ".parquet" => OutputFileFormat.Parquet,
        _ => OutputFileFormat.Csv,
    };
}
