using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Sluice.Scoring.Onnx;
using Sluice.Scoring.Synthetic;
using Sluice.Scoring.Tabular;

namespace Sluice.Scoring.Bench;

/// <summary>
/// The tensor path of the no-code scorer: 1,024 rows copied into the batch's pinned input tensor and run through
/// ONNX Runtime, which writes labels and probabilities into the batch's own buffers. A full batch reuses its
/// <c>OrtValue</c>s: the steady state should allocate nothing. Also a batch filled from 16 small files (64 rows each),
/// as the scorer batches across file boundaries.
/// </summary>
[MemoryDiagnoser]
public class TabularScoringBenchmarks : IDisposable
{
    private InferenceSession? _session;
    private TabularBatch? _batch;
    private TabularData? _table;
    private TabularData? _small;
    private int[] _map = [];

    [Params("logistic", "mlp")]
    public string Model { get; set; } = "logistic";

    [GlobalSetup]
    public void Setup()
    {
        var features = Model == "logistic" ? 8 : 64;
        var model = Model == "logistic"
            ? SyntheticModels.LogisticRegression(LogisticRegressionTrainer.Fit(TabularDataset.Generate(2000, 8, 3, seed: 2026), seed: 1))
            : SyntheticModels.Mlp(features: 64, hidden: 512, classes: 10, seed: 3, hiddenLayers: 3);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(model, options);
        var shape = OnnxModelShape.Inspect(_session);
        _batch = new TabularBatch(_session, shape, OnnxTabularScorer.BatchRows);
        var data = TabularDataset.Generate(OnnxTabularScorer.BatchRows, features, 3, seed: 5);
        var columns = Enumerable.Range(0, features).Select(i => $"x{i}").ToArray();
        _table = new TabularData(columns, data.Features.ToArray(), OnnxTabularScorer.BatchRows);
        _small = new TabularData(columns, data.Features[..(64 * features)].ToArray(), 64);
        _map = [.. Enumerable.Range(0, features)];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _batch?.Dispose();
        _session?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "fill + run 1,024 rows")]
    public int FillAndRun()
    {
        var batch = _batch!;
        batch.BeginFile("a");
        batch.Append(_table!, _map, 0, 0, "a.csv");
        using (batch.Run())
        {
        }

        batch.Clear();
        return batch.Capacity;
    }

    [Benchmark(Description = "fill from 16 files + run 1,024 rows")]
    public int FillFromSmallFilesAndRun()
    {
        var batch = _batch!;
        for (var f = 0; f < 16; f++)
        {
            batch.BeginFile("a");
            batch.Append(_small!, _map, 0, 0, "a.csv");
        }

        using (batch.Run())
        {
        }

        batch.Clear();
        return batch.Capacity;
    }
}
