using System.Globalization;
using System.Text;

namespace Samples.Ocr;

/// <summary>
/// The truth of a rendered set (a labels file: file name, tab, text, one line each) and the predictions a job or loop
/// wrote (CSV: file_name,text,confidence), and the character accuracy of one against the other.
/// </summary>
public static class Labels
{
    public static void Write(string labelsFile, IEnumerable<RenderedLine> lines)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(labelsFile));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllLines(labelsFile, lines.Select(l => $"{l.FileName}\t{l.Text}"));
    }

    /// <summary>File name → text.</summary>
    public static Dictionary<string, string> Read(string labelsFile)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(labelsFile).Where(l => l.Length > 0))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                throw new InvalidDataException($"{labelsFile}: the line '{line}' is not 'file name<TAB>text'");
            }

            labels[line[..tab]] = line[(tab + 1)..];
        }

        return labels;
    }

    /// <summary>
    /// File name → text from a predictions CSV with a header naming file_name and text (a Sluice job's output, or the
    /// benchmark loop's). Fields may be quoted, with doubled quotes inside.
    /// </summary>
    public static Dictionary<string, string> ReadPredictions(string csvFile)
    {
        var rows = ParseCsv(File.ReadAllText(csvFile)).ToList();
        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{csvFile} is empty; expected a header with file_name and text");
        }

        var file = rows[0].IndexOf("file_name");
        var text = rows[0].IndexOf("text");
        if (file < 0 || text < 0)
        {
            throw new InvalidDataException($"{csvFile} has no file_name and text columns (its header: {string.Join(',', rows[0])})");
        }

        var predictions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows.Skip(1).Where(r => r.Count > Math.Max(file, text)))
        {
            predictions[Path.GetFileName(row[file])] = row[text];
        }

        return predictions;
    }

    /// <summary>Accuracy of predictions against labels; a labelled file without a prediction counts as empty text.</summary>
    public static AccuracyReport Compare(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> predictions)
    {
        var pairs = labels.Select(l => (l.Value, predictions.GetValueOrDefault(l.Key, ""))).ToList();
        return new AccuracyReport(
            labels.Count,
            labels.Keys.Count(predictions.ContainsKey),
            pairs.Count(p => p.Item1 == p.Item2),
            CharacterAccuracy.Of(pairs),
            [.. labels.Where(l => predictions.GetValueOrDefault(l.Key, "") != l.Value).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => (l.Key, l.Value, predictions.GetValueOrDefault(l.Key, "")))]);
    }

    private static IEnumerable<List<string>> ParseCsv(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                yield return row;
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }
}

/// <summary>A set's accuracy: how many were labelled, predicted, exactly right, the character accuracy, and the misses.</summary>
public sealed record AccuracyReport(int Labelled, int Predicted, int ExactWords, double CharacterAccuracy, IReadOnlyList<(string File, string Expected, string Actual)> Misses)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Labelled} lines, {Predicted} predicted, {ExactWords} exactly right, character accuracy {CharacterAccuracy:P2}");
}
