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
                writer.Write(f.ToString("R", CultureInfo.InvariantCulture));
                return;
            case double d:
                writer.Write(d.ToString("R", CultureInfo.InvariantCulture));
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
