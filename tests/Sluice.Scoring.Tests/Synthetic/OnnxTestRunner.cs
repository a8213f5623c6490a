using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sluice.Scoring.Tests.Synthetic;

/// <summary>A tensor read back from ONNX Runtime: its shape and its elements as float or int64.</summary>
internal sealed record TensorResult(long[] Shape, float[] Floats, long[] Longs);

/// <summary>Runs a model's bytes in a real <see cref="InferenceSession"/> and copies the outputs out before disposing them.</summary>
internal static class OnnxTestRunner
{
    public static Dictionary<string, TensorResult> Run(InferenceSession session, params (string Name, float[] Data, long[] Shape)[] inputs)
    {
        var values = inputs.ToDictionary(i => i.Name, i => OrtValue.CreateTensorValueFromMemory(i.Data, i.Shape));
        try
        {
            using var options = new RunOptions();
            using var results = session.Run(options, values, session.OutputNames);
            var outputs = new Dictionary<string, TensorResult>();
            for (var i = 0; i < results.Count; i++)
            {
                var value = results[i];
                var info = value.GetTensorTypeAndShape();
                outputs[session.OutputNames[i]] = info.ElementDataType switch
                {
                    TensorElementType.Float => new TensorResult(info.Shape, value.GetTensorDataAsSpan<float>().ToArray(), []),
                    TensorElementType.Int64 => new TensorResult(info.Shape, [], value.GetTensorDataAsSpan<long>().ToArray()),
                    var other => throw new NotSupportedException($"Output {session.OutputNames[i]} is {other}."),
                };
            }

            return outputs;
        }
        finally
        {
            foreach (var value in values.Values)
            {
                value.Dispose();
            }
        }
    }
}
