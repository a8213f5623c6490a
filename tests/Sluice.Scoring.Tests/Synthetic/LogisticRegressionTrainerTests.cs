using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Sluice.Scoring.Synthetic;

namespace Sluice.Scoring.Tests.Synthetic;

public sealed class LogisticRegressionTrainerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fit_GaussianClusters_ScoresAtLeastNinetyPercentOnHeldOutRows(int seed)
    {
        var clock = Stopwatch.StartNew();
        var (train, test) = TabularDataset.Generate(2_500, 8, 3, seed).Split(2_000);
        var generated = clock.Elapsed;
        var model = LogisticRegressionTrainer.Fit(train, seed: seed);
        var trained = clock.Elapsed - generated;

        var accuracy = model.Accuracy(test);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"seed {seed}: held-out accuracy {accuracy:P1}, train {model.Accuracy(train):P1}; generate {generated.TotalMilliseconds:F1} ms, train {trained.TotalMilliseconds:F1} ms");
        Assert.True(accuracy >= 0.9, $"held-out accuracy {accuracy:P1}");
    }

    [Fact]
    public void Fit_SameSeed_GivesIdenticalWeights()
    {
        var data = TabularDataset.Generate(300, 4, 3, seed: 5);

        var a = LogisticRegressionTrainer.Fit(data, epochs: 50, seed: 8);
        var b = LogisticRegressionTrainer.Fit(data, epochs: 50, seed: 8);

        Assert.Equal(a.GetWeights(), b.GetWeights());
        Assert.Equal(a.GetBias(), b.GetBias());
    }

    [Fact]
    public void TrainedModel_ExportedToOnnx_PredictsTheTrainersLabels()
    {
        var (train, test) = TabularDataset.Generate(2_500, 8, 3, seed: 1).Split(2_000);
        var model = LogisticRegressionTrainer.Fit(train);
        using var session = new InferenceSession(SyntheticModels.LogisticRegression(model));

        var outputs = OnnxTestRunner.Run(session, ("input", test.Features.ToArray(), [test.RowCount, test.FeatureCount]));

        var labels = outputs["label"].Longs;
        var truth = test.Labels.ToArray();
        var expected = Reference.Softmax(Reference.Affine(Reference.Matrix(test.Features.Span, test.RowCount, 8), model.GetWeights(), model.GetBias()));
        Reference.AssertClassifierOutputs(expected, outputs["label"], outputs["probabilities"]);
        var correct = labels.Where((label, r) => label == truth[r]).Count();
        Assert.True(correct >= 0.9 * test.RowCount, $"ONNX Runtime got {correct} of {test.RowCount} right");
    }
}
