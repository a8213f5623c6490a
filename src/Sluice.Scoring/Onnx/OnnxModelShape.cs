using Microsoft.ML.OnnxRuntime;

namespace Sluice.Scoring.Onnx;

/// <summary>
/// How the no-code scorer feeds and reads a model, decided from its signature: one 2-D float input takes the columns
/// in order; otherwise each [N] or [N,1] float input takes the column of the same name. The prediction is an integer
/// or string label (or a single float for regressors); a float [N,C] output gives class probabilities.
/// </summary>
public sealed class OnnxModelShape
{
    private OnnxModelShape(IReadOnlyList<string> inputs, bool matrix, int? featureCount, string? predictionOutput, string? probabilityOutput, int classes)
    {
        Inputs = inputs;
        IsMatrix = matrix;
        FeatureCount = featureCount;
        PredictionOutput = predictionOutput;
        ProbabilityOutput = probabilityOutput;
        Classes = classes;
    }

    public IReadOnlyList<string> Inputs { get; }

    /// <summary>True: one [N,F] input fed with all columns in order. False: one input per named column.</summary>
    public bool IsMatrix { get; }

    /// <summary>F, when the model fixes it.</summary>
    public int? FeatureCount { get; }

    /// <summary>The output giving the predicted label or value; null when the prediction is the argmax of the probabilities.</summary>
    public string? PredictionOutput { get; }

    public string? ProbabilityOutput { get; }

    public int Classes { get; }

    public static OnnxModelShape Inspect(InferenceSession session)
    {
        var inputs = session.InputMetadata;
        bool matrix;
        int? features = null;
        if (inputs.Count == 1 && inputs.Single().Value is { ElementType: var t, Dimensions.Length: 2 } only && t == typeof(float) && only.Dimensions[1] != 1)
        {
            matrix = true;
            features = only.Dimensions[1] > 0 ? only.Dimensions[1] : null;
        }
        else if (inputs.All(i => i.Value.ElementType == typeof(float) && (i.Value.Dimensions.Length == 1 || (i.Value.Dimensions.Length == 2 && i.Value.Dimensions[1] == 1))))
        {
            matrix = false;
        }
        else
        {
            throw new NotSupportedException(
                $"the model's inputs ({Describe(inputs)}) are not tabular; the no-code scorer feeds one float [N, features] input, or one float [N] / [N, 1] input per column named after it. Score other models with a custom scorer (code_configuration).");
        }

        string? prediction = null;
        string? probabilities = null;
        var classes = 0;
        foreach (var (name, meta) in session.OutputMetadata)
        {
            if (!meta.IsTensor)
            {
                continue; // e.g. sklearn-onnx's ZipMap sequence of maps; the plain probability tensor is used instead
            }

            var isColumn = meta.Dimensions.Length == 1 || (meta.Dimensions.Length == 2 && meta.Dimensions[1] == 1);
            if (prediction is null && isColumn && (meta.ElementType == typeof(long) || meta.ElementType == typeof(int) || meta.ElementType == typeof(string)))
            {
                prediction = name;
            }
            else if (probabilities is null && meta.ElementType == typeof(float) && meta.Dimensions.Length == 2 && meta.Dimensions[1] != 1)
            {
                probabilities = name;
                classes = meta.Dimensions[1];
            }
        }

        if (prediction is null && probabilities is null)
        {
            // A regressor: a single float output per row.
            prediction = session.OutputMetadata.FirstOrDefault(o => o.Value.IsTensor && o.Value.ElementType == typeof(float)).Key
                ?? throw new NotSupportedException($"the model has no output the no-code scorer can read ({Describe(session.OutputMetadata)}); expected a label, a value, or class probabilities");
        }

        return new OnnxModelShape(inputs.Keys.ToList(), matrix, features, prediction, probabilities, classes);
    }

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> values) =>
        string.Join(", ", values.Select(v => $"{v.Key}: {(v.Value.IsTensor ? v.Value.ElementType.Name : v.Value.OnnxValueType.ToString())} [{string.Join(",", v.Value.Dimensions.Select(d => d < 0 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]"));
}
