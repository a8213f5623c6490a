using Parquet;
using Parquet.Schema;
using Sluice.Scoring.Tabular;

namespace Sluice.Scoring.Tests.Tabular;

public sealed class ParquetTableReaderTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("sluice-parquet-reader-tests-");

    public void Dispose() => temp.Delete(recursive: true);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string PathOf(string name) => Path.Combine(temp.FullName, name);

    private static Task<TabularData> ReadAsync(string path) => ParquetTableReader.ReadAsync(path, Token);

    [Fact]
    public async Task ReadAsync_FloatDoubleIntAndLongColumns_GivesRowMajorFloats()
    {
        var path = PathOf("numbers.parquet");
        var f = new DataField<float>("f");
        var d = new DataField<double>("d");
        var i = new DataField<int>("i");
        var l = new DataField<long>("l");
        await ParquetFile.WriteAsync(path, new ParquetSchema(f, d, i, l), group => group
            .Column(f, new[] { 1.5f, -2.25f, 3e-3f })
            .Column(d, new[] { 0.5, 1e10, -7.0 })
            .Column(i, new[] { 1, -2, int.MaxValue })
            .Column(l, new[] { 10L, -20L, 1L << 40 }));

        var table = await ReadAsync(path);

        Assert.Equal(["f", "d", "i", "l"], table.Columns);
        Assert.Equal(3, table.Rows);
        Assert.Equal(
            [
                1.5f, 0.5f, 1f, 10f,
                -2.25f, 1e10f, -2f, -20f,
                3e-3f, -7f, int.MaxValue, 1L << 40,
            ],
            table.Values);
    }

    [Fact]
    public async Task ReadAsync_ShortAndBoolColumns_AreNumbers()
    {
        var path = PathOf("small.parquet");
        var s = new DataField<short>("s");
        var b = new DataField<bool>("b");
        await ParquetFile.WriteAsync(path, new ParquetSchema(s, b), group => group
            .Column(s, new short[] { -3, 4 })
            .Column(b, new[] { true, false }));

        var table = await ReadAsync(path);

        Assert.Equal([-3f, 1f, 4f, 0f], table.Values);
    }

    [Fact]
    public async Task ReadAsync_NullableColumnWithoutNulls_IsRead()
    {
        var path = PathOf("nullable.parquet");
        var x = new DataField<double?>("x");
        var y = new DataField<int?>("y");
        await ParquetFile.WriteAsync(path, new ParquetSchema(x, y), group => group
            .NullableColumn(x, new double?[] { 1.25, 2.5 })
            .NullableColumn(y, new int?[] { 7, -8 }));

        var table = await ReadAsync(path);

        Assert.Equal(["x", "y"], table.Columns);
        Assert.Equal([1.25f, 7f, 2.5f, -8f], table.Values);
    }

    [Fact]
    public async Task ReadAsync_NullableColumnWithNull_FailsNamingColumnAndRow()
    {
        var path = PathOf("holes.parquet");
        var x = new DataField<float>("x");
        var y = new DataField<float?>("income");
        await ParquetFile.WriteAsync(path, new ParquetSchema(x, y), group => group
            .Column(x, new[] { 1f, 2f, 3f })
            .NullableColumn(y, new float?[] { 1f, 2f, null }));

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => ReadAsync(path));

        Assert.Equal("holes.parquet: column 'income' has an empty value in row 3; the model needs a number in every cell", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task ReadAsync_SeveralRowGroups_KeepsRowsInOrder()
    {
        var path = PathOf("groups.parquet");
        var a = new DataField<int>("a");
        var b = new DataField<double>("b");
        await ParquetFile.WriteAsync(
            path,
            new ParquetSchema(a, b),
            group => group.Column(a, new[] { 1, 2 }).Column(b, new[] { 10.0, 20.0 }),
            group => group.Column(a, new[] { 3, 4, 5 }).Column(b, new[] { 30.0, 40.0, 50.0 }));

        var table = await ReadAsync(path);

        Assert.Equal(5, table.Rows);
        Assert.Equal([1f, 10f, 2f, 20f, 3f, 30f, 4f, 40f, 5f, 50f], table.Values);
    }

    [Fact]
    public async Task ReadAsync_FileWithoutRowGroups_GivesZeroRows()
    {
        var path = PathOf("none.parquet");
        await ParquetFile.WriteAsync(path, new ParquetSchema(new DataField<float>("a"), new DataField<long>("b")));

        var table = await ReadAsync(path);

        Assert.Equal(["a", "b"], table.Columns);
        Assert.Equal(0, table.Rows);
        Assert.Empty(table.Values);
    }

    [Fact]
    public async Task ReadAsync_StringColumn_IsRefusedNamingIt()
    {
        var path = PathOf("text.parquet");
        var x = new DataField<float>("x");
        var city = new DataField<string>("city");
        await ParquetFile.WriteAsync(path, new ParquetSchema(x, city), group => group
            .Column(x, new[] { 1f, 2f })
            .Strings(city, ["Oslo", "Lima"]));

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => ReadAsync(path));

        Assert.Contains("column 'city'", error.Message, StringComparison.Ordinal);
        Assert.Contains("numeric columns only", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("text.parquet:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ListColumn_IsRefusedNamingIt()
    {
        var path = PathOf("lists.parquet");
        var x = new DataField<float>("x");
        var element = new DataField<float>("element");
        await ParquetFile.WriteAsync(path, new ParquetSchema(x, new ListField("scores", element)), group => group
            .Column(x, new[] { 10f, 20f })
            .List(element, [[1f, 2f], [3f]]));

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => ReadAsync(path));

        Assert.Equal("lists.parquet: column 'scores' holds lists; the no-code scorer reads one number per cell", error.Message);
    }

    [Fact]
    public async Task ReadAsync_ListColumnWithOneValuePerRow_IsRefusedAsWell()
    {
        // As many values as rows: reading it as a plain column would "work" and hide the mistake.
        var path = PathOf("singletons.parquet");
        var element = new DataField<float>("element");
        await ParquetFile.WriteAsync(path, new ParquetSchema(new ListField("v", element)), group => group.List(element, [[1f], [2f]]));

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => ReadAsync(path));

        Assert.Contains("column 'v' holds lists", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4)] // the first data page's header
    [InlineData(19)] // inside the compressed page data
    [InlineData(52)]
    public async Task ReadAsync_CorruptDataPage_FailsAsNotReadable(int offset)
    {
        var path = PathOf("corrupt.parquet");
        await WriteCorruptedAsync(path, bytes => offset);

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => ReadAsync(path));

        Assert.StartsWith("corrupt.parquet: not a readable Parquet file (", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public async Task ReadAsync_CorruptFooter_FailsAsNotReadable(int offsetInFooter)
    {
        var path = PathOf("corrupt.parquet");
        await WriteCorruptedAsync(path, bytes => bytes.Length - 8 - BitConverter.ToInt32(bytes, bytes.Length - 8) + offsetInFooter);

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => ReadAsync(path));

        Assert.StartsWith("corrupt.parquet: not a readable Parquet file (", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes a valid one-column file of 200 rows, then flips eight bytes from the offset <paramref name="at"/> picks.</summary>
    private static async Task WriteCorruptedAsync(string path, Func<byte[], int> at)
    {
        var x = new DataField<float>("x");
        await ParquetFile.WriteAsync(path, new ParquetSchema(x), group => group.Column(x, Enumerable.Range(0, 200).Select(i => (float)i).ToArray()));
        var bytes = await File.ReadAllBytesAsync(path, Token);
        var start = at(bytes);
        for (var k = start; k < start + 8; k++)
        {
            bytes[k] ^= 0xA5;
        }

        await File.WriteAllBytesAsync(path, bytes, Token);
    }

    [Fact]
    public async Task ReadAsync_CsvFileNamedParquet_FailsAsNotParquet()
    {
        var path = PathOf("fake.parquet");
        await File.WriteAllTextAsync(path, "a,b\n1,2\n", Token);

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => ReadAsync(path));

        Assert.StartsWith("fake.parquet: not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyFile_FailsAsNotParquet()
    {
        var path = PathOf("empty.parquet");
        await File.WriteAllBytesAsync(path, [], Token);

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => ReadAsync(path));

        Assert.StartsWith("empty.parquet: not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FileTruncatedAfterItsMagic_FailsAsNotParquet()
    {
        var path = PathOf("truncated.parquet");
        var x = new DataField<float>("x");
        await ParquetFile.WriteAsync(PathOf("whole.parquet"), new ParquetSchema(x), group => group.Column(x, new[] { 1f, 2f, 3f }));
        var bytes = await File.ReadAllBytesAsync(PathOf("whole.parquet"), Token);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)], Token);

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => ReadAsync(path));

        Assert.StartsWith("truncated.parquet: not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TabularFiles_ReadAsync_ChoosesTheReaderByExtension()
    {
        var parquet = PathOf("t.PARQUET");
        var x = new DataField<float>("x");
        await ParquetFile.WriteAsync(parquet, new ParquetSchema(x), group => group.Column(x, new[] { 4f }));
        var csv = PathOf("t.Csv");
        await File.WriteAllTextAsync(csv, "x\n5\n", Token);

        var fromParquet = await TabularFiles.ReadAsync(parquet, Token);
        var fromCsv = await TabularFiles.ReadAsync(csv, Token);

        Assert.Equal([4f], fromParquet.Values);
        Assert.Equal([5f], fromCsv.Values);
        Assert.True(TabularFiles.IsTabular(parquet));
        Assert.True(TabularFiles.IsTabular(csv));
    }

    [Theory]
    [InlineData("data.json", "(.json)")]
    [InlineData("data", "(no extension)")]
    public async Task TabularFiles_ReadAsync_OtherExtension_FailsNamingIt(string name, string described)
    {
        var path = PathOf(name);
        await File.WriteAllTextAsync(path, "{}", Token);

        var error = await Assert.ThrowsAsync<TabularFormatException>(() => TabularFiles.ReadAsync(path, Token));

        Assert.False(TabularFiles.IsTabular(path));
        Assert.Contains($"'{name}' is not a tabular file {described}", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Writes small Parquet files with Parquet.Net, one callback per row group.</summary>
internal static class ParquetFile
{
    public static async Task WriteAsync(string path, ParquetSchema schema, params Func<ColumnWriter, ColumnWriter>[] rowGroups)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken);
        foreach (var describe in rowGroups)
        {
            using var group = writer.CreateRowGroup();
            await describe(new ColumnWriter(group)).CompleteAsync();
        }
    }

    /// <summary>Collects a row group's columns, in schema order, then writes them.</summary>
    internal sealed class ColumnWriter(ParquetRowGroupWriter group)
    {
        private readonly List<Func<Task>> columns = [];

        public ColumnWriter Column<T>(DataField field, T[] values)
            where T : struct
        {
            columns.Add(() => group.WriteAsync(field, new ReadOnlyMemory<T>(values), cancellationToken: TestContext.Current.CancellationToken));
            return this;
        }

        public ColumnWriter NullableColumn<T>(DataField field, T?[] values)
            where T : struct
        {
            columns.Add(() => group.WriteAsync(field, new ReadOnlyMemory<T?>(values), cancellationToken: TestContext.Current.CancellationToken));
            return this;
        }

        public ColumnWriter Strings(DataField field, string[] values)
        {
            columns.Add(() => group.WriteAsync(field, values));
            return this;
        }

        /// <summary>A list column of non-null values: each row's list in turn.</summary>
        public ColumnWriter List(DataField element, float[][] rows)
        {
            var values = rows.SelectMany(r => r).ToArray();
            var definitions = Enumerable.Repeat(element.MaxDefinitionLevel, values.Length).ToArray();
            var repetitions = rows.SelectMany(r => r.Select((_, i) => i == 0 ? 0 : element.MaxRepetitionLevel)).ToArray();
            columns.Add(() => group.WriteAllPartsAsync(element, new ReadOnlyMemory<float>(values), definitions, repetitions, TestContext.Current.CancellationToken));
            return this;
        }

        public async Task CompleteAsync()
        {
            foreach (var column in columns)
            {
                await column();
            }
        }
    }
}
