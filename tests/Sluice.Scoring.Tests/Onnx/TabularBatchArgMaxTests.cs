using Sluice.Scoring.Onnx;

namespace Sluice.Scoring.Tests.Onnx;

public sealed class TabularBatchArgMaxTests
{
    [Fact]
    public void ArgMax_SingleHighest_ReturnsItsIndex() =>
        Assert.Equal(2, TabularBatch.ArgMax([0.1f, 0.2f, 0.6f, 0.1f]));

    [Fact]
    public void ArgMax_TiedHighest_ReturnsTheFirst()
    {
        Assert.Equal(1, TabularBatch.ArgMax([0.1f, 0.4f, 0.1f, 0.4f]));
        Assert.Equal(0, TabularBatch.ArgMax([0.25f, 0.25f, 0.25f, 0.25f]));
    }

    [Fact]
    public void ArgMax_NaNAfterTheFirst_IsPassedOver() =>
        Assert.Equal(2, TabularBatch.ArgMax([0.2f, float.NaN, 0.8f]));

    [Fact]
    public void ArgMax_NaNFirst_IsKeptBecauseNothingComparesGreater() =>
        Assert.Equal(0, TabularBatch.ArgMax([float.NaN, 0.3f, 0.7f]));

    [Fact]
    public void ArgMax_OneClass_ReturnsIt() =>
        Assert.Equal(0, TabularBatch.ArgMax([0.9f]));
}
