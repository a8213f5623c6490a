using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Sluice.Core.Specs;

public enum MiniBatchUnit
{
    /// <summary>Azure ML's unit: a number of files.</summary>
    Files,

    /// <summary>About this many bytes of input; large tabular files are split at line boundaries, small ones packed.</summary>
    Bytes,

    /// <summary>This many rows of tabular input; large files are split, small ones packed.</summary>
    Rows,
}

/// <summary>
/// <c>mini_batch_size</c>: a number of files (Azure ML's meaning, e.g. <c>10</c>), or for tabular inputs a size
/// (<c>"10MB"</c>) or a number of rows (<c>"5000 rows"</c>).
/// </summary>
[JsonConverter(typeof(MiniBatchSizeJsonConverter))]
public readonly partial record struct MiniBatchSize(long Value, MiniBatchUnit Unit)
{
    public static MiniBatchSize Default => new(10, MiniBatchUnit.Files);

    public bool IsFiles => Unit == MiniBatchUnit.Files;

    public override string ToString() => Unit switch
    {
        MiniBatchUnit.Files => Value.ToString(CultureInfo.InvariantCulture),
        MiniBatchUnit.Rows => $"{Value.ToString(CultureInfo.InvariantCulture)} rows",
        _ => FormatBytes(Value),
    };

    public static bool TryParse(string text, out MiniBatchSize size, out string? error)
    {
        size = Default;
        error = null;
        var match = Pattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            error = $"'{text}' is not a mini-batch size; write a number of files (10), a size (\"10MB\", \"512KB\") or a number of rows (\"5000 rows\")";
            return false;
        }

        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        var (multiplier, kind) = unit switch
        {
            "" or "files" or "file" => (1L, MiniBatchUnit.Files),
            "row" or "rows" => (1L, MiniBatchUnit.Rows),
            "b" => (1L, MiniBatchUnit.Bytes),
            "kb" or "kib" => (1L << 10, MiniBatchUnit.Bytes),
            "mb" or "mib" => (1L << 20, MiniBatchUnit.Bytes),
            _ => (1L << 30, MiniBatchUnit.Bytes), // gb, gib
        };
        var value = number * multiplier;
        var (min, max) = kind switch
        {
            MiniBatchUnit.Files => (1L, 1_000_000L),
            MiniBatchUnit.Rows => (1L, 1_000_000_000L),
            _ => (1024L, 16L << 30),
        };
        if (value < min || value > max)
        {
            error = $"{text.Trim()} is out of range; a mini-batch holds {(kind == MiniBatchUnit.Bytes ? $"{FormatBytes(min)} to {FormatBytes(max)}" : $"{min} to {max:N0} {(kind == MiniBatchUnit.Rows ? "rows" : "files")}")}";
            return false;
        }

        size = new MiniBatchSize(value, kind);
        return true;
    }

    private static string FormatBytes(long bytes) =>
        bytes % (1L << 30) == 0 ? $"{bytes >> 30}GB"
        : bytes % (1L << 20) == 0 ? $"{bytes >> 20}MB"
        : bytes % (1L << 10) == 0 ? $"{bytes >> 10}KB"
        : $"{bytes}B";

    [GeneratedRegex(@"^\s*(?<n>\d+)\s*(?<unit>|files?|rows?|b|kb|kib|mb|mib|gb|gib)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Writes a number of files as a number (as Azure ML does) and other sizes as their text.</summary>
public sealed class MiniBatchSizeJsonConverter : JsonConverter<MiniBatchSize>
{
    public override MiniBatchSize Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? new MiniBatchSize(reader.GetInt64(), MiniBatchUnit.Files)
        : MiniBatchSize.TryParse(reader.GetString() ?? string.Empty, out var size, out var error) ? size : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, MiniBatchSize value, JsonSerializerOptions options)
    {
        if (value.IsFiles)
        {
            writer.WriteNumberValue(value.Value);
        }
        else
        {
            writer.WriteStringValue(value.ToString());
        }
    }
}
