namespace Sluice.Scoring.Synthetic;

/// <summary>One labelled row of a synthetic dataset.</summary>
public readonly record struct TabularRow(ReadOnlyMemory<float> Features, int Label);

/// <summary>
/// A labelled table of float features held in memory (row-major), generated as Gaussian class clusters: each class has
/// a centre drawn from N(0, separation²) per feature (kept apart from the others, see <see cref="DrawCentres"/>), and
/// each row is a uniformly chosen class's centre plus N(0, 1) noise. The same arguments always give the same rows, on
/// any machine.
/// </summary>
public sealed class TabularDataset
{
    /// <summary>
    /// Spread of the class centres in units of the noise. At 1.25, logistic regression on 2,000 rows of 8 features and
    /// 3 classes scores 94–100% on held-out rows (98% on average over 200 seeds): clearly learnable, not trivial.
    /// </summary>
    public const double DefaultSeparation = 1.25;

    private const int CentreAttempts = 100;

    private readonly float[] features;
    private readonly int[] labels;

    private TabularDataset(float[] features, int[] labels, int featureCount, int classCount)
    {
        this.features = features;
        this.labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
    }

    public int RowCount => labels.Length;

    public int FeatureCount { get; }

    public int ClassCount { get; }

    /// <summary>All features, row-major: shape [<see cref="RowCount"/>, <see cref="FeatureCount"/>].</summary>
    public ReadOnlyMemory<float> Features => features;

    /// <summary>Each row's class, in [0, <see cref="ClassCount"/>).</summary>
    public ReadOnlyMemory<int> Labels => labels;

    public ReadOnlySpan<float> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        return features.AsSpan(row * FeatureCount, FeatureCount);
    }

    /// <summary>Generates <paramref name="rows"/> rows in memory; the same rows <see cref="Stream"/> yields.</summary>
    public static TabularDataset Generate(int rows, int features, int classes, int seed, double separation = DefaultSeparation)
    {
        Check(rows, features, classes, separation);
        if ((long)rows * features > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"{rows} rows of {features} features do not fit in memory at once; use Stream.");
        }

        var values = new float[rows * features];
        var labels = new int[rows];
        var row = 0;
        foreach (var item in Stream(rows, features, classes, seed, separation))
        {
            item.Features.Span.CopyTo(values.AsSpan(row * features));
            labels[row++] = item.Label;
        }

        return new TabularDataset(values, labels, features, classes);
    }

    /// <summary>
    /// Yields the rows one at a time without keeping them, for datasets larger than memory. Each row has its own
    /// feature array, so callers may keep rows they need.
    /// </summary>
    public static IEnumerable<TabularRow> Stream(int rows, int features, int classes, int seed, double separation = DefaultSeparation)
    {
        Check(rows, features, classes, separation);
        return StreamChecked(rows, features, classes, seed, separation);
    }

    /// <summary>Rows [start, start + count) as a new dataset with the same feature and class counts.</summary>
    public TabularDataset Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, RowCount, nameof(count));
        return new TabularDataset(
            features.AsSpan(start * FeatureCount, count * FeatureCount).ToArray(),
            labels.AsSpan(start, count).ToArray(),
            FeatureCount,
            ClassCount);
    }

    /// <summary>The first <paramref name="trainRows"/> rows for training, the rest held out (rows are already in random order).</summary>
    public (TabularDataset Train, TabularDataset Test) Split(int trainRows) =>
        (Slice(0, trainRows), Slice(trainRows, RowCount - trainRows));

    public IEnumerable<TabularRow> EnumerateRows()
    {
        for (var row = 0; row < RowCount; row++)
        {
            yield return new TabularRow(features.AsMemory(row * FeatureCount, FeatureCount), labels[row]);
        }
    }

    private static IEnumerable<TabularRow> StreamChecked(int rows, int features, int classes, int seed, double separation)
    {
        // System.Random with a seed uses a fixed algorithm, kept stable across .NET versions for exactly this use.
        var random = new Random(seed);
        var centres = DrawCentres(random, features, classes, separation);

        for (var row = 0; row < rows; row++)
        {
            var label = random.Next(classes);
            var values = new float[features];
            for (var f = 0; f < features; f++)
            {
                values[f] = (float)(centres[label * features + f] + NextGaussian(random));
            }

            yield return new TabularRow(values, label);
        }
    }

    /// <summary>
    /// Class centres drawn from N(0, separation²) per feature. Two such centres lie separation·√(2F) apart on average
    /// but sometimes much closer, which would make a seed's dataset unexpectedly hard; so a centre closer than
    /// separation·√F to an earlier one is redrawn (up to <see cref="CentreAttempts"/> times, keeping the farthest draw,
    /// for when the classes cannot all fit that far apart).
    /// </summary>
    private static double[] DrawCentres(Random random, int features, int classes, double separation)
    {
        var centres = new double[classes * features];
        var minDistance = separation * Math.Sqrt(features);
        var candidate = new double[features];
        for (var c = 0; c < classes; c++)
        {
            var best = double.NegativeInfinity;
            for (var attempt = 0; attempt < CentreAttempts && best < minDistance; attempt++)
            {
                for (var f = 0; f < features; f++)
                {
                    candidate[f] = separation * NextGaussian(random);
                }

                var nearest = double.PositiveInfinity;
                for (var other = 0; other < c; other++)
                {
                    var squared = 0.0;
                    for (var f = 0; f < features; f++)
                    {
                        var d = candidate[f] - centres[other * features + f];
                        squared += d * d;
                    }

                    nearest = Math.Min(nearest, Math.Sqrt(squared));
                }

                if (nearest > best)
                {
                    best = nearest;
                    candidate.CopyTo(centres, c * features);
                }
            }
        }

        return centres;
    }

    /// <summary>A standard normal sample by the Box–Muller transform (one of the pair is discarded, for simplicity).</summary>
    internal static double NextGaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // (0, 1]: keeps the logarithm finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void Check(int rows, int features, int classes, double separation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(separation);
    }
}
