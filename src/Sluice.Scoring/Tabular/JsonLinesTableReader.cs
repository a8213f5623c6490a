using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sluice.Scoring.Tabular;

/// <summary>
/// Reads JSON Lines (one object per line) into floats: the columns are the first object's keys, in order; every
/// object must give each of them a number. Other keys are ignored.
/// </summary>
public static class JsonLinesTableReader
{
    public static TabularData Read(string path, CancellationToken cancellationToken) =>
        Parse(File.ReadAllBytes(path), Path.GetFileName(path), 1, cancellationToken);

    public static TabularData ReadSlice(string path, TabularSlice slice, CancellationToken cancellationToken)
    {
        var length = (int)(slice.End - slice.Start);
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
            {
                file.Position = slice.Start;
                file.ReadExactly(bytes, 0, length);
            }

            return Parse(bytes.AsSpan(0, length), Path.GetFileName(path), slice.FirstRow + 1, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static TabularData Parse(ReadOnlySpan<byte> bytes, string name, long firstLine, CancellationToken cancellationToken)
    {
        List<string>? columns = null;
        var values = new List<float>();
        var rows = 0;
        var line = firstLine - 1;
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            var record = (end < 0 ? bytes : bytes[..end]).Trim("\r\t "u8);
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            line++;
            if (record.IsEmpty)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            using var document = Parse(record, name, line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new TabularFormatException($"{name}:{line}: expected a JSON object per line", line);
            }

            columns ??= document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
            foreach (var column in columns)
            {
                if (!document.RootElement.TryGetProperty(column, out var value))
                {
                    throw new TabularFormatException($"{name}:{line}: the object has no '{column}', which the first line has", line);
                }

                if (value.ValueKind != JsonValueKind.Number || !value.TryGetSingle(out var number))
                {
                    throw new TabularFormatException($"{name}:{line}: '{column}' holds {value.GetRawText()}, which is not a number", line);
                }

                values.Add(number);
            }

            rows++;
        }

        return columns is null
            ? throw new TabularFormatException($"{name}: no JSON object to score")
            : new TabularData(columns, values.ToArray(), rows);
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> record, string name, long line)
    {
        try
        {
            return JsonDocument.Parse(record.ToArray());
        }
        catch (JsonException ex)
        {
            throw new TabularFormatException($"{name}:{line}: not valid JSON ({ex.Message.Split(" LineNumber")[0].TrimEnd('.')}): {Encoding.UTF8.GetString(record[..Math.Min(record.Length, 40)])}", line);
        }
    }
}
