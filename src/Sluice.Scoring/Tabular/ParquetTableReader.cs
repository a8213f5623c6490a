using Parquet;
using Parquet.Meta.Proto;
using Parquet.Schema;

namespace Sluice.Scoring.Tabular;

/// <summary>Reads the numeric columns of a Parquet file (Parquet.Net) into floats, row group by row group.</summary>
public static class ParquetTableReader
{
    public static async Task<TabularData> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        await using var stream = File.OpenRead(path);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            throw new TabularFormatException($"{name}: not a readable Parquet file ({ex.Message})");
        }

        await using (reader)
        {
            var fields = reader.Schema.GetDataFields();
            if (fields.Length == 0)
            {
                throw new TabularFormatException($"{name}: the Parquet file has no columns");
            }

            if (fields.FirstOrDefault(f => f.MaxRepetitionLevel > 0) is { } repeated)
            {
                // A list column has more values than rows (or as many, by chance); neither is one number per cell.
                throw new TabularFormatException($"{name}: column '{repeated.Path.FirstPart ?? repeated.Name}' holds lists; the no-code scorer reads one number per cell");
            }

            var total = reader.RowGroups.Sum(g => g.RowCount);
            if (total * fields.Length > Array.MaxLength)
            {
                throw new TabularFormatException($"{name}: {total} rows of {fields.Length} columns is too large to score as one file; split it");
            }

            var values = new float[total * fields.Length];
            long rowOffset = 0;
            try
            {
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    var rows = (int)group.RowCount;
                    for (var c = 0; c < fields.Length; c++)
                    {
                        await ReadColumnAsync(group, fields[c], rows, values, (int)rowOffset, c, fields.Length, name, cancellationToken);
                    }

                    rowOffset += rows;
                }
            }
            catch (Exception ex) when (IsUnreadable(ex))
            {
                // A corrupt page is a bad input file like a corrupt footer: it fails this file, not the mini-batch.
                throw new TabularFormatException($"{name}: not a readable Parquet file ({ex.Message})");
            }

            return new TabularData(fields.Select(f => f.Name).ToArray(), values, (int)total);
        }
    }

    /// <summary>What Parquet.Net throws for a file that is not Parquet or is corrupt.</summary>
    private static bool IsUnreadable(Exception ex) =>
        ex is IOException or InvalidDataException or NotSupportedException or ArgumentException or ParquetException or ThriftProtocolException;

    private static async Task ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, float[] target, int rowOffset, int column, int stride, string name, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(float))
        {
            Scatter(await ReadAsync<float>(group, field, rows, name, cancellationToken), x => x);
        }
        else if (type == typeof(double))
        {
            Scatter(await ReadAsync<double>(group, field, rows, name, cancellationToken), x => (float)x);
        }
        else if (type == typeof(int))
        {
            Scatter(await ReadAsync<int>(group, field, rows, name, cancellationToken), x => x);
        }
        else if (type == typeof(long))
        {
            Scatter(await ReadAsync<long>(group, field, rows, name, cancellationToken), x => x);
        }
        else if (type == typeof(short))
        {
            Scatter(await ReadAsync<short>(group, field, rows, name, cancellationToken), x => x);
        }
        else if (type == typeof(bool))
        {
            Scatter(await ReadAsync<bool>(group, field, rows, name, cancellationToken), x => x ? 1f : 0f);
        }
        else
        {
            throw new TabularFormatException($"{name}: column '{field.Name}' has type {type.Name}; the no-code scorer reads numeric columns only");
        }

        void Scatter<T>(T[] source, Func<T, float> convert)
        {
            for (var r = 0; r < source.Length; r++)
            {
                target[((rowOffset + r) * stride) + column] = convert(source[r]);
            }
        }
    }

    private static async Task<T[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows, string name, CancellationToken cancellationToken)
        where T : struct
    {
        if (!field.IsNullable)
        {
            var values = new T[rows];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken);
            return values;
        }

        var nullable = new T?[rows];
        await group.ReadAsync(field, nullable.AsMemory(), null, cancellationToken);
        var result = new T[rows];
        for (var r = 0; r < rows; r++)
        {
            result[r] = nullable[r] ?? throw new TabularFormatException($"{name}: column '{field.Name}' has an empty value in row {r + 1}; the model needs a number in every cell", r + 1);
        }

        return result;
    }
}
