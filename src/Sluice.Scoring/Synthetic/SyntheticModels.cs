namespace Sluice.Scoring.Synthetic;

/// <summary>A fully connected layer: <c>y = x · Weights + Bias</c>, weights of shape [inputs, outputs].</summary>
public sealed class DenseLayer
{
    private readonly float[,] weights;
    private readonly float[] bias;

    public DenseLayer(float[,] weights, float[] bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        if (weights.GetLength(1) != bias.Length)
        {
            throw new ArgumentException($"Weights have {weights.GetLength(1)} outputs but the bias has {bias.Length}.", nameof(bias));
        }

        this.weights = (float[,])weights.Clone();
        this.bias = (float[])bias.Clone();
    }

    public int Inputs => weights.GetLength(0);

    public int Outputs => bias.Length;

    public float Weight(int input, int output) => weights[input, output];

    public float Bias(int output) => bias[output];

    internal float[,] WeightsArray => weights;

    internal float[] BiasArray => bias;

    /// <summary>He-initialized weights (N(0, 2 / inputs), suited to Relu) and small biases, from <paramref name="random"/>.</summary>
    public static DenseLayer Random(int inputs, int outputs, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        ArgumentNullException.ThrowIfNull(random);
        var scale = Math.Sqrt(2.0 / inputs);
        var weights = new float[inputs, outputs];
        for (var i = 0; i < inputs; i++)
        {
            for (var o = 0; o < outputs; o++)
            {
                weights[i, o] = (float)(scale * TabularDataset.NextGaussian(random));
            }
        }

        var bias = new float[outputs];
        for (var o = 0; o < outputs; o++)
        {
            bias[o] = (float)(0.1 * TabularDataset.NextGaussian(random));
        }

        return new DenseLayer(weights, bias);
    }
}

/// <summary>
/// Small ONNX models built in code, so that the quickstart, tests and benchmarks need no downloaded or committed
/// weights. Classifiers have the outputs sklearn-onnx gives its classifiers (with ZipMap off): <c>label</c> int64 [N]
/// and <c>probabilities</c> float [N, C]; regressors have <c>variable</c> float [N, 1]. The batch dimension is the
/// symbol <c>N</c>. All use opset 13 of the default domain only.
/// </summary>
public static class SyntheticModels
{
    public const string DefaultInputName = "input";
    public const string LabelOutput = "label";
    public const string ProbabilitiesOutput = "probabilities";
    public const string RegressionOutput = "variable";
    public const string BatchDimension = "N";

    /// <summary>
    /// Multinomial logistic regression: input float [N, F]; <c>Gemm</c> to class scores, <c>Softmax</c> to
    /// <c>probabilities</c>, <c>ArgMax</c> to <c>label</c>.
    /// </summary>
    /// <param name="weights">Shape [features, classes].</param>
    /// <param name="bias">One value per class.</param>
    public static byte[] LogisticRegression(float[,] weights, float[] bias, string inputName = DefaultInputName)
    {
        var model = new LogisticRegressionModel(weights, bias);
        var writer = new OnnxModelWriter("logistic_regression")
            .AddInput(inputName, OnnxElementType.Float, BatchDimension, model.FeatureCount);
        AddClassifier(writer, inputName, weights, bias);
        return writer.ToArray();
    }

    /// <inheritdoc cref="LogisticRegression(float[,], float[], string)"/>
    public static byte[] LogisticRegression(LogisticRegressionModel model, string inputName = DefaultInputName)
    {
        ArgumentNullException.ThrowIfNull(model);
        return LogisticRegression(model.GetWeights(), model.GetBias(), inputName);
    }

    /// <summary>
    /// The same logistic regression, but with one input per feature, each float [N, 1] and named after it, joined
    /// by <c>Concat</c> in the order given: a model that takes the same-named columns of a table.
    /// </summary>
    public static byte[] NamedInputsLogistic(IReadOnlyList<string> featureNames, float[,] weights, float[] bias)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        var model = new LogisticRegressionModel(weights, bias);
        if (featureNames.Count != model.FeatureCount)
        {
            throw new ArgumentException($"{featureNames.Count} feature names for {model.FeatureCount} features.", nameof(featureNames));
        }

        if (featureNames.Distinct(StringComparer.Ordinal).Count() != featureNames.Count)
        {
            throw new ArgumentException("Feature names must be distinct.", nameof(featureNames));
        }

        var writer = new OnnxModelWriter("named_inputs_logistic_regression");
        foreach (var name in featureNames)
        {
            writer.AddInput(name, OnnxElementType.Float, BatchDimension, 1);
        }

        writer.AddNode("Concat", featureNames, ["features"], OnnxAttribute.Int("axis", 1));
        AddClassifier(writer, "features", weights, bias);
        return writer.ToArray();
    }

    /// <summary>
    /// A classifier that costs real compute per row, for benchmarks: input float [N, F], Relu hidden layers, then
    /// <c>Softmax</c> and <c>ArgMax</c> over the last layer's outputs.
    /// </summary>
    public static byte[] Mlp(IReadOnlyList<DenseLayer> layers, string inputName = DefaultInputName)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers.Count, 1, nameof(layers));
        for (var i = 1; i < layers.Count; i++)
        {
            if (layers[i].Inputs != layers[i - 1].Outputs)
            {
                throw new ArgumentException($"Layer {i} takes {layers[i].Inputs} inputs but layer {i - 1} gives {layers[i - 1].Outputs}.", nameof(layers));
            }
        }

        var writer = new OnnxModelWriter("mlp")
            .AddInput(inputName, OnnxElementType.Float, BatchDimension, layers[0].Inputs);
        var current = inputName;
        for (var i = 0; i < layers.Count - 1; i++)
        {
            writer.AddInitializer($"w{i}", layers[i].WeightsArray)
                .AddInitializer($"b{i}", layers[i].BiasArray, layers[i].Outputs)
                .AddNode("Gemm", [current, $"w{i}", $"b{i}"], [$"h{i}"])
                .AddNode("Relu", [$"h{i}"], [$"a{i}"]);
            current = $"a{i}";
        }

        AddClassifier(writer, current, layers[^1].WeightsArray, layers[^1].BiasArray);
        return writer.ToArray();
    }

    /// <summary>
    /// The benchmark MLP with seeded random weights: <c>features → hidden (Relu) → hidden (Relu) → classes</c> by default,
    /// about 84k multiply-adds per row; raise <paramref name="hidden"/> or <paramref name="hiddenLayers"/> for more.
    /// </summary>
    public static byte[] Mlp(int features = 64, int hidden = 256, int classes = 10, int seed = 1, int hiddenLayers = 2) =>
        Mlp(RandomMlpLayers(features, hidden, classes, seed, hiddenLayers));

    /// <summary>The layers <see cref="Mlp(int, int, int, int, int)"/> uses, for computing its expected outputs.</summary>
    public static IReadOnlyList<DenseLayer> RandomMlpLayers(int features = 64, int hidden = 256, int classes = 10, int seed = 1, int hiddenLayers = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hiddenLayers);
        var random = new Random(seed);
        var layers = new List<DenseLayer>();
        var inputs = features;
        for (var i = 0; i < hiddenLayers; i++)
        {
            layers.Add(DenseLayer.Random(inputs, hidden, random));
            inputs = hidden;
        }

        layers.Add(DenseLayer.Random(inputs, classes, random));
        return layers;
    }

    /// <summary>Linear regression: input float [N, F], output <c>variable</c> float [N, 1] = <c>x · weights + bias</c>.</summary>
    public static byte[] Regressor(float[] weights, float bias, string inputName = DefaultInputName)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(weights.Length, 1, nameof(weights));
        return new OnnxModelWriter("linear_regression")
            .AddInput(inputName, OnnxElementType.Float, BatchDimension, weights.Length)
            .AddInitializer("coefficients", weights, weights.Length, 1)
            .AddInitializer("intercept", [bias], 1)
            .AddNode("Gemm", [inputName, "coefficients", "intercept"], [RegressionOutput])
            .AddOutput(RegressionOutput, OnnxElementType.Float, BatchDimension, 1)
            .ToArray();
    }

    /// <summary>The classifier head: scores = x · W + b ([N, C]), then probabilities and label.</summary>
    private static void AddClassifier(OnnxModelWriter writer, string input, float[,] weights, float[] bias)
    {
        var classes = bias.Length;
        writer.AddInitializer("coefficients", weights)
            .AddInitializer("intercepts", bias, classes)
            .AddNode("Gemm", [input, "coefficients", "intercepts"], ["scores"])
            .AddNode("Softmax", ["scores"], [ProbabilitiesOutput], OnnxAttribute.Int("axis", 1))
            .AddNode("ArgMax", [ProbabilitiesOutput], [LabelOutput], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0))
            .AddOutput(LabelOutput, OnnxElementType.Int64, BatchDimension)
            .AddOutput(ProbabilitiesOutput, OnnxElementType.Float, BatchDimension, classes);
    }
}
