using System.Globalization;
using System.Text;

namespace Sluice.Scoring.Tabular;

/// <summary>
/// Reads a CSV file of numbers (RFC 4180: a header row, then rows; quoted fields allowed) into floats. A row with the
/// wrong number of fields or a value that is not a number fails the file with its line number.
/// </summary>
public static class CsvTableReader
{
    public static TabularData Read(string path, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var fields = new List<string>();
        long line = 0;
        string[]? header = null;
        var values = new List<float>();
        var rows = 0;
        var name = Path.GetFileName(path);
        while (ReadRecord(reader, fields, ref line))
        {
            if (header is null)
            {
                if (fields.Count == 1 && fields[0].Length == 0)
                {
                    continue; // blank lines before the header
                }

                header = [.. fields.Select(f => f.Trim())];
                if (header.All(h => float.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                {
                    throw new TabularFormatException($"{name}:{line}: the first line looks like data; a CSV file needs a header row naming its columns", line);
                }

                continue;
            }

            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // a trailing blank line is not a row
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (fields.Count != header.Length)
            {
                throw new TabularFormatException($"{name}:{line}: expected {header.Length} values (one per column of the header), found {fields.Count}", line);
            }

            for (var i = 0; i < fields.Count; i++)
            {
                if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new TabularFormatException($"{name}:{line}: column '{header[i]}' holds '{Shorten(fields[i])}', which is not a number", line);
                }

                values.Add(value);
            }

            rows++;
        }

        if (header is null)
        {
            throw new TabularFormatException($"{name}: the file is empty; expected a header row and data rows");
        }

        return new TabularData(header, values.ToArray(), rows);
    }

    /// <summary>Reads one record (which may span lines inside quotes) into <paramref name="fields"/>.</summary>
    private static bool ReadRecord(StreamReader reader, List<string> fields, ref long line)
    {
        fields.Clear();
        var text = reader.ReadLine();
        if (text is null)
        {
            return false;
        }

        line++;
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        while (true)
        {
            if (i >= text.Length)
            {
                if (quoted)
                {
                    // A quoted field continues on the next line.
                    var next = reader.ReadLine() ?? throw new TabularFormatException($"line {line}: a quoted field is not closed before the end of the file", line);
                    line++;
                    field.Append('\n');
                    text = next;
                    i = 0;
                    continue;
                }

                fields.Add(field.ToString());
                return true;
            }

            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }

            i++;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
