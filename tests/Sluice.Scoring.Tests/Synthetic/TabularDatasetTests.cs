using Sluice.Scoring.Synthetic;

namespace Sluice.Scoring.Tests.Synthetic;

public sealed class TabularDatasetTests
{
    [Fact]
    public void Generate_SameSeed_GivesIdenticalRows()
    {
        var a = TabularDataset.Generate(500, 8, 3, seed: 11);
        var b = TabularDataset.Generate(500, 8, 3, seed: 11);

        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.Equal(a.Labels.ToArray(), b.Labels.ToArray());
    }

    [Fact]
    public void Generate_DifferentSeed_GivesDifferentRows()
    {
        var a = TabularDataset.Generate(100, 8, 3, seed: 11);
        var b = TabularDataset.Generate(100, 8, 3, seed: 12);

        Assert.NotEqual(a.Features.ToArray(), b.Features.ToArray());
    }

    [Fact]
    public void Generate_FixedSeed_GivesKnownFirstRow()
    {
        // Pins the generator: a change here changes every dataset the quickstart, tests and benchmarks use.
        var first = TabularDataset.Generate(1, 3, 2, seed: 42);

        Assert.Equal(1, first.Labels.Span[0]);
        Assert.Equal([-2.6444f, -0.7173f, 0.0631f], first.Row(0).ToArray().Select(v => MathF.Round(v, 4)));
    }

    [Fact]
    public void Generate_HasRequestedShape_WithEveryClassPresent()
    {
        var data = TabularDataset.Generate(300, 6, 4, seed: 1);

        Assert.Equal(300, data.RowCount);
        Assert.Equal(6, data.FeatureCount);
        Assert.Equal(4, data.ClassCount);
        Assert.Equal(300 * 6, data.Features.Length);
        Assert.Equal([0, 1, 2, 3], data.Labels.ToArray().Distinct().Order());
        Assert.All(data.Features.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Stream_YieldsTheRowsGenerateHolds()
    {
        var data = TabularDataset.Generate(200, 5, 3, seed: 9);

        var streamed = TabularDataset.Stream(200, 5, 3, seed: 9).ToList();

        Assert.Equal(200, streamed.Count);
        for (var r = 0; r < data.RowCount; r++)
        {
            Assert.Equal(data.Row(r).ToArray(), streamed[r].Features.ToArray());
            Assert.Equal(data.Labels.Span[r], streamed[r].Label);
        }
    }

    [Fact]
    public void Split_KeepsRowsInOrder()
    {
        var data = TabularDataset.Generate(10, 2, 2, seed: 3);

        var (train, test) = data.Split(7);

        Assert.Equal(7, train.RowCount);
        Assert.Equal(3, test.RowCount);
        Assert.Equal(data.Row(6).ToArray(), train.Row(6).ToArray());
        Assert.Equal(data.Row(7).ToArray(), test.Row(0).ToArray());
        Assert.Equal(data.Labels.Span[7..].ToArray(), test.Labels.ToArray());
    }

    [Fact]
    public void Generate_WithOneClass_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TabularDataset.Generate(10, 2, 1, seed: 1));
    }
}
