using System.Globalization;
using System.Text;
using Sluice.Scoring.Abstractions;
using Sluice.Scoring.Onnx;
using Sluice.Scoring.Output;
using Sluice.Scoring.Synthetic;

namespace Sluice.Scoring.Tests.Onnx;

/// <summary>
/// The scorer fills each inference batch with rows of as many files as it takes; the output must be exactly what
/// scoring the files one at a time gives, and a file that fails between others must fail alone.
/// </summary>
public sealed class OnnxTabularScorerBatchingTests : IDisposable
{
    private const int Features = 4;
    private const int Classes = 3;

    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("sluice-onnx-batching-tests-");
    private readonly StringWriter log = new(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        log.Dispose();
        temp.Delete(recursive: true);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string PathOf(params string[] parts) => Path.Combine([temp.FullName, .. parts]);

    private string SaveModel(int seed)
    {
        var model = LogisticRegressionTrainer.Fit(TabularDataset.Generate(600, Features, Classes, seed), epochs: 50, seed: seed);
        var path = PathOf("model.onnx");
        File.WriteAllBytes(path, SyntheticModels.LogisticRegression(model));
        return path;
    }

    /// <summary>CSV files of the given row counts, named a.csv, b.csv, … in order.</summary>
    private List<string> WriteFiles(params int[] rows)
    {
        var paths = new List<string>();
        for (var i = 0; i < rows.Length; i++)
        {
            var folder = PathOf($"in-{i}");
            var file = CsvDatasetWriter.Write(TabularDataset.Generate(rows[i], Features, Classes, seed: 100 + i), folder, new CsvDatasetOptions { IncludeLabel = false }, Token).DataFiles[0];
            var named = PathOf($"{(char)('a' + i)}.csv");
            File.Move(file, named);
            paths.Add(named);
        }

        return paths;
    }

    private async Task<(string Text, MiniBatchOutput Output)> ScoreAsync(string model, IReadOnlyList<string> files)
    {
        using var scorer = new OnnxTabularScorer(intraOpThreads: 1);
        await ((IBatchScorer)scorer).InitAsync(new ScorerContext(model, outputFolder: null, new Dictionary<string, string>(), "worker-0", log), Token);
        var output = new MiniBatchOutput();
        await ((IBatchScorer)scorer).RunAsync(files, output, Token);
        using var bytes = new MemoryStream();
        await output.CopyToAsync(bytes, Token);
        return (Encoding.UTF8.GetString(bytes.ToArray()), output);
    }

    /// <summary>Each file scored in a mini-batch of its own, outputs concatenated under one header.</summary>
    private async Task<string> ScoreOneByOneAsync(string model, IEnumerable<string> files)
    {
        var text = new StringBuilder();
        foreach (var file in files)
        {
            var (part, output) = await ScoreAsync(model, [file]);
            output.Dispose();
            text.Append(text.Length == 0 ? part : part[(part.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        }

        return text.ToString();
    }

    [Fact]
    public async Task RunAsync_SmallFilesSharingBatches_GivesTheBytesOfScoringEachFileAlone()
    {
        var model = SaveModel(seed: 1);
        // 300 + 500 + 700 rows cross the first batch boundary inside c.csv; d.csv spans two more boundaries.
        var files = WriteFiles(300, 500, 700, 2 * OnnxTabularScorer.BatchRows, 1);

        var (together, output) = await ScoreAsync(model, files);
        using (output)
        {
            Assert.Equal(300 + 500 + 700 + (2 * OnnxTabularScorer.BatchRows) + 1, output.RowCount);
            Assert.Empty(output.Failed);
        }

        Assert.Equal(await ScoreOneByOneAsync(model, files), together);
        var lines = together.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0", lines[301].Split(',')[0]);
        Assert.EndsWith(",b.csv", lines[301], StringComparison.Ordinal);
        Assert.Equal("499", lines[800].Split(',')[0]);
    }

    [Fact]
    public async Task RunAsync_UnreadableFileBetweenBatchedFiles_FailsOnlyThatFile()
    {
        var model = SaveModel(seed: 2);
        var files = WriteFiles(200, 100, 400);
        // b.csv goes bad on its last line, after rows of a.csv wait in the batch.
        File.AppendAllText(files[1], "1,2,three,4\n");

        var (text, output) = await ScoreAsync(model, files);
        using (output)
        {
            var failed = Assert.Single(output.Failed);
            Assert.Equal(files[1], failed.Item);
            Assert.Equal("InvalidInputFile", failed.ErrorType);
            Assert.Contains("'three'", failed.Message, StringComparison.Ordinal);
            Assert.Equal(600, output.RowCount);
            Assert.Empty(output.FilesWithoutRows());
        }

        Assert.Equal(await ScoreOneByOneAsync(model, [files[0], files[2]]), text);
        Assert.DoesNotContain(",b.csv", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SchemaMismatchBetweenBatchedFiles_FailsOnlyThatFile()
    {
        var model = SaveModel(seed: 3);
        var files = WriteFiles(150, 150);
        var wide = PathOf("wide.csv");
        File.WriteAllText(wide, "x0,x1,x2,x3,x4\n1,2,3,4,5\n");

        var (text, output) = await ScoreAsync(model, [files[0], wide, files[1]]);
        using (output)
        {
            var failed = Assert.Single(output.Failed);
            Assert.Equal(wide, failed.Item);
            Assert.Equal("SchemaMismatch", failed.ErrorType);
            Assert.Equal(300, output.RowCount);
        }

        Assert.Equal(await ScoreOneByOneAsync(model, files), text);
    }

    [Fact]
    public async Task RunAsync_HeaderOnlyFileBetweenBatchedFiles_IsReportedWithoutRows()
    {
        var model = SaveModel(seed: 4);
        var files = WriteFiles(10, 10);
        var empty = PathOf("empty.csv");
        File.WriteAllText(empty, "x0,x1,x2,x3\n");

        var (_, output) = await ScoreAsync(model, [files[0], empty, files[1]]);
        using (output)
        {
            Assert.Equal([empty], output.FilesWithoutRows());
            Assert.Equal(20, output.RowCount);
            Assert.Empty(output.Failed);
        }
    }
}
