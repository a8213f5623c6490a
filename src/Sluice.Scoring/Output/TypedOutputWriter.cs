using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Sluice.Scoring.Output;

/// <summary>The type a column of committed rows turns out to have, widened as values are seen.</summary>
public enum ColumnType
{
    Empty,
    Integer,
    Real,
    Boolean,
    Text,
}

/// <summary>
/// Writes committed CSV rows as JSON Lines or Parquet. Column types are inferred from the values (integer, real,
/// boolean, text; empty cells are null), so a prediction stays a number and a file name a string.
/// </summary>
public static class TypedOutputWriter
{
    public static ColumnType Widen(ColumnType current, string value)
    {
        if (value.Length == 0)
        {
            return current;
        }

        var seen = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? ColumnType.Integer
            : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? ColumnType.Real
            : value is "true" or "false" ? ColumnType.Boolean
            : ColumnType.Text;
        return (current, seen) switch
        {
            (ColumnType.Empty, _) => seen,
            _ when current == seen => current,
            (ColumnType.Integer, ColumnType.Real) or (ColumnType.Real, ColumnType.Integer) => ColumnType.Real,
            _ => ColumnType.Text,
        };
    }

    public static void WriteJsonLine(Utf8JsonWriter writer, IReadOnlyList<string> columns, IReadOnlyList<ColumnType> types, IReadOnlyList<string> values)
    {
        writer.Reset();
        writer.WriteStartObject();
        for (var i = 0; i < columns.Count; i++)
        {
            writer.WritePropertyName(columns[i]);
            var value = i < values.Count ? values[i] : string.Empty;
            if (value.Length == 0)
            {
                writer.WriteNullValue();
                continue;
            }

            switch (types[i])
            {
                case ColumnType.Integer:
                    writer.WriteNumberValue(long.Parse(value, CultureInfo.InvariantCulture));
                    break;
                case ColumnType.Real:
                    writer.WriteNumberValue(double.Parse(value, CultureInfo.InvariantCulture));
                    break;
                case ColumnType.Boolean:
                    writer.WriteBooleanValue(value == "true");
                    break;
                default:
                    writer.WriteStringValue(value);
                    break;
            }
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    public static ParquetSchema Schema(IReadOnlyList<string> columns, IReadOnlyList<ColumnType> types) =>
        new(columns.Select((c, i) => (Field)new DataField(c, types[i] switch
        {
            ColumnType.Integer => typeof(long?),
            ColumnType.Real => typeof(double?),
            ColumnType.Boolean => typeof(bool?),
            _ => typeof(string),
        })).ToArray());

    /// <summary>Writes one row group (one committed mini-batch) of rows.</summary>
    public static async Task WriteRowGroupAsync(ParquetWriter writer, ParquetSchema schema, IReadOnlyList<ColumnType> types, List<List<string>> rows, CancellationToken cancellationToken)
    {
        using var group = writer.CreateRowGroup();
        var fields = schema.GetDataFields();
        for (var c = 0; c < fields.Length; c++)
        {
            var column = c;
            string Cell(List<string> row) => column < row.Count ? row[column] : string.Empty;
            switch (types[c])
            {
                case ColumnType.Integer:
                    await group.WriteAsync<long>(fields[c], rows.Select(r => Cell(r) is { Length: > 0 } v ? long.Parse(v, CultureInfo.InvariantCulture) : (long?)null).ToArray().AsMemory(), null, null, cancellationToken);
                    break;
                case ColumnType.Real:
                    await group.WriteAsync<double>(fields[c], rows.Select(r => Cell(r) is { Length: > 0 } v ? double.Parse(v, CultureInfo.InvariantCulture) : (double?)null).ToArray().AsMemory(), null, null, cancellationToken);
                    break;
                case ColumnType.Boolean:
                    await group.WriteAsync<bool>(fields[c], rows.Select(r => Cell(r) is { Length: > 0 } v ? v == "true" : (bool?)null).ToArray().AsMemory(), null, null, cancellationToken);
                    break;
                default:
                    await group.WriteAsync(fields[c], rows.Select(r => Cell(r) is { Length: > 0 } v ? v : null).ToArray(), null);
                    break;
            }
        }
    }

    public static Encoding Utf8 { get; } = new UTF8Encoding(false);
}
