using System.Globalization;
using System.Text;

namespace Sluice.Scoring.Tabular;

/// <summary>
/// Reads a CSV file of numbers (RFC 4180: a header row, then rows; quoted fields allowed) into floats. Numbers are
/// parsed straight from the UTF-8 bytes, without a string per field: this is the no-code scorer's hot path. A row
/// with the wrong number of fields, or a value that is not a number, fails the file with its line number.
/// </summary>
/// <remarks>Hand-written rather than a CSV library because it feeds float buffers directly and reports exact lines.</remarks>
public static class CsvTableReader
{
    public static TabularData Read(string path, CancellationToken cancellationToken) =>
        Parse(File.ReadAllBytes(path), Path.GetFileName(path), firstDataLine: null, pooled: false, cancellationToken);

    /// <summary>
    /// <see cref="Read"/> for the scorer's hot path: the file's bytes and the values live in pooled arrays, so a job of
    /// many files reuses the same few buffers instead of putting two new large objects per file on the heap. The
    /// caller hands the values back with <see cref="TabularData.ReturnBuffer"/>; <see cref="TabularData.Values"/> may be
    /// longer than the rows.
    /// </summary>
    internal static TabularData ReadPooled(string path, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (file.Length > Array.MaxLength)
        {
            throw new TabularFormatException($"{Path.GetFileName(path)} is {file.Length:N0} bytes; a CSV file read whole must be under 2 GB: set the deployment's mini_batch_size to a size (\"10MB\") or a row count (\"5000 rows\") so it is read in slices, or split the file");
        }

        var length = (int)file.Length;
        var bytes = ScoringBuffers.Bytes.Rent(Math.Max(length, 1));
        try
        {
            file.ReadExactly(bytes, 0, length);
            return Parse(bytes.AsSpan(0, length), Path.GetFileName(path), firstDataLine: null, pooled: true, cancellationToken);
        }
        finally
        {
            ScoringBuffers.Bytes.Return(bytes);
        }
    }

    /// <summary>Reads the header and one slice of a file: only those bytes are loaded, whatever the file's size.</summary>
    public static TabularData ReadSlice(string path, TabularSlice slice, CancellationToken cancellationToken)
    {
        // Slices are megabytes each and come one after another: a pooled buffer spares the large-object heap a new
        // array per mini-batch, which it would only reclaim at the next full collection.
        var length = (int)(slice.HeaderLength + (slice.End - slice.Start));
        var bytes = ScoringBuffers.Bytes.Rent(length);
        try
        {
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
            {
                file.ReadExactly(bytes, 0, (int)slice.HeaderLength);
                file.Position = slice.Start;
                file.ReadExactly(bytes, (int)slice.HeaderLength, (int)(slice.End - slice.Start));
            }

            // Line numbers in errors count from the file's start: header on line 1, row r on line r + 2.
            return Parse(bytes.AsSpan(0, length), Path.GetFileName(path), firstDataLine: slice.FirstRow + 2, pooled: false, cancellationToken);
        }
        finally
        {
            ScoringBuffers.Bytes.Return(bytes);
        }
    }

    private static TabularData Parse(ReadOnlySpan<byte> bytes, string name, long? firstDataLine, bool pooled, CancellationToken cancellationToken)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        long line = 0;
        string[]? header = null;
        float[] values = [];
        var count = 0;
        var rows = 0;
        var fields = new List<string>();
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            var record = end < 0 ? bytes : bytes[..end];
            var rest = end < 0 ? [] : bytes[(end + 1)..];
            line++;
            if (record.EndsWith("\r"u8))
            {
                record = record[..^1];
            }

            if (record.Trim("\t "u8).IsEmpty)
            {
                bytes = rest;
                continue; // blank lines are not rows
            }

            if (record.IndexOf((byte)'"') >= 0)
            {
                // Quoted fields (possibly spanning lines): the general, slower path for this record only.
                var startLine = line;
                (fields, var consumed, line) = ReadQuotedRecord(bytes, line, name);
                rest = bytes[consumed..];
                if (header is null)
                {
                    header = StartTable(fields, name, startLine, bytes.Length, pooled, out values);
                }
                else
                {
                    AppendParsed(fields, header, values.Length, ref values, ref count, name, startLine, pooled);
                    rows++;
                }

                bytes = rest;
                continue;
            }

            if (header is null)
            {
                header = StartTable(SplitPlain(record), name, line, bytes.Length, pooled, out values);
                if (firstDataLine is { } first)
                {
                    line = first - 1;
                }

                bytes = rest;
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (values.Length < count + header.Length)
            {
                Grow(ref values, Math.Max(values.Length * 2, count + header.Length), count, pooled);
            }

            var fieldCount = record.Count((byte)',') + 1;
            if (fieldCount != header.Length)
            {
                throw new TabularFormatException($"{name}:{line}: expected {header.Length} values (one per column of the header), found {fieldCount}", line);
            }

            var field = 0;
            while (true)
            {
                var comma = record.IndexOf((byte)',');
                var text = comma < 0 ? record : record[..comma];
                if (!float.TryParse(text.Trim((byte)' '), NumberStyles.Float, CultureInfo.InvariantCulture, out values[count + field]))
                {
                    throw new TabularFormatException($"{name}:{line}: column '{header[field]}' holds '{Shorten(Encoding.UTF8.GetString(text))}', which is not a number", line);
                }

                field++;
                if (comma < 0)
                {
                    break;
                }

                record = record[(comma + 1)..];
            }

            count += header.Length;
            rows++;
            bytes = rest;
        }

        if (header is null)
        {
            throw new TabularFormatException($"{name}: the file is empty; expected a header row and data rows");
        }

        if (!pooled)
        {
            Array.Resize(ref values, count);
        }

        return new TabularData(header, values, rows) { IsPooled = pooled };
    }

    private static void Grow(ref float[] values, int size, int count, bool pooled)
    {
        if (!pooled)
        {
            Array.Resize(ref values, size);
            return;
        }

        var larger = ScoringBuffers.Floats.Rent(size);
        values.AsSpan(0, count).CopyTo(larger);
        ScoringBuffers.Floats.Return(values);
        values = larger;
    }

    private static string[] StartTable(List<string> fields, string name, long line, int remainingBytes, bool pooled, out float[] values)
    {
        var header = fields.Select(f => f.Trim()).ToArray();
        if (header.All(h => float.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            throw new TabularFormatException($"{name}:{line}: the first line looks like data; a CSV file needs a header row naming its columns", line);
        }

        // About eight bytes per value is typical of numeric CSV; the buffer grows if the guess is short.
        var size = Math.Max(header.Length, remainingBytes / 8);
        values = pooled ? ScoringBuffers.Floats.Rent(size) : new float[size];
        return header;
    }

    private static void AppendParsed(List<string> fields, string[] header, int capacity, ref float[] values, ref int count, string name, long line, bool pooled)
    {
        if (fields.Count != header.Length)
        {
            throw new TabularFormatException($"{name}:{line}: expected {header.Length} values (one per column of the header), found {fields.Count}", line);
        }

        if (capacity < count + header.Length)
        {
            Grow(ref values, Math.Max(capacity * 2, count + header.Length), count, pooled);
        }

        for (var i = 0; i < fields.Count; i++)
        {
            if (!float.TryParse(fields[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[count + i]))
            {
                throw new TabularFormatException($"{name}:{line}: column '{header[i]}' holds '{Shorten(fields[i])}', which is not a number", line);
            }
        }

        count += header.Length;
    }

    private static List<string> SplitPlain(ReadOnlySpan<byte> record)
    {
        var fields = new List<string>();
        foreach (var range in record.Split((byte)','))
        {
            fields.Add(Encoding.UTF8.GetString(record[range]));
        }

        return fields;
    }

    /// <summary>Reads one RFC 4180 record that contains quotes; it may span lines. Returns its fields, the bytes it used, and the last line number it used.</summary>
    private static (List<string> Fields, int Consumed, long Line) ReadQuotedRecord(ReadOnlySpan<byte> bytes, long line, string name)
    {
        var fields = new List<string>();
        var field = new List<byte>();
        var quoted = false;
        var i = 0;
        while (i < bytes.Length)
        {
            var c = bytes[i];
            if (quoted)
            {
                if (c == (byte)'"')
                {
                    if (i + 1 < bytes.Length && bytes[i + 1] == (byte)'"')
                    {
                        field.Add((byte)'"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                }
                else
                {
                    if (c == (byte)'\n')
                    {
                        line++;
                    }

                    field.Add(c);
                }
            }
            else if (c == (byte)'"' && field.Count == 0)
            {
                quoted = true;
            }
            else if (c == (byte)',')
            {
                fields.Add(Encoding.UTF8.GetString([.. field]));
                field.Clear();
            }
            else if (c == (byte)'\n')
            {
                fields.Add(Encoding.UTF8.GetString([.. field]).TrimEnd('\r'));
                return (fields, i + 1, line);
            }
            else
            {
                field.Add(c);
            }

            i++;
        }

        if (quoted)
        {
            throw new TabularFormatException($"{name}:{line}: a quoted field is not closed before the end of the file", line);
        }

        fields.Add(Encoding.UTF8.GetString([.. field]).TrimEnd('\r'));
        return (fields, bytes.Length, line);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
