using Sluice.Scoring.Abstractions;
using Sluice.Scoring.Output;
using Sluice.Scoring.Synthetic;

namespace Sluice.Scoring.Onnx;

/// <summary>
/// Runs the no-code ONNX path once, on a tiny model and a four-row CSV file of its own, so that a new node's first job
/// does not pay for loading ONNX Runtime's native library and JIT-compiling the reader, session and output code
/// (measured in docs/benchmarks.md). Nodes run it in the background while they join their cluster.
/// </summary>
public static class OnnxWarmup
{
    /// <summary>Scores the warm-up file in a folder of its own under <paramref name="scratchDirectory"/>, removed after; returns the rows scored.</summary>
    public static async Task<int> RunAsync(string scratchDirectory, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(scratchDirectory, "warm-up");
        Directory.CreateDirectory(folder);
        try
        {
            var modelFile = Path.Combine(folder, "model.onnx");
            await File.WriteAllBytesAsync(modelFile, SyntheticModels.LogisticRegression(new float[,] { { 1, -1 }, { -1, 1 } }, [0, 0]), cancellationToken);
            var data = CsvDatasetWriter.Write(TabularDataset.Stream(4, 2, 2, seed: 1), 4, 2, Path.Combine(folder, "data"), new CsvDatasetOptions { Files = 1, IncludeLabel = false }, cancellationToken);
            using var scorer = new OnnxTabularScorer(intraOpThreads: 1);
            await scorer.InitAsync(new ScorerContext(modelFile, null, new Dictionary<string, string>(), "warm-up", TextWriter.Null), cancellationToken);
            using var output = new MiniBatchOutput();
            await scorer.RunAsync(data.DataFiles, output, cancellationToken);
            return output.Failed.Count == 0
                ? output.RowCount
                : throw new InvalidOperationException($"the warm-up model failed to score its own rows: {output.Failed[0].Message}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
