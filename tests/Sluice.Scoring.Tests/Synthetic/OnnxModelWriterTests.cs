using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sluice.Scoring.Synthetic;

namespace Sluice.Scoring.Tests.Synthetic;

public sealed class OnnxModelWriterTests
{
    [Fact]
    public void ToArray_ModelMetadata_IsReportedByOnnxRuntime()
    {
        var bytes = new OnnxModelWriter("identity_model") { Description = "copies its input" }
            .AddInput("x", OnnxElementType.Float, "N", 3)
            .AddNode("Identity", ["x"], ["y"])
            .AddOutput("y", OnnxElementType.Float, "N", 3)
            .ToArray();

        using var session = new InferenceSession(bytes);

        Assert.Equal("identity_model", session.ModelMetadata.GraphName);
        Assert.Equal("sluice", session.ModelMetadata.ProducerName);
        Assert.Equal("copies its input", session.ModelMetadata.Description);
    }

    [Fact]
    public void AddInput_SymbolicDimension_IsDynamicInOnnxRuntime()
    {
        var bytes = new OnnxModelWriter("identity")
            .AddInput("x", OnnxElementType.Float, "N", 3)
            .AddNode("Identity", ["x"], ["y"])
            .AddOutput("y", OnnxElementType.Float, "N", 3)
            .ToArray();

        using var session = new InferenceSession(bytes);

        var input = session.InputMetadata["x"];
        Assert.Equal(TensorElementType.Float, input.ElementDataType);
        Assert.Equal([-1, 3], input.Dimensions);
        Assert.Equal("N", input.SymbolicDimensions[0]);
        var output = OnnxTestRunner.Run(session, ("x", [1, 2, 3, 4, 5, 6], [2, 3]))["y"];
        Assert.Equal([2L, 3], output.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], output.Floats);
    }

    [Fact]
    public void Nodes_WithIntFloatAndIntsAttributes_ComputeWhatTheAttributesSay()
    {
        // y = Transpose(Gemm(Cast(x), w, b, alpha = 2, beta = 0.5), perm = [1, 0]); z = ArgMax(x, axis = -1, keepdims = 0).
        var bytes = new OnnxModelWriter("attributes")
            .AddInput("x", OnnxElementType.Int64, "N", 2)
            .AddInitializer("w", [1f, 10f, 100f, 1000f], 2, 2)
            .AddInitializer("b", [4f, 8f], 2)
            .AddNode("Cast", ["x"], ["xf"], OnnxAttribute.Int("to", (long)OnnxElementType.Float))
            .AddNode("Gemm", ["xf", "w", "b"], ["g"], OnnxAttribute.Float("alpha", 2f), OnnxAttribute.Float("beta", 0.5f))
            .AddNode("Transpose", ["g"], ["y"], OnnxAttribute.Ints("perm", 1, 0))
            .AddNode("ArgMax", ["x"], ["z"], OnnxAttribute.Int("axis", -1), OnnxAttribute.Int("keepdims", 0))
            .AddOutput("y", OnnxElementType.Float, 2, "N")
            .AddOutput("z", OnnxElementType.Int64, "N")
            .ToArray();

        using var session = new InferenceSession(bytes);
        Assert.Equal(TensorElementType.Int64, session.InputMetadata["x"].ElementDataType);
        Assert.Equal(TensorElementType.Int64, session.OutputMetadata["z"].ElementDataType);

        var x = OrtValue.CreateTensorValueFromMemory(new long[] { 1, 2, -3, -4 }, [2, 2]);
        using (x)
        {
            using var options = new RunOptions();
            using var results = session.Run(options, new Dictionary<string, OrtValue> { ["x"] = x }, ["y", "z"]);

            // Row [1, 2]: 2 * (1 + 200, 10 + 2000) + 0.5 * (4, 8) = (404, 4024); row [-3, -4]: (-806, -8060) + (2, 4).
            Assert.Equal([2L, 2], results[0].GetTensorTypeAndShape().Shape);
            Assert.Equal([404f, -804f, 4024f, -8056f], results[0].GetTensorDataAsSpan<float>().ToArray());
            Assert.Equal([1L, 0], results[1].GetTensorDataAsSpan<long>().ToArray());
        }
    }

    [Fact]
    public void AddInitializer_WithShapeNotMatchingValues_Throws()
    {
        var writer = new OnnxModelWriter("bad");
        Assert.Throws<ArgumentException>(() => writer.AddInitializer("w", [1f, 2f, 3f], 2, 2));
    }

    [Fact]
    public void AddInput_WithDefaultDimension_Throws()
    {
        var writer = new OnnxModelWriter("bad");
        Assert.Throws<ArgumentException>(() => writer.AddInput("x", OnnxElementType.Float, default(OnnxDim), 2));
    }

    [Fact]
    public void ToArray_SameGraph_GivesIdenticalBytes()
    {
        static byte[] Build() => new OnnxModelWriter("m")
            .AddInput("x", OnnxElementType.Float, "N", 2)
            .AddInitializer("w", [0.5f, -1.25f], 2, 1)
            .AddNode("MatMul", ["x", "w"], ["y"])
            .AddOutput("y", OnnxElementType.Float, "N", 1)
            .ToArray();

        Assert.Equal(Build(), Build());
    }
}
