using System.Text;

namespace Samples.Ocr;

/// <summary>
/// Greedy CTC decoding, as PaddleOCR's CTCLabelDecode: the most probable class at every time step; repeats of the
/// previous step's class and the blank (class 0) are dropped; the rest map to characters. The confidence is the mean
/// of the kept steps' probabilities (0 when nothing is kept).
/// </summary>
public sealed class CtcDecoder(CharacterSet characters)
{
    public CharacterSet Characters { get; } = characters;

    /// <summary>Decodes one item's output, <paramref name="probabilities"/> laid out as [time steps, classes].</summary>
    public (string Text, float Confidence) Decode(ReadOnlySpan<float> probabilities, StringBuilder? scratch = null)
    {
        var classes = Characters.Count;
        if (probabilities.Length % classes != 0)
        {
            throw new ArgumentException($"the model's output has {probabilities.Length} values, not a multiple of the character list's {classes} classes: is keys.txt the model's own list?", nameof(probabilities));
        }

        var text = scratch ?? new StringBuilder();
        text.Clear();
        var previous = -1;
        var sum = 0f;
        var kept = 0;
        for (var step = 0; step < probabilities.Length / classes; step++)
        {
            var row = probabilities.Slice(step * classes, classes);
            var best = ArgMax(row);
            if (best != 0 && best != previous)
            {
                text.Append(Characters[best]);
                sum += row[best];
                kept++;
            }

            previous = best;
        }

        return (text.ToString(), kept == 0 ? 0f : sum / kept);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        var max = row[0];
        for (var i = 1; i < row.Length; i++)
        {
            if (row[i] > max)
            {
                max = row[i];
                best = i;
            }
        }

        return best;
    }
}
