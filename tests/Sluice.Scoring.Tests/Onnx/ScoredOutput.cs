using System.Globalization;
using System.Text;
using Sluice.Scoring.Output;

namespace Sluice.Scoring.Tests.Onnx;

/// <summary>A mini-batch's output CSV read back: the header and each row's fields (test file names need no quoting).</summary>
internal sealed record ScoredOutput(string[] Header, IReadOnlyList<string[]> Rows)
{
    public static async Task<ScoredOutput> ReadAsync(MiniBatchOutput output)
    {
        using var destination = new MemoryStream();
        await output.CopyToAsync(destination, TestContext.Current.CancellationToken);
        var lines = Encoding.UTF8.GetString(destination.ToArray()).Split('\n');
        Assert.Equal(string.Empty, lines[^1]);
        return new ScoredOutput(lines[0].Split(','), [.. lines[1..^1].Select(l => l.Split(','))]);
    }

    public int Column(string name)
    {
        var index = Array.IndexOf(Header, name);
        Assert.True(index >= 0, $"no column '{name}' in {string.Join(",", Header)}");
        return index;
    }

    public IEnumerable<string[]> RowsOf(string fileName) => Rows.Where(r => r[^1] == fileName);

    public static float Float(string text) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static long Long(string text) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
