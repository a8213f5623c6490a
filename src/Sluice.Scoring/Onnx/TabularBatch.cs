using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sluice.Scoring.Abstractions;
using Sluice.Scoring.Output;
using Sluice.Scoring.Tabular;

namespace Sluice.Scoring.Onnx;

/// <summary>
/// One worker's inference batch for <see cref="OnnxTabularScorer"/>: rows gathered from one or more files into
/// tensors that live as long as the worker, run together, then written out with the file events (begin, fail) replayed
/// in the order the scorer saw them. A full batch reuses the same <see cref="OrtValue"/>s over the same buffers, and
/// the outputs are written by ONNX Runtime straight into buffers of ours when the model's output shapes allow it: the
/// steady state allocates nothing per batch or per row.
/// </summary>
internal sealed class TabularBatch : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OnnxModelShape _shape;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[][] _inputDimensions;
    private readonly RunOptions _runOptions = new();
    private readonly List<BatchEvent> _events = [];

    // Inputs: one row-major [capacity, width] buffer for a matrix model; one [capacity] column per input otherwise.
    private float[][] _inputs = [];
    private int _width = -1;
    private OrtValue[]? _fullInputs;

    // Outputs written by ONNX Runtime into our buffers: an int64 label and [N, C] probabilities (null when the model's
    // outputs are of another kind; ONNX Runtime then allocates them per run).
    private readonly long[]? _labels;
    private readonly float[]? _probabilities;
    private OrtValue[]? _fullOutputs;
    private string[]? _columns;

    public TabularBatch(InferenceSession session, OnnxModelShape shape, int capacity)
    {
        _session = session;
        _shape = shape;
        Capacity = capacity;
        _inputNames = [.. shape.Inputs];
        _inputDimensions = [.. shape.Inputs.Select(name => session.InputMetadata[name].Dimensions.Select(d => (long)d).ToArray())];
        _outputNames = [.. new[] { shape.PredictionOutput, shape.ProbabilityOutput }.OfType<string>()];
        var prediction = shape.PredictionOutput is null ? null : session.OutputMetadata[shape.PredictionOutput];
        if (shape.Classes > 0 && (prediction is null || (prediction.ElementType == typeof(long) && prediction.Dimensions.Length == 1)))
        {
            // On the pinned heap: ONNX Runtime holds these for the worker's life, and pinned arrays among ordinary ones
            // would keep the collector from compacting around them.
            _labels = prediction is null ? null : GC.AllocateUninitializedArray<long>(capacity, pinned: true);
            _probabilities = GC.AllocateUninitializedArray<float>(capacity * shape.Classes, pinned: true);
        }
    }

    public int Capacity { get; }

    public int Rows { get; private set; }

    public bool IsFull => Rows == Capacity;

    /// <summary>Whether rows of this width can join the batch; false means: flush first.</summary>
    public bool CanTake(int width) => Rows == 0 || width == _width;

    public void BeginFile(string key) => _events.Add(new BatchEvent(EventKind.Begin, key, null, null, 0, 0, 0));

    public void Fail(string key, string errorType, string message) => _events.Add(new BatchEvent(EventKind.Fail, key, errorType, message, 0, 0, 0));

    /// <summary>Copies rows from <paramref name="start"/> of the table into the batch, as many as fit; returns how many.</summary>
    public int Append(TabularData table, int[] columnMap, int start, long firstRowNumber, string fileName)
    {
        EnsureWidth(columnMap.Length);
        var count = Math.Min(Capacity - Rows, table.Rows - start);
        var width = table.Columns.Count;
        if (_shape.IsMatrix)
        {
            // The matrix input takes every column in order (MapColumns checked): one contiguous copy.
            table.Values.AsSpan(start * width, count * width).CopyTo(_inputs[0].AsSpan(Rows * width));
        }
        else
        {
            var values = table.Values;
            for (var i = 0; i < columnMap.Length; i++)
            {
                var column = _inputs[i];
                var source = (start * width) + columnMap[i];
                for (var r = 0; r < count; r++)
                {
                    column[Rows + r] = values[source + (r * width)];
                }
            }
        }

        _events.Add(new BatchEvent(EventKind.Rows, fileName, null, null, firstRowNumber, Rows, count));
        Rows += count;
        return count;
    }

    /// <summary>Runs the batch's rows; then <see cref="Replay"/> writes them. Nothing to run: returns a no-op.</summary>
    public Results Run()
    {
        if (Rows == 0)
        {
            return default;
        }

        var full = Rows == Capacity;
        var inputs = full ? (_fullInputs ??= CreateInputs(Capacity)) : CreateInputs(Rows);
        try
        {
            if (_probabilities is not null)
            {
                var outputs = full ? (_fullOutputs ??= CreateOutputs(Capacity)) : CreateOutputs(Rows);
                try
                {
                    _session.Run(_runOptions, _inputNames, inputs, _outputNames, outputs);
                }
                finally
                {
                    if (!full)
                    {
                        DisposeAll(outputs);
                    }
                }

                return new Results(null);
            }

            return new Results(_session.Run(_runOptions, _inputNames, inputs, _outputNames));
        }
        finally
        {
            if (!full)
            {
                DisposeAll(inputs);
            }
        }
    }

    /// <summary>Sends the queued file events and rows to the output in order, then empties the batch.</summary>
    public void Replay(ScoreOutput output, Results results)
    {
        ReadOnlySpan<long> labels = default;
        ReadOnlySpan<float> probabilities = default;
        object?[]? boxedLabels = null;
        var classes = 0;
        if (Rows > 0)
        {
            if (_probabilities is not null)
            {
                classes = _shape.Classes;
                labels = _labels is null ? default : _labels.AsSpan(0, Rows);
                probabilities = _probabilities.AsSpan(0, Rows * classes);
            }
            else
            {
                var values = results.Values!;
                var predictions = _shape.PredictionOutput is null ? null : values[0];
                var probabilityValue = _shape.ProbabilityOutput is null ? null : values[^1];
                classes = probabilityValue is null ? 0 : (int)probabilityValue.GetTensorTypeAndShape().Shape[1];
                probabilities = probabilityValue is null ? default : probabilityValue.GetTensorDataAsSpan<float>();
                if (predictions?.GetTensorTypeAndShape().ElementDataType == TensorElementType.Int64)
                {
                    labels = predictions.GetTensorDataAsSpan<long>();
                }
                else if (predictions is not null)
                {
                    boxedLabels = Labels(predictions);
                }
            }

            SetColumns(output, classes);
        }

        foreach (var e in _events)
        {
            switch (e.Kind)
            {
                case EventKind.Begin:
                    output.BeginFile(e.Key);
                    break;
                case EventKind.Fail:
                    output.Fail(e.Key, e.ErrorType!, e.Message!);
                    break;
                default:
                    WriteRows(output, e, labels, boxedLabels, probabilities, classes);
                    break;
            }
        }

        Clear();
    }

    /// <summary>Forgets queued rows and events (after a replay, or when a run is abandoned).</summary>
    public void Clear()
    {
        _events.Clear();
        Rows = 0;
    }

    public void Dispose()
    {
        DisposeAll(_fullInputs);
        DisposeAll(_fullOutputs);
        _runOptions.Dispose();
    }

    private static void WriteRows(ScoreOutput output, BatchEvent rows, ReadOnlySpan<long> labels, object?[]? boxedLabels, ReadOnlySpan<float> probabilities, int classes)
    {
        var fileName = rows.Key;
        if (output is MiniBatchOutput fast)
        {
            // Sluice's own output: typed fields, no boxing and no array per row.
            for (var r = rows.Offset; r < rows.Offset + rows.Count; r++)
            {
                fast.BeginRow();
                fast.Field(rows.FirstRowNumber + (r - rows.Offset));
                if (!labels.IsEmpty)
                {
                    fast.Field(labels[r]);
                }
                else if (boxedLabels is not null)
                {
                    fast.Field(boxedLabels[r]);
                }
                else
                {
                    fast.Field((long)ArgMax(probabilities.Slice(r * classes, classes)));
                }

                for (var k = 0; k < classes; k++)
                {
                    fast.Field(probabilities[(r * classes) + k]);
                }

                fast.Field(fileName);
                fast.EndRow();
            }

            return;
        }

        for (var r = rows.Offset; r < rows.Offset + rows.Count; r++)
        {
            var values = new object?[3 + classes];
            values[0] = rows.FirstRowNumber + (r - rows.Offset);
            values[1] = !labels.IsEmpty ? labels[r] : boxedLabels is not null ? boxedLabels[r] : (long)ArgMax(probabilities.Slice(r * classes, classes));
            for (var k = 0; k < classes; k++)
            {
                values[2 + k] = probabilities[(r * classes) + k];
            }

            values[^1] = fileName;
            output.AddRow(values);
        }
    }

    private void SetColumns(ScoreOutput output, int classes)
    {
        if (_columns is null || _columns.Length != 3 + classes)
        {
            _columns = ["row", "prediction", .. Enumerable.Range(0, classes).Select(k => string.Create(CultureInfo.InvariantCulture, $"probability_{k}")), "file_name"];
        }

        output.SetColumns(_columns);
    }

    private void EnsureWidth(int width)
    {
        if (width == _width)
        {
            return;
        }

        if (Rows > 0)
        {
            throw new InvalidOperationException("rows of another width cannot join a batch; flush it first");
        }

        DisposeAll(_fullInputs);
        _fullInputs = null;
        _width = width;
        _inputs = _shape.IsMatrix
            ? [GC.AllocateUninitializedArray<float>(Capacity * width, pinned: true)]
            : [.. _inputNames.Select(_ => GC.AllocateUninitializedArray<float>(Capacity, pinned: true))];
    }

    private OrtValue[] CreateInputs(int rows)
    {
        var values = new OrtValue[_inputs.Length];
        for (var i = 0; i < values.Length; i++)
        {
            long[] dims = _shape.IsMatrix ? [rows, _width] : _inputDimensions[i].Length == 1 ? [rows] : [rows, 1];
            var length = _shape.IsMatrix ? rows * _width : rows;
            values[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _inputs[i].AsMemory(0, length), dims);
        }

        return values;
    }

    private OrtValue[] CreateOutputs(int rows)
    {
        var probabilities = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _probabilities.AsMemory(0, rows * _shape.Classes), [rows, _shape.Classes]);
        return _labels is null
            ? [probabilities]
            : [OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _labels.AsMemory(0, rows), [rows]), probabilities];
    }

    private static void DisposeAll(OrtValue[]? values)
    {
        foreach (var value in values ?? [])
        {
            value.Dispose();
        }
    }

    internal static object?[] Labels(OrtValue value)
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

    /// <summary>
    /// The predicted class of a model without a label output: the first of the highest probabilities. A NaN is passed
    /// over (no comparison with it is true) unless it comes first, so one NaN does not decide the prediction. That is
    /// why this is not <c>TensorPrimitives.IndexOfMax</c>, which returns the first NaN's index.
    /// </summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
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

    /// <summary>What ONNX Runtime allocated for a run (nothing when it wrote into the batch's own buffers).</summary>
    public readonly struct Results(IDisposableReadOnlyCollection<OrtValue>? values) : IDisposable
    {
        public IDisposableReadOnlyCollection<OrtValue>? Values { get; } = values;

        public void Dispose() => Values?.Dispose();
    }

    private enum EventKind
    {
        Begin,
        Fail,
        Rows,
    }

    /// <summary>A queued event: a file begun or failed (Key is the item key), or rows of a file (Key is its file name).</summary>
    private readonly record struct BatchEvent(EventKind Kind, string Key, string? ErrorType, string? Message, long FirstRowNumber, int Offset, int Count);
}
