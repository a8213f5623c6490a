using System.Globalization;
using System.Text;
using Parquet.Schema;
using Sluice.Scoring.Abstractions;
using Sluice.Scoring.Onnx;
using Sluice.Scoring.Output;
using Sluice.Scoring.Synthetic;
using Sluice.Scoring.Tests.Synthetic;
using Sluice.Scoring.Tests.Tabular;

namespace Sluice.Scoring.Tests.Onnx;

public sealed class OnnxTabularScorerTests : IDisposable
{
    private const int Features = 4;
    private const int Classes = 3;

    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("sluice-onnx-scorer-tests-");
    private readonly StringWriter log = new(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        log.Dispose();
        temp.Delete(recursive: true);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string PathOf(params string[] parts) => Path.Combine([temp.FullName, .. parts]);

    private ScorerContext Context(string modelPath) =>
        new(modelPath, outputFolder: null, new Dictionary<string, string>(), "worker-0", log);

    private static LogisticRegressionModel Train(int seed, int features = Features) =>
        LogisticRegressionTrainer.Fit(TabularDataset.Generate(600, features, Classes, seed), epochs: 100, seed: seed);

    private string SaveModel(byte[] model, string name = "model.onnx")
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, model);
        return path;
    }

    /// <summary>Writes the rows, without labels, as CSV files in a folder of their own; returns their paths in row order.</summary>
    private IReadOnlyList<string> WriteCsv(TabularDataset data, string folder, int files = 1) =>
        CsvDatasetWriter.Write(data, PathOf(folder), new CsvDatasetOptions { Files = files, IncludeLabel = false }, Token).DataFiles;

    private async Task<MiniBatchOutput> ScoreAsync(string modelPath, params IReadOnlyList<string> miniBatch)
    {
        // Driven through the interface, as a worker drives any scorer.
        using var scorer = new OnnxTabularScorer(intraOpThreads: 1);
        await ((IBatchScorer)scorer).InitAsync(Context(modelPath), Token);
        var output = new MiniBatchOutput();
        await ((IBatchScorer)scorer).RunAsync(miniBatch, output, Token);
        return output;
    }

    /// <summary>Every row of <paramref name="data"/> has its row number, the reference prediction and probabilities, and its file's name.</summary>
    private static void AssertClassified(ScoredOutput scored, LogisticRegressionModel model, TabularDataset data, IEnumerable<string[]> rows, string fileName)
    {
        var list = rows.ToList();
        Assert.Equal(data.RowCount, list.Count);
        var expected = Reference.Softmax(Reference.Affine(Reference.Matrix(data.Features.Span, data.RowCount, data.FeatureCount), model.GetWeights(), model.GetBias()));
        for (var r = 0; r < list.Count; r++)
        {
            var fields = list[r];
            Assert.Equal(r, ScoredOutput.Long(fields[scored.Column("row")]));
            Assert.Equal(model.Predict(data.Row(r)), ScoredOutput.Long(fields[scored.Column("prediction")]));
            for (var c = 0; c < model.ClassCount; c++)
            {
                Assert.Equal(expected[r, c], ScoredOutput.Float(fields[scored.Column($"probability_{c}")]), 1e-4);
            }

            Assert.Equal(fileName, fields[scored.Column("file_name")]);
        }
    }

    [Fact]
    public async Task RunAsync_LogisticModel_ScoresEveryCsvRowLikeTheReference()
    {
        var model = Train(seed: 1);
        var data = TabularDataset.Generate(300, Features, Classes, seed: 2);
        var files = WriteCsv(data, "in", files: 2);
        var modelPath = SaveModel(SyntheticModels.LogisticRegression(model));

        using var output = await ScoreAsync(modelPath, files);

        var scored = await ScoredOutput.ReadAsync(output);
        Assert.Equal(["row", "prediction", "probability_0", "probability_1", "probability_2", "file_name"], scored.Header);
        Assert.Equal(300, output.RowCount);
        Assert.Empty(output.Failed);
        AssertClassified(scored, model, data.Slice(0, 150), scored.Rows.Take(150), "part-00000.csv");
        AssertClassified(scored, model, data.Slice(150, 150), scored.Rows.Skip(150), "part-00001.csv");
    }

    [Fact]
    public async Task RunAsync_LogisticModel_ProbabilitiesOfEachRowSumToOne()
    {
        var model = Train(seed: 3);
        var files = WriteCsv(TabularDataset.Generate(50, Features, Classes, seed: 4), "in");
        using var output = await ScoreAsync(SaveModel(SyntheticModels.LogisticRegression(model)), files);

        var scored = await ScoredOutput.ReadAsync(output);

        Assert.All(scored.Rows, r => Assert.Equal(1.0, r[2..5].Sum(p => (double)ScoredOutput.Float(p)), 1e-5));
    }

    [Fact]
    public async Task RunAsync_MoreRowsThanOneBatch_NumbersRowsContinuouslyPerFile()
    {
        var model = Train(seed: 5);
        var rows = (2 * OnnxTabularScorer.BatchRows) + 452;
        var big = TabularDataset.Generate(rows, Features, Classes, seed: 6);
        var small = TabularDataset.Generate(10, Features, Classes, seed: 7);
        var bigFile = Assert.Single(WriteCsv(big, "big"));
        var smallFile = Assert.Single(WriteCsv(small, "small"));
        var smallRenamed = Path.Combine(Path.GetDirectoryName(smallFile)!, "small.csv");
        File.Move(smallFile, smallRenamed);

        using var output = await ScoreAsync(SaveModel(SyntheticModels.LogisticRegression(model)), bigFile, smallRenamed);

        var scored = await ScoredOutput.ReadAsync(output);
        Assert.Equal(rows + 10, output.RowCount);
        AssertClassified(scored, model, big, scored.RowsOf("part-00000.csv"), "part-00000.csv");
        AssertClassified(scored, model, small, scored.RowsOf("small.csv"), "small.csv");
        Assert.Equal(Enumerable.Range(0, rows).Concat(Enumerable.Range(0, 10)).Select(r => (long)r), scored.Rows.Select(r => ScoredOutput.Long(r[0])));
    }

    [Fact]
    public async Task RunAsync_NamedInputsModel_TakesSameNamedColumnsWhateverTheirOrderAndExtras()
    {
        var model = Train(seed: 8, features: 3);
        var modelPath = SaveModel(SyntheticModels.NamedInputsLogistic(["age", "income", "tenure"], model.GetWeights(), model.GetBias()));
        var data = TabularDataset.Generate(40, 3, Classes, seed: 9);
        var file = PathOf("customers.csv");
        var text = new StringBuilder("id,tenure,noise,age,income\n");
        for (var r = 0; r < data.RowCount; r++)
        {
            var row = data.Row(r);
            text.Append(CultureInfo.InvariantCulture, $"{r + 1000},{row[2]:R},{-r * 7.5},{row[0]:R},{row[1]:R}\n");
        }

        await File.WriteAllTextAsync(file, text.ToString(), Token);

        using var output = await ScoreAsync(modelPath, file);

        var scored = await ScoredOutput.ReadAsync(output);
        Assert.Empty(output.Failed);
        Assert.Equal(["row", "prediction", "probability_0", "probability_1", "probability_2", "file_name"], scored.Header);
        AssertClassified(scored, model, data, scored.Rows, "customers.csv");
    }

    [Fact]
    public async Task RunAsync_NamedInputsModel_FileMissingAColumn_FailsThatFileOnly()
    {
        var model = Train(seed: 10, features: 3);
        var modelPath = SaveModel(SyntheticModels.NamedInputsLogistic(["age", "income", "tenure"], model.GetWeights(), model.GetBias()));
        var first = PathOf("first.csv");
        var missing = PathOf("missing.csv");
        var last = PathOf("last.csv");
        await File.WriteAllTextAsync(first, "age,income,tenure\n1,2,3\n4,5,6\n", Token);
        await File.WriteAllTextAsync(missing, "age,salary,extra\n1,2,3\n", Token);
        await File.WriteAllTextAsync(last, "tenure,income,age\n0.5,0.25,0.125\n", Token);

        using var output = await ScoreAsync(modelPath, first, missing, last);

        var failure = Assert.Single(output.Failed);
        Assert.Equal(missing, failure.Item);
        Assert.Equal("SchemaMismatch", failure.ErrorType);
        Assert.Equal("missing.csv lacks the column(s) income, tenure that the model's inputs are named after (it has age, salary, extra)", failure.Message);
        var scored = await ScoredOutput.ReadAsync(output);
        Assert.Equal(["first.csv", "first.csv", "last.csv"], scored.Rows.Select(r => r[^1]));
        Assert.Equal(model.Predict([0.125f, 0.25f, 0.5f]), ScoredOutput.Long(scored.Rows[2][1]));
        Assert.Equal(3, output.RowCount);
    }

    [Fact]
    public async Task RunAsync_MatrixModel_FileWithWrongColumnCount_FailsThatFileAsSchemaMismatch()
    {
        var model = Train(seed: 11);
        var modelPath = SaveModel(SyntheticModels.LogisticRegression(model));
        var good = Assert.Single(WriteCsv(TabularDataset.Generate(5, Features, Classes, seed: 12), "good"));
        var narrow = PathOf("narrow.csv");
        await File.WriteAllTextAsync(narrow, "a,b,c\n1,2,3\n", Token);

        using var output = await ScoreAsync(modelPath, narrow, good);

        var failure = Assert.Single(output.Failed);
        Assert.Equal(narrow, failure.Item);
        Assert.Equal("SchemaMismatch", failure.ErrorType);
        Assert.Equal("narrow.csv has 3 columns (a, b, c); the model takes 4 features", failure.Message);
        Assert.Equal(5, output.RowCount);
        Assert.All((await ScoredOutput.ReadAsync(output)).Rows, r => Assert.Equal("part-00000.csv", r[^1]));
    }

    [Fact]
    public async Task RunAsync_UnreadableFile_FailsThatFileAsInvalidInputWithTheLine()
    {
        var model = Train(seed: 13);
        var modelPath = SaveModel(SyntheticModels.LogisticRegression(model));
        var good = Assert.Single(WriteCsv(TabularDataset.Generate(5, Features, Classes, seed: 14), "good"));
        var bad = PathOf("bad.csv");
        await File.WriteAllTextAsync(bad, "a,b,c,d\n1,2,3,4\n1,2,x,4\n", Token);

        using var output = await ScoreAsync(modelPath, bad, good);

        var failure = Assert.Single(output.Failed);
        Assert.Equal(bad, failure.Item);
        Assert.Equal("InvalidInputFile", failure.ErrorType);
        Assert.Equal("bad.csv:3: column 'c' holds 'x', which is not a number", failure.Message);
        Assert.Equal(5, output.RowCount);
    }

    [Fact]
    public async Task RunAsync_RegressorModel_GivesRowPredictionAndFileName()
    {
        var weights = Reference.RandomFloats(Features, seed: 15);
        var modelPath = SaveModel(SyntheticModels.Regressor(weights, 0.75f));
        var data = TabularDataset.Generate(30, Features, Classes, seed: 16);
        var file = Assert.Single(WriteCsv(data, "in"));

        using var output = await ScoreAsync(modelPath, file);

        var scored = await ScoredOutput.ReadAsync(output);
        Assert.Equal(["row", "prediction", "file_name"], scored.Header);
        Assert.Equal(30, scored.Rows.Count);
        for (var r = 0; r < data.RowCount; r++)
        {
            var expected = 0.75;
            for (var f = 0; f < Features; f++)
            {
                expected += (double)data.Row(r)[f] * weights[f];
            }

            Assert.Equal(r, ScoredOutput.Long(scored.Rows[r][0]));
            Assert.Equal(expected, ScoredOutput.Float(scored.Rows[r][1]), 1e-4);
            Assert.Equal("part-00000.csv", scored.Rows[r][2]);
        }
    }

    [Fact]
    public async Task RunAsync_ParquetInput_ScoresLikeTheSameRowsInCsv()
    {
        var model = Train(seed: 17);
        var modelPath = SaveModel(SyntheticModels.LogisticRegression(model));
        var data = TabularDataset.Generate(60, Features, Classes, seed: 18);
        var parquet = PathOf("rows.parquet");
        var fields = Enumerable.Range(0, Features).Select(f => new DataField<float>($"f{f}")).ToArray();
        await ParquetFile.WriteAsync(parquet, new ParquetSchema(fields), group =>
        {
            for (var f = 0; f < Features; f++)
            {
                var column = Enumerable.Range(0, data.RowCount).Select(r => data.Row(r)[f]).ToArray();
                group = group.Column(fields[f], column);
            }

            return group;
        });

        using var output = await ScoreAsync(modelPath, parquet);

        var scored = await ScoredOutput.ReadAsync(output);
        Assert.Empty(output.Failed);
        Assert.Equal(["row", "prediction", "probability_0", "probability_1", "probability_2", "file_name"], scored.Header);
        AssertClassified(scored, model, data, scored.Rows, "rows.parquet");
    }

    [Fact]
    public async Task RunAsync_CorruptParquetFile_FailsThatFileOnly()
    {
        var model = Train(seed: 28);
        var modelPath = SaveModel(SyntheticModels.LogisticRegression(model));
        var data = TabularDataset.Generate(6, Features, Classes, seed: 29);
        var good = Assert.Single(WriteCsv(data, "good"));
        var corrupt = PathOf("corrupt.parquet");
        var fields = Enumerable.Range(0, Features).Select(f => new DataField<float>($"f{f}")).ToArray();
        await ParquetFile.WriteAsync(corrupt, new ParquetSchema(fields), group => fields.Aggregate(group, (g, field) => g.Column(field, Enumerable.Range(0, 200).Select(i => (float)i).ToArray())));
        var bytes = await File.ReadAllBytesAsync(corrupt, Token);
        for (var k = 4; k < 12; k++)
        {
            bytes[k] ^= 0xA5; // the first data page's header
        }

        await File.WriteAllBytesAsync(corrupt, bytes, Token);

        using var output = await ScoreAsync(modelPath, corrupt, good);

        var failure = Assert.Single(output.Failed);
        Assert.Equal(corrupt, failure.Item);
        Assert.Equal("InvalidInputFile", failure.ErrorType);
        Assert.StartsWith("corrupt.parquet: not a readable Parquet file", failure.Message, StringComparison.Ordinal);
        var scored = await ScoredOutput.ReadAsync(output);
        AssertClassified(scored, model, data, scored.Rows, "part-00000.csv");
    }

    [Fact]
    public async Task RunAsync_FileThatIsNotTabular_FailsThatFile()
    {
        var modelPath = SaveModel(SyntheticModels.LogisticRegression(Train(seed: 19)));
        var json = PathOf("rows.json");
        await File.WriteAllTextAsync(json, "[]", Token);

        using var output = await ScoreAsync(modelPath, json);

        var failure = Assert.Single(output.Failed);
        Assert.Equal("InvalidInputFile", failure.ErrorType);
        Assert.Contains("'rows.json' is not a tabular file", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.RowCount);
    }

    [Fact]
    public async Task RunAsync_WithAnotherScoreOutput_AddsTheSameRowsAsWithMiniBatchOutput()
    {
        var model = Train(seed: 20);
        var modelPath = SaveModel(SyntheticModels.LogisticRegression(model));
        var file = Assert.Single(WriteCsv(TabularDataset.Generate(25, Features, Classes, seed: 21), "in"));
        using var fast = await ScoreAsync(modelPath, file);
        var recording = new RecordingOutput();

        using (var scorer = new OnnxTabularScorer(intraOpThreads: 1))
        {
            await scorer.InitAsync(Context(modelPath), Token);
            await scorer.RunAsync([file], recording, Token);
        }

        using var replayed = new MiniBatchOutput();
        replayed.SetColumns(recording.Columns!);
        foreach (var row in recording.Rows)
        {
            replayed.AddRow(row);
        }

        Assert.Equal([file], recording.BegunFiles);
        var expected = await ScoredOutput.ReadAsync(fast);
        var actual = await ScoredOutput.ReadAsync(replayed);
        Assert.Equal(expected.Header, actual.Header);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.All(recording.Rows, r => Assert.IsType<long>(r[1]));
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsWithoutFailingTheFile()
    {
        var modelPath = SaveModel(SyntheticModels.LogisticRegression(Train(seed: 30)));
        var file = Assert.Single(WriteCsv(TabularDataset.Generate(5, Features, Classes, seed: 31), "in"));
        using var scorer = new OnnxTabularScorer(intraOpThreads: 1);
        await scorer.InitAsync(Context(modelPath), Token);
        using var output = new MiniBatchOutput();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await scorer.RunAsync([file], output, cancellation.Token));

        Assert.Empty(output.Failed);
        Assert.Equal(0, output.RowCount);
    }

    [Fact]
    public async Task RunAsync_BeforeInitAsync_Throws()
    {
        using var scorer = new OnnxTabularScorer(intraOpThreads: 1);
        using var output = new MiniBatchOutput();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await scorer.RunAsync([PathOf("x.csv")], output, Token));
    }

    [Fact]
    public async Task InitAsync_LogsTheModelAndHowItIsRead()
    {
        using var scorer = new OnnxTabularScorer(intraOpThreads: 1);

        await scorer.InitAsync(Context(SaveModel(SyntheticModels.LogisticRegression(Train(seed: 22)), "iris.onnx")), Token);

        Assert.Contains("Loaded iris.onnx: inputs input; prediction from label, 3 class probabilities", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_ModelFolderWithOneOnnxFile_UsesIt()
    {
        var model = Train(seed: 23);
        SaveModel(SyntheticModels.LogisticRegression(model), Path.Combine("model", "nested", "classifier.onnx"));
        File.WriteAllText(PathOf("model", "MLmodel"), "flavors: {}");
        var data = TabularDataset.Generate(8, Features, Classes, seed: 24);
        var file = Assert.Single(WriteCsv(data, "in"));

        using var output = await ScoreAsync(PathOf("model"), file);

        var scored = await ScoredOutput.ReadAsync(output);
        AssertClassified(scored, model, data, scored.Rows, "part-00000.csv");
        Assert.Contains("Loaded classifier.onnx", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_ModelFolderWithoutOnnxFile_FailsSayingSo()
    {
        Directory.CreateDirectory(PathOf("model"));
        File.WriteAllText(PathOf("model", "model.pkl"), "not onnx");
        using var scorer = new OnnxTabularScorer(intraOpThreads: 1);

        var error = await Assert.ThrowsAsync<FileNotFoundException>(async () => await scorer.InitAsync(Context(PathOf("model")), Token));

        Assert.Equal("the model folder holds no .onnx file; a deployment without code_configuration needs an ONNX model", error.Message);
    }

    [Fact]
    public async Task InitAsync_ModelFolderWithTwoOnnxFiles_FailsNamingThem()
    {
        var bytes = SyntheticModels.LogisticRegression(Train(seed: 25));
        SaveModel(bytes, Path.Combine("model", "first.onnx"));
        SaveModel(bytes, Path.Combine("model", "second.onnx"));
        using var scorer = new OnnxTabularScorer(intraOpThreads: 1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await scorer.InitAsync(Context(PathOf("model")), Token));

        Assert.StartsWith("the model folder holds 2 .onnx files (", error.Message, StringComparison.Ordinal);
        Assert.Contains("first.onnx", error.Message, StringComparison.Ordinal);
        Assert.Contains("second.onnx", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("keep one, or point the model's path at the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_ModelWithNonTabularInput_FailsSayingWhatItTakes()
    {
        var model = new OnnxModelWriter("images")
            .AddInput("pixels", OnnxElementType.Float, "N", 4, 4)
            .AddNode("Identity", ["pixels"], ["same"])
            .AddOutput("same", OnnxElementType.Float, "N", 4, 4)
            .ToArray();
        using var scorer = new OnnxTabularScorer(intraOpThreads: 1);

        var error = await Assert.ThrowsAsync<NotSupportedException>(async () => await scorer.InitAsync(Context(SaveModel(model)), Token));

        Assert.Contains("pixels: Single [N,4,4]", error.Message, StringComparison.Ordinal);
        Assert.Contains("are not tabular", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoScorersOnTheSameModel_ShareOneSession_WhichOutlivesTheFirstScorer()
    {
        var model = Train(seed: 26);
        var modelPath = SaveModel(SyntheticModels.LogisticRegression(model));
        var data = TabularDataset.Generate(12, Features, Classes, seed: 27);
        var file = Assert.Single(WriteCsv(data, "in"));
        var first = new OnnxTabularScorer(intraOpThreads: 1);
        using var second = new OnnxTabularScorer(intraOpThreads: 1);
        await first.InitAsync(Context(modelPath), Token);
        await second.InitAsync(Context(modelPath), Token);

        using (var lease = OnnxSessionPool.Acquire(modelPath, intraOpThreads: 1))
        using (var other = OnnxSessionPool.Acquire(Path.Combine(temp.FullName, ".", "model.onnx"), intraOpThreads: 1))
        {
            Assert.Same(lease.Session, other.Session);
        }

        // If the first scorer's dispose released the session the second still holds, its next run would fail.
        first.Dispose();
        first.Dispose();
        using var output = new MiniBatchOutput();
        await second.RunAsync([file], output, Token);

        var scored = await ScoredOutput.ReadAsync(output);
        AssertClassified(scored, model, data, scored.Rows, "part-00000.csv");
    }

    /// <summary>A scorer output that is not Sluice's, as a custom host would pass: rows arrive through <see cref="AddRow"/>.</summary>
    private sealed class RecordingOutput : ScoreOutput
    {
        public string[]? Columns { get; private set; }

        public List<object?[]> Rows { get; } = [];

        public List<string> BegunFiles { get; } = [];

        public override void SetColumns(params string[] columns) => Columns = columns;

        public override void AddRow(params object?[] values) => Rows.Add(values);

        public override void Fail(string file, string errorType, string message) => throw new InvalidOperationException($"{file} failed: {message}");

        public override void BeginFile(string file) => BegunFiles.Add(file);
    }
}
