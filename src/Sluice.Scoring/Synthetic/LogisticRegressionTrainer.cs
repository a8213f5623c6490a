namespace Sluice.Scoring.Synthetic;

/// <summary>A trained multinomial logistic regression: class scores are <c>x · Weights + Bias</c>, then softmax.</summary>
public sealed class LogisticRegressionModel
{
    private readonly float[,] weights;
    private readonly float[] bias;

    /// <param name="weights">Shape [features, classes].</param>
    /// <param name="bias">One value per class.</param>
    public LogisticRegressionModel(float[,] weights, float[] bias)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        if (weights.GetLength(1) != bias.Length)
        {
            throw new ArgumentException($"Weights have {weights.GetLength(1)} classes but the bias has {bias.Length}.", nameof(bias));
        }

        this.weights = (float[,])weights.Clone();
        this.bias = (float[])bias.Clone();
    }

    public int FeatureCount => weights.GetLength(0);

    public int ClassCount => bias.Length;

    /// <summary>A copy of the weights, shape [features, classes].</summary>
    public float[,] GetWeights() => (float[,])weights.Clone();

    /// <summary>A copy of the bias, one value per class.</summary>
    public float[] GetBias() => (float[])bias.Clone();

    /// <summary>The most probable class for one row (the class with the highest score; softmax keeps the order).</summary>
    public int Predict(ReadOnlySpan<float> row)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(row.Length, FeatureCount, nameof(row));
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < ClassCount; c++)
        {
            double score = bias[c];
            for (var f = 0; f < row.Length; f++)
            {
                score += (double)row[f] * weights[f, c];
            }

            if (score > bestScore)
            {
                (best, bestScore) = (c, score);
            }
        }

        return best;
    }

    /// <summary>The fraction of rows whose predicted class is their label.</summary>
    public double Accuracy(TabularDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.RowCount == 0)
        {
            return 0;
        }

        var labels = dataset.Labels.Span;
        var correct = 0;
        for (var row = 0; row < dataset.RowCount; row++)
        {
            if (Predict(dataset.Row(row)) == labels[row])
            {
                correct++;
            }
        }

        return (double)correct / dataset.RowCount;
    }
}

/// <summary>
/// Fits a <see cref="LogisticRegressionModel"/> by full-batch gradient descent on the softmax cross-entropy: each epoch
/// computes the class probabilities of every row and moves the weights against the average gradient
/// <c>xᵀ(p − onehot(y))</c>. Plain and deterministic; meant for synthetic data of a few thousand rows, not for real work.
/// </summary>
public static class LogisticRegressionTrainer
{
    /// <param name="epochs">Passes over the data; a few hundred is plenty for well-separated clusters.</param>
    /// <param name="learningRate">Step size. With features of unit-ish scale, 0.1–0.5 converges without oscillating.</param>
    /// <param name="seed">Seeds the small random initial weights.</param>
    public static LogisticRegressionModel Fit(TabularDataset dataset, int epochs = 200, double learningRate = 0.3, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(dataset.RowCount, 1, nameof(dataset));
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);

        int rows = dataset.RowCount, features = dataset.FeatureCount, classes = dataset.ClassCount;
        var x = dataset.Features.Span;
        var y = dataset.Labels.Span;

        var random = new Random(seed);
        var w = new double[features * classes]; // [f * classes + c]
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = 0.01 * TabularDataset.NextGaussian(random);
        }

        var b = new double[classes];
        var gradW = new double[w.Length];
        var gradB = new double[classes];
        var p = new double[classes];

        for (var epoch = 0; epoch < epochs; epoch++)
        {
            Array.Clear(gradW);
            Array.Clear(gradB);
            for (var r = 0; r < rows; r++)
            {
                var row = x.Slice(r * features, features);
                Probabilities(row, w, b, p);
                p[y[r]] -= 1; // p − onehot(y): the gradient of the cross-entropy with respect to the scores
                for (var c = 0; c < classes; c++)
                {
                    gradB[c] += p[c];
                }

                for (var f = 0; f < features; f++)
                {
                    for (var c = 0; c < classes; c++)
                    {
                        gradW[f * classes + c] += row[f] * p[c];
                    }
                }
            }

            var step = learningRate / rows;
            for (var i = 0; i < w.Length; i++)
            {
                w[i] -= step * gradW[i];
            }

            for (var c = 0; c < classes; c++)
            {
                b[c] -= step * gradB[c];
            }
        }

        var weights = new float[features, classes];
        for (var f = 0; f < features; f++)
        {
            for (var c = 0; c < classes; c++)
            {
                weights[f, c] = (float)w[f * classes + c];
            }
        }

        return new LogisticRegressionModel(weights, [.. b.Select(v => (float)v)]);
    }

    private static void Probabilities(ReadOnlySpan<float> row, double[] w, double[] b, double[] p)
    {
        var classes = b.Length;
        var max = double.NegativeInfinity;
        for (var c = 0; c < classes; c++)
        {
            var score = b[c];
            for (var f = 0; f < row.Length; f++)
            {
                score += row[f] * w[f * classes + c];
            }

            p[c] = score;
            max = Math.Max(max, score);
        }

        // Subtracting the largest score keeps exp() from overflowing without changing the result.
        var sum = 0.0;
        for (var c = 0; c < classes; c++)
        {
            p[c] = Math.Exp(p[c] - max);
            sum += p[c];
        }

        for (var c = 0; c < classes; c++)
        {
            p[c] /= sum;
        }
    }
}
