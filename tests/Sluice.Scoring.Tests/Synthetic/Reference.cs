using Sluice.Scoring.Synthetic;

namespace Sluice.Scoring.Tests.Synthetic;

/// <summary>The models' math done plainly in double precision, to check what ONNX Runtime computes.</summary>
internal static class Reference
{
    public static double[,] Matrix(ReadOnlySpan<float> rowMajor, int rows, int columns)
    {
        var m = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                m[r, c] = rowMajor[r * columns + c];
            }
        }

        return m;
    }

    /// <summary>x · w + b for x [N, in], w [in, out], b [out].</summary>
    public static double[,] Affine(double[,] x, float[,] w, float[] b)
    {
        int rows = x.GetLength(0), inputs = w.GetLength(0), outputs = w.GetLength(1);
        Assert.Equal(inputs, x.GetLength(1));
        var y = new double[rows, outputs];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outputs; o++)
            {
                double sum = b[o];
                for (var i = 0; i < inputs; i++)
                {
                    sum += x[r, i] * w[i, o];
                }

                y[r, o] = sum;
            }
        }

        return y;
    }

    public static double[,] Affine(double[,] x, DenseLayer layer)
    {
        var w = new float[layer.Inputs, layer.Outputs];
        var b = new float[layer.Outputs];
        for (var o = 0; o < layer.Outputs; o++)
        {
            b[o] = layer.Bias(o);
            for (var i = 0; i < layer.Inputs; i++)
            {
                w[i, o] = layer.Weight(i, o);
            }
        }

        return Affine(x, w, b);
    }

    public static double[,] Relu(double[,] x)
    {
        var y = (double[,])x.Clone();
        for (var r = 0; r < y.GetLength(0); r++)
        {
            for (var c = 0; c < y.GetLength(1); c++)
            {
                y[r, c] = Math.Max(0, y[r, c]);
            }
        }

        return y;
    }

    public static double[,] Softmax(double[,] scores)
    {
        int rows = scores.GetLength(0), classes = scores.GetLength(1);
        var p = new double[rows, classes];
        for (var r = 0; r < rows; r++)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < classes; c++)
            {
                max = Math.Max(max, scores[r, c]);
            }

            var sum = 0.0;
            for (var c = 0; c < classes; c++)
            {
                p[r, c] = Math.Exp(scores[r, c] - max);
                sum += p[r, c];
            }

            for (var c = 0; c < classes; c++)
            {
                p[r, c] /= sum;
            }
        }

        return p;
    }

    public static double[,] Mlp(double[,] x, IReadOnlyList<DenseLayer> layers)
    {
        for (var i = 0; i < layers.Count - 1; i++)
        {
            x = Relu(Affine(x, layers[i]));
        }

        return Softmax(Affine(x, layers[^1]));
    }

    /// <summary>
    /// Checks ONNX Runtime's probabilities element by element, and that each label is a most probable class (allowing
    /// for a near-tie, where float and double rounding may pick different classes).
    /// </summary>
    public static void AssertClassifierOutputs(double[,] expectedProbabilities, TensorResult labels, TensorResult probabilities, double tolerance = 1e-4)
    {
        int rows = expectedProbabilities.GetLength(0), classes = expectedProbabilities.GetLength(1);
        Assert.Equal([rows], labels.Shape);
        Assert.Equal([rows, classes], probabilities.Shape);
        for (var r = 0; r < rows; r++)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < classes; c++)
            {
                Assert.Equal(expectedProbabilities[r, c], probabilities.Floats[r * classes + c], tolerance);
                max = Math.Max(max, expectedProbabilities[r, c]);
            }

            var label = labels.Longs[r];
            Assert.InRange(label, 0, classes - 1);
            Assert.True(expectedProbabilities[r, label] >= max - 1e-6, $"row {r}: label {label} is not a most probable class");
        }
    }

    public static float[] RandomFloats(int count, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(scale * (random.NextDouble() * 2 - 1)))];
    }

    public static float[,] RandomMatrix(int rows, int columns, int seed)
    {
        var values = RandomFloats(rows * columns, seed);
        var m = new float[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                m[r, c] = values[r * columns + c];
            }
        }

        return m;
    }
}
