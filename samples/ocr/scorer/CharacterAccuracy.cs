namespace Samples.Ocr;

/// <summary>
/// Character accuracy of recognised text against the truth: 1 − edit distance / truth length, aggregated over a set
/// as 1 − Σ distances / Σ lengths (so long words weigh more, and a set is not flattered by its short words).
/// </summary>
public static class CharacterAccuracy
{
    /// <summary>The Levenshtein distance: insertions, deletions and substitutions, each costing 1.</summary>
    public static int Distance(string expected, string actual)
    {
        Span<int> row = actual.Length < 256 ? stackalloc int[actual.Length + 1] : new int[actual.Length + 1];
        for (var j = 0; j <= actual.Length; j++)
        {
            row[j] = j;
        }

        for (var i = 1; i <= expected.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= actual.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (expected[i - 1] == actual[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[actual.Length];
    }

    /// <summary>One word's accuracy; can be negative when the recognised text is much longer than the truth.</summary>
    public static double Of(string expected, string actual) =>
        expected.Length == 0 ? (actual.Length == 0 ? 1 : 0) : 1 - ((double)Distance(expected, actual) / expected.Length);

    /// <summary>A set's accuracy. Pairs are (truth, recognised); a missing recognition is the empty string.</summary>
    public static double Of(IEnumerable<(string Expected, string Actual)> pairs)
    {
        long distance = 0;
        long length = 0;
        foreach (var (expected, actual) in pairs)
        {
            distance += Distance(expected, actual);
            length += expected.Length;
        }

        return length == 0 ? throw new ArgumentException("the set holds no characters to compare", nameof(pairs)) : 1 - ((double)distance / length);
    }
}
