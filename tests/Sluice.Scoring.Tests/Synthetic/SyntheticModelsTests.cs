using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sluice.Scoring.Synthetic;

namespace Sluice.Scoring.Tests.Synthetic;

public sealed class SyntheticModelsTests
{
    private const int Features = 5;
    private const int Classes = 4;
    private const int Rows = 64;

    [Fact]
    public void LogisticRegression_DeclaresBatchedInputAndClassifierOutputs()
    {
        using var session = new InferenceSession(SyntheticModels.LogisticRegression(Reference.RandomMatrix(Features, Classes, 1), Reference.RandomFloats(Classes, 2)));

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("input", input.Key);
        Assert.Equal(TensorElementType.Float, input.Value.ElementDataType);
        Assert.Equal([-1, Features], input.Value.Dimensions);
        Assert.Equal("N", input.Value.SymbolicDimensions[0]);
        Assert.Equal(["label", "probabilities"], session.OutputNames);
        Assert.Equal(TensorElementType.Int64, session.OutputMetadata["label"].ElementDataType);
        Assert.Equal([-1], session.OutputMetadata["label"].Dimensions);
        Assert.Equal(TensorElementType.Float, session.OutputMetadata["probabilities"].ElementDataType);
        Assert.Equal([-1, Classes], session.OutputMetadata["probabilities"].Dimensions);
    }

    [Fact]
    public void LogisticRegression_Outputs_MatchReferenceSoftmaxAndArgMax()
    {
        var weights = Reference.RandomMatrix(Features, Classes, 1);
        var bias = Reference.RandomFloats(Classes, 2);
        var x = Reference.RandomFloats(Rows * Features, 3, scale: 3);
        using var session = new InferenceSession(SyntheticModels.LogisticRegression(weights, bias));

        var outputs = OnnxTestRunner.Run(session, ("input", x, [Rows, Features]));

        var expected = Reference.Softmax(Reference.Affine(Reference.Matrix(x, Rows, Features), weights, bias));
        Reference.AssertClassifierOutputs(expected, outputs["label"], outputs["probabilities"]);
    }

    [Fact]
    public void LogisticRegression_WithInputName_DeclaresThatInput()
    {
        using var session = new InferenceSession(SyntheticModels.LogisticRegression(Reference.RandomMatrix(2, 2, 1), [0f, 0f], inputName: "float_input"));

        Assert.Equal(["float_input"], session.InputNames);
    }

    [Fact]
    public void LogisticRegression_WithBiasNotMatchingClasses_Throws()
    {
        Assert.Throws<ArgumentException>(() => SyntheticModels.LogisticRegression(Reference.RandomMatrix(3, 2, 1), [0f, 0f, 0f]));
    }

    [Fact]
    public void NamedInputsLogistic_TakesOneColumnPerFeature_NamedAfterIt()
    {
        string[] names = ["sepal_length", "sepal_width", "petal_length", "petal_width", "stem"];
        var weights = Reference.RandomMatrix(Features, Classes, 1);
        var bias = Reference.RandomFloats(Classes, 2);
        var x = Reference.RandomFloats(Rows * Features, 3, scale: 3);
        using var session = new InferenceSession(SyntheticModels.NamedInputsLogistic(names, weights, bias));

        Assert.Equal(names, session.InputNames);
        Assert.All(session.InputMetadata.Values, m => Assert.Equal([-1, 1], m.Dimensions));
        Assert.Equal(["label", "probabilities"], session.OutputNames);

        // Columns given in reverse order: each must be bound by name, not position.
        var columns = names
            .Select((name, f) => (name, Enumerable.Range(0, Rows).Select(r => x[r * Features + f]).ToArray(), new long[] { Rows, 1 }))
            .Reverse()
            .ToArray();
        var outputs = OnnxTestRunner.Run(session, columns);

        var expected = Reference.Softmax(Reference.Affine(Reference.Matrix(x, Rows, Features), weights, bias));
        Reference.AssertClassifierOutputs(expected, outputs["label"], outputs["probabilities"]);
    }

    [Fact]
    public void NamedInputsLogistic_WithDuplicateNames_Throws()
    {
        Assert.Throws<ArgumentException>(() => SyntheticModels.NamedInputsLogistic(["a", "a"], Reference.RandomMatrix(2, 2, 1), [0f, 0f]));
    }

    [Fact]
    public void Mlp_DefaultShape_IsSixtyFourFeaturesToTenClasses()
    {
        using var session = new InferenceSession(SyntheticModels.Mlp());

        Assert.Equal([-1, 64], session.InputMetadata["input"].Dimensions);
        Assert.Equal(["label", "probabilities"], session.OutputNames);
        Assert.Equal([-1, 10], session.OutputMetadata["probabilities"].Dimensions);
    }

    [Fact]
    public void Mlp_Outputs_MatchReferenceForwardPass()
    {
        var layers = SyntheticModels.RandomMlpLayers(seed: 7);
        Assert.Equal([64, 256, 256], layers.Select(l => l.Inputs));
        var x = Reference.RandomFloats(Rows * 64, 3);
        using var session = new InferenceSession(SyntheticModels.Mlp(layers));

        var outputs = OnnxTestRunner.Run(session, ("input", x, [Rows, 64]));

        Reference.AssertClassifierOutputs(Reference.Mlp(Reference.Matrix(x, Rows, 64), layers), outputs["label"], outputs["probabilities"]);
    }

    [Fact]
    public void Mlp_SameSeed_GivesIdenticalModel_OtherSeedDiffers()
    {
        Assert.Equal(SyntheticModels.Mlp(seed: 3), SyntheticModels.Mlp(seed: 3));
        Assert.NotEqual(SyntheticModels.Mlp(seed: 3), SyntheticModels.Mlp(seed: 4));
    }

    [Fact]
    public void Mlp_WithLayersThatDoNotChain_Throws()
    {
        var random = new Random(1);
        Assert.Throws<ArgumentException>(() => SyntheticModels.Mlp([DenseLayer.Random(4, 8, random), DenseLayer.Random(6, 2, random)]));
    }

    [Fact]
    public void Regressor_HasSingleVariableOutput_MatchingLinearReference()
    {
        var weights = Reference.RandomFloats(Features, 1);
        var x = Reference.RandomFloats(Rows * Features, 3, scale: 3);
        using var session = new InferenceSession(SyntheticModels.Regressor(weights, 0.75f));

        Assert.Equal(["input"], session.InputNames);
        Assert.Equal(["variable"], session.OutputNames);
        Assert.Equal(TensorElementType.Float, session.OutputMetadata["variable"].ElementDataType);
        Assert.Equal([-1, 1], session.OutputMetadata["variable"].Dimensions);

        var output = OnnxTestRunner.Run(session, ("input", x, [Rows, Features]))["variable"];

        var w = new float[Features, 1];
        for (var f = 0; f < Features; f++)
        {
            w[f, 0] = weights[f];
        }

        var expected = Reference.Affine(Reference.Matrix(x, Rows, Features), w, [0.75f]);
        Assert.Equal([(long)Rows, 1], output.Shape);
        for (var r = 0; r < Rows; r++)
        {
            Assert.Equal(expected[r, 0], output.Floats[r], 1e-4);
        }
    }
}
