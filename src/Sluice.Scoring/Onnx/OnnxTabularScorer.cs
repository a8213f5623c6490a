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
    private string[]? _columns;

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
        foreach (var input in inputs)
        {
            output.BeginFile(input.Key);
            var fileName = Path.GetFileName(input.LocalPath);
            TabularData table;
            try
            {
                table = await TabularFiles.ReadAsync(input, cancellationToken);
            }
            catch (TabularFormatException ex)
            {
                output.Fail(input.Key, "InvalidInputFile", ex.Message);
                continue;
            }

            var columnMap = MapColumns(shape, table, fileName, out var problem);
            if (columnMap is null)
            {
                output.Fail(input.Key, "SchemaMismatch", problem!);
                continue;
            }

            // Rows are numbered within their file, also when this is a slice of it.
            var firstRow = input.Slice?.FirstRow ?? 0;
            for (var start = 0; start < table.Rows; start += BatchRows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = Math.Min(BatchRows, table.Rows - start);
                Score(session, shape, table, columnMap, start, rows, firstRow, fileName, output);
            }
        }
    }

    private void Score(InferenceSession session, OnnxModelShape shape, TabularData table, int[] columnMap, int start, int rows, long firstRow, string fileName, ScoreOutput output)
    {
        var inputs = new List<OrtValue>(shape.Inputs.Count);
        try
        {
            var width = table.Columns.Count;
            if (shape.IsMatrix)
            {
                var features = columnMap.Length;
                var buffer = new float[rows * features];
                for (var r = 0; r < rows; r++)
                {
                    Array.Copy(table.Values, (start + r) * width, buffer, r * features, features);
                }

                inputs.Add(OrtValue.CreateTensorValueFromMemory(buffer, [rows, features]));
            }
            else
            {
                var metadata = session.InputMetadata;
                for (var i = 0; i < shape.Inputs.Count; i++)
                {
                    var column = new float[rows];
                    for (var r = 0; r < rows; r++)
                    {
                        column[r] = table.Values[((start + r) * width) + columnMap[i]];
                    }

                    long[] dims = metadata[shape.Inputs[i]].Dimensions.Length == 1 ? [rows] : [rows, 1];
                    inputs.Add(OrtValue.CreateTensorValueFromMemory(column, dims));
                }
            }

            var outputNames = new List<string>(2);
            if (shape.PredictionOutput is not null)
            {
                outputNames.Add(shape.PredictionOutput);
            }

            if (shape.ProbabilityOutput is not null)
            {
                outputNames.Add(shape.ProbabilityOutput);
            }

            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, shape.Inputs.ToList(), inputs, outputNames);
            var predictions = shape.PredictionOutput is null ? null : results[0];
            var probabilities = shape.ProbabilityOutput is null ? null : results[^1];
            var classes = probabilities is null ? 0 : (int)probabilities.GetTensorTypeAndShape().Shape[1];
            EnsureColumns(output, classes);
            var probabilitySpan = probabilities is null ? default : probabilities.GetTensorDataAsSpan<float>();
            if (output is MiniBatchOutput fast)
            {
                // Sluice's own output: typed fields, no boxing and no array per row.
                var longs = predictions?.GetTensorTypeAndShape().ElementDataType == TensorElementType.Int64 ? predictions.GetTensorDataAsSpan<long>() : default;
                var labels = predictions is not null && longs.IsEmpty ? Labels(predictions) : null;
                for (var r = 0; r < rows; r++)
                {
                    fast.BeginRow();
                    fast.Field(firstRow + start + r);
                    if (!longs.IsEmpty)
                    {
                        fast.Field(longs[r]);
                    }
                    else if (labels is not null)
                    {
                        fast.Field(labels[r]);
                    }
                    else
                    {
                        fast.Field((long)ArgMax(probabilitySpan.Slice(r * classes, classes)));
                    }

                    for (var k = 0; k < classes; k++)
                    {
                        fast.Field(probabilitySpan[(r * classes) + k]);
                    }

                    fast.Field(fileName);
                    fast.EndRow();
                }

                return;
            }

            var boxedLabels = predictions is null ? null : Labels(predictions);
            for (var r = 0; r < rows; r++)
            {
                var values = new object?[3 + classes];
                values[0] = firstRow + start + r;
                values[1] = boxedLabels is not null ? boxedLabels[r] : (long)ArgMax(probabilitySpan.Slice(r * classes, classes));
                for (var k = 0; k < classes; k++)
                {
                    values[2 + k] = probabilitySpan[(r * classes) + k];
                }

                values[^1] = fileName;
                output.AddRow(values);
            }
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }

    private void EnsureColumns(ScoreOutput output, int classes)
    {
        if (_columns is null || _columns.Length != 3 + classes)
        {
            _columns = ["row", "prediction", .. Enumerable.Range(0, classes).Select(k => $"probability_{k}"), "file_name"];
        }

        output.SetColumns(_columns);
    }

    private static object?[] Labels(OrtValue value)
    {
        var type = value.GetTensorTypeAndShape();
        var count = (int)type.ElementCount;
        var labels = new object?[count];
        switch (type.ElementDataType)
        {
            case TensorElementType.Int64:
                var longs = value.GetTensorDataAsSpan<long>();
                for (var i = 0; i < count; i++)
                {
                    labels[i] = longs[i];
                }

                break;
            case TensorElementType.Int32:
                var ints = value.GetTensorDataAsSpan<int>();
                for (var i = 0; i < count; i++)
                {
                    labels[i] = (long)ints[i];
                }

                break;
            case TensorElementType.Float:
                var floats = value.GetTensorDataAsSpan<float>();
                for (var i = 0; i < count; i++)
                {
                    labels[i] = floats[i];
                }

                break;
            case TensorElementType.String:
                var strings = value.GetStringTensorAsArray();
                for (var i = 0; i < count; i++)
                {
                    labels[i] = strings[i];
                }

                break;
            default:
                throw new NotSupportedException($"prediction output of type {type.ElementDataType} is not supported");
        }

        return labels;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
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

    public void Dispose() => _lease?.Dispose();
}
