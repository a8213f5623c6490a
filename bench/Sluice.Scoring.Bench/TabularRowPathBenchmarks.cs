using BenchmarkDotNet.Attributes;
using Sluice.Scoring.Output;
using Sluice.Scoring.Synthetic;
using Sluice.Scoring.Tabular;

namespace Sluice.Scoring.Bench;

/// <summary>
/// The no-code scorer's row path, per mini-batch of <see cref="Rows"/> rows: a CSV file of 8 float columns parsed
/// into floats, and output rows (row, label, 3 probabilities, file name) encoded as CSV — typed, as Sluice's scorers
/// write, and boxed, as the public <c>AddRow</c> does. Compare the allocations of the two sizes: what grows with the
/// rows is the buffers holding the bytes themselves, not objects per row.
/// </summary>
[MemoryDiagnoser]
public class TabularRowPathBenchmarks
{
    private const int Features = 8;
    private static readonly string[] Columns = ["row", "prediction", "probability_0", "probability_1", "probability_2", "file_name"];

    private DirectoryInfo? _folder;
    private string _file = string.Empty;
    private long[] _labels = [];
    private float[] _probabilities = [];

    [Params(1_000, 10_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("sluice-row-path-");
        _file = CsvDatasetWriter.Write(TabularDataset.Generate(Rows, Features, 3, seed: 7), _folder.FullName, new CsvDatasetOptions { IncludeLabel = false }).DataFiles[0];
        var random = new Random(11);
        _labels = [.. Enumerable.Range(0, Rows).Select(_ => (long)random.Next(3))];
        _probabilities = [.. Enumerable.Range(0, Rows * 3).Select(_ => random.NextSingle())];
    }

    [GlobalCleanup]
    public void Cleanup() => _folder?.Delete(recursive: true);

    [Benchmark(Description = "parse CSV (8 floats per row)")]
    public int ParseCsv() => CsvTableReader.Read(_file, CancellationToken.None).Rows;

    [Benchmark(Description = "parse CSV into pooled buffers")]
    public int ParseCsvPooled()
    {
        var table = CsvTableReader.ReadPooled(_file, CancellationToken.None);
        table.ReturnBuffer();
        return table.Rows;
    }

    [Benchmark(Description = "encode rows, typed fields")]
    public int EncodeTyped()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns(Columns);
        output.BeginFile("part-00000.csv");
        for (var r = 0; r < Rows; r++)
        {
            output.BeginRow();
            output.Field((long)r);
            output.Field(_labels[r]);
            output.Field(_probabilities[r * 3]);
            output.Field(_probabilities[(r * 3) + 1]);
            output.Field(_probabilities[(r * 3) + 2]);
            output.Field("part-00000.csv");
            output.EndRow();
        }

        return output.RowCount;
    }

    [Benchmark(Baseline = true, Description = "encode rows, boxed AddRow")]
    public int EncodeBoxed()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns(Columns);
        output.BeginFile("part-00000.csv");
        for (var r = 0; r < Rows; r++)
        {
            output.AddRow(r, _labels[r], _probabilities[r * 3], _probabilities[(r * 3) + 1], _probabilities[(r * 3) + 2], "part-00000.csv");
        }

        return output.RowCount;
    }
}
