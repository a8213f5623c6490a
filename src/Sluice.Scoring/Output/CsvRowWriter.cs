using System.Globalization;

namespace Sluice.Scoring.Output;

/// <summary>Writes rows as RFC 4180 CSV with invariant formatting; floats in their shortest round-trip form.</summary>
public static class CsvRowWriter
{
    public static void WriteRow(TextWriter writer, IReadOnlyList<object?> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            WriteValue(writer, values[i]);
        }

        writer.Write('\n');
    }

    public static void WriteValue(TextWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                WriteText(writer, text);
                return;
            case float f:
                WriteFormatted(writer, f);
                return;
            case double d:
                WriteFormatted(writer, d);
                return;
            case long l:
                WriteFormatted(writer, l);
                return;
            case int i:
                WriteFormatted(writer, i);
                return;
            case bool b:
                writer.Write(b ? "true" : "false");
                return;
            case IFormattable formattable:
                WriteText(writer, formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            default:
                WriteText(writer, value.ToString() ?? string.Empty);
                return;
        }
    }

    /// <summary>Formats into a stack buffer: no string per value on the output path. Floats use their shortest round-trip form.</summary>
    private static void WriteFormatted<T>(TextWriter writer, T value)
        where T : ISpanFormattable
    {
        Span<char> buffer = stackalloc char[64];
        if (value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture))
        {
            writer.Write(buffer[..written]);
        }
        else
        {
            writer.Write(value.ToString(null, CultureInfo.InvariantCulture));
        }
    }

    private static void WriteText(TextWriter writer, string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(text);
            return;
        }

        writer.Write('"');
        writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}
