using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sluice.Scoring.Abstractions;
using Sluice.Scoring.Output;
using Sluice.Scoring.Tabular;

namespace Sluice.Scoring.Onnx;

/// <summary>
/// The no-code scorer (the counterpart of Azure ML's no-code MLflow deployments): scores tabular files row by row in
/// batched tensors with a shared ONNX Runtime session. Output: one row per input row with <c>row</c>,
/// <c>prediction</c>, the class probabilities when the model gives them, and <c>file_name</c>.
/// </summary>
public sealed class OnnxTabularScorer(int intraOpThreads) : IBatchScorer, ISliceAwareScorer, IDisposable
{
    /// <summary>Rows per inference call: large enough to amortise the call, small enough to stay in cache.</summary>
    public const int BatchRows = 1024;

    private OnnxSessionPool.Lease? _lease;
    private OnnxModelShape? _shape;
    private TabularBatch? _batch;

    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken)
    {
        var modelFile = FindModelFile(context.ModelPath);
        _lease = OnnxSessionPool.Acquire(modelFile, intraOpThreads);
        _shape = OnnxModelShape.Inspect(_lease.Session);
        context.Log.WriteLine($"Loaded {Path.GetFileName(modelFile)}: inputs {string.Join(", ", _shape.Inputs)}; prediction from {_shape.PredictionOutput ?? "argmax of " + _shape.ProbabilityOutput}{(_shape.ProbabilityOutput is null ? string.Empty : $", {(_shape.Classes > 0 ? _shape.Classes.ToString(CultureInfo.InvariantCulture) : "N")} class probabilities")}");
        return ValueTask.CompletedTask;
    }

    public ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken) =>
        RunAsync(miniBatch.Select(ScoringInput.Whole).ToList(), output, cancellationToken);

    public async ValueTask RunAsync(IReadOnlyList<ScoringInput> inputs, ScoreOutput output, CancellationToken cancellationToken)
    {
        var session = _lease?.Session ?? throw new InvalidOperationException("InitAsync was not called.");
        var shape = _shape!;
        var batch = _batch ??= new TabularBatch(session, shape, BatchRows);
        try
        {
            foreach (var input in inputs)
            {
                // Events are queued, not sent: rows of earlier files may still wait in the batch, and the output
                // attributes rows to the file begun last. Flushing replays begin, rows and failures in input order.
                batch.BeginFile(input.Key);
                var fileName = Path.GetFileName(input.LocalPath);
                TabularData table;
                try
                {
                    table = await TabularFiles.ReadPooledAsync(input, cancellationToken);
                }
                catch (TabularFormatException ex)
                {
                    batch.Fail(input.Key, "InvalidInputFile", ex.Message);
                    continue;
                }

                try
                {
                    AppendFile(batch, output, table, input, fileName, cancellationToken);
                }
                finally
                {
                    // The rows are in the batch now: the file's buffers go back to the pool for the next file.
                    table.ReturnBuffer();
                }
            }

            Flush(batch, output);
        }
        finally
        {
            batch.Clear();
        }
    }

    private void AppendFile(TabularBatch batch, ScoreOutput output, TabularData table, ScoringInput input, string fileName, CancellationToken cancellationToken)
    {
        var columnMap = MapColumns(_shape!, table, fileName, out var problem);
        if (columnMap is null)
        {
            batch.Fail(input.Key, "SchemaMismatch", problem!);
            return;
        }

        // Rows are numbered within their file, also when this is a slice of it. A file's rows fill the batch
        // where the previous file's left off: small files still make full inference calls.
        var firstRow = input.Slice?.FirstRow ?? 0;
        if (!batch.CanTake(columnMap.Length))
        {
            Flush(batch, output);
        }

        for (var start = 0; start < table.Rows;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            start += batch.Append(table, columnMap, start, firstRow + start, fileName);
            if (batch.IsFull)
            {
                Flush(batch, output);
            }
        }
    }

    /// <summary>Runs the batched rows (if any), then replays the queued file events and writes the rows in order.</summary>
    private static void Flush(TabularBatch batch, ScoreOutput output)
    {
        using var results = batch.Run();
        batch.Replay(output, results);
    }

    /// <summary>For each model input (or feature), the table column that feeds it; null with a reason when the file does not fit.</summary>
    private static int[]? MapColumns(OnnxModelShape shape, TabularData table, string fileName, out string? problem)
    {
        problem = null;
        if (shape.IsMatrix)
        {
            var features = shape.FeatureCount ?? table.Columns.Count;
            if (table.Columns.Count != features)
            {
                problem = $"{fileName} has {table.Columns.Count} columns ({string.Join(", ", table.Columns)}); the model takes {features} features";
                return null;
            }

            return Enumerable.Range(0, features).ToArray();
        }

        var map = new int[shape.Inputs.Count];
        var missing = new List<string>();
        for (var i = 0; i < shape.Inputs.Count; i++)
        {
            map[i] = table.IndexOf(shape.Inputs[i]);
            if (map[i] < 0)
            {
                missing.Add(shape.Inputs[i]);
            }
        }

        if (missing.Count > 0)
        {
            problem = $"{fileName} lacks the column(s) {string.Join(", ", missing)} that the model's inputs are named after (it has {string.Join(", ", table.Columns)})";
            return null;
        }

        return map;
    }

    /// <summary>The model file: the path itself, or the single .onnx file in the model folder.</summary>
    public static string FindModelFile(string modelPath)
    {
        if (File.Exists(modelPath))
        {
            return modelPath;
        }

        var candidates = Directory.Exists(modelPath) ? Directory.GetFiles(modelPath, "*.onnx", SearchOption.AllDirectories) : [];
        return candidates.Length switch
        {
            1 => candidates[0],
            0 => throw new FileNotFoundException($"the model folder holds no .onnx file; a deployment without code_configuration needs an ONNX model"),
            _ => throw new InvalidOperationException($"the model folder holds {candidates.Length} .onnx files ({string.Join(", ", candidates.Select(Path.GetFileName))}); keep one, or point the model's path at the file"),
        };
    }

    public void Dispose()
    {
        _batch?.Dispose();
        _lease?.Dispose();
    }
}
