using System.Text;
using Sluice.Scoring.Synthetic;
using Sluice.Scoring.Tabular;

namespace Sluice.Scoring.Tests.Tabular;

public sealed class CsvTableReaderTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("sluice-csv-reader-tests-");

    public void Dispose() => temp.Delete(recursive: true);

    private string Write(string text, string name = "data.csv")
    {
        var path = Path.Combine(temp.FullName, name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    private static TabularData Read(string path) => CsvTableReader.Read(path, TestContext.Current.CancellationToken);

    private static TabularFormatException ReadFails(string path) =>
        Assert.Throws<TabularFormatException>(() => CsvTableReader.Read(path, TestContext.Current.CancellationToken));

    [Fact]
    public void Read_HeaderAndRows_GivesColumnsAndRowMajorValues()
    {
        var table = Read(Write("a,b,c\n1,2,3\n4,5,6\n"));

        Assert.Equal(["a", "b", "c"], table.Columns);
        Assert.Equal(2, table.Rows);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], table.Values);
        Assert.Equal(1, table.IndexOf("b"));
        Assert.Equal(-1, table.IndexOf("B"));
    }

    [Fact]
    public void Read_LastLineWithoutNewline_IsARow()
    {
        var table = Read(Write("a,b\n1,2\n3,4"));

        Assert.Equal(2, table.Rows);
        Assert.Equal([1f, 2f, 3f, 4f], table.Values);
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsNotPartOfTheFirstColumnName()
    {
        var path = Path.Combine(temp.FullName, "bom.csv");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. "x,y\n1,2\n"u8.ToArray()]);

        var table = Read(path);

        Assert.Equal(["x", "y"], table.Columns);
        Assert.Equal(0, table.IndexOf("x"));
        Assert.Equal([1f, 2f], table.Values);
    }

    [Fact]
    public void Read_CrLfLineEnds_AreAcceptedInHeaderAndRows()
    {
        var table = Read(Write("a,b\r\n1,2\r\n3,4\r\n"));

        Assert.Equal(["a", "b"], table.Columns);
        Assert.Equal([1f, 2f, 3f, 4f], table.Values);
    }

    [Fact]
    public void Read_BlankLines_AreSkipped()
    {
        var table = Read(Write("\na,b\n\n1,2\n   \n\t\n3,4\n\n"));

        Assert.Equal(["a", "b"], table.Columns);
        Assert.Equal(2, table.Rows);
        Assert.Equal([1f, 2f, 3f, 4f], table.Values);
    }

    [Fact]
    public void Read_ErrorAfterBlankLines_ReportsThePhysicalLine()
    {
        // Line 1 header, 2 blank, 3 row, 4 blank, 5 blank (CRLF), 6 the bad row.
        var error = ReadFails(Write("a,b\n\n1,2\n\n\r\n3\n"));

        Assert.Equal(6, error.Line);
        Assert.StartsWith("data.csv:6: expected 2 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_QuotedFields_AreUnquotedIncludingDoubledQuotes()
    {
        var table = Read(Write("\"a\",\"b \"\"quoted\"\"\",\"c,d\"\n\"1\",2,\" 3 \"\n4,\"5\",6\n"));

        Assert.Equal(["a", "b \"quoted\"", "c,d"], table.Columns);
        Assert.Equal(2, table.Rows);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], table.Values);
    }

    [Fact]
    public void Read_QuotedHeaderSpanningTwoLines_KeepsLineNumbersRightAfterIt()
    {
        // Lines 1-2 the header, 3 a row, 4 a row with too few values.
        var error = ReadFails(Write("x,\"two\nlines\"\n1,2\n3\n"));

        Assert.Equal(4, error.Line);
        Assert.StartsWith("data.csv:4: expected 2 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_QuotedHeaderSpanningTwoLines_KeepsTheLineBreakInTheName()
    {
        var table = Read(Write("x,\"two\nlines\"\n1,2\n"));

        Assert.Equal(["x", "two\nlines"], table.Columns);
        Assert.Equal([1f, 2f], table.Values);
    }

    [Fact]
    public void Read_QuotedValueSpanningTwoLines_KeepsLineNumbersRightAfterIt()
    {
        // Lines 1 header, 2-3 one record (a quoted value with a line break before the number), 4 a good row, 5 a bad value.
        var error = ReadFails(Write("a,b\r\n1,\"\r\n2\"\r\n3,4\r\n5,oops\r\n"));

        Assert.Equal(5, error.Line);
        Assert.Equal("data.csv:5: column 'b' holds 'oops', which is not a number", error.Message);
    }

    [Fact]
    public void Read_QuotedValueSpanningTwoLines_ParsesTheNumber()
    {
        var table = Read(Write("a,b\n1,\"\n2\"\n3,4\n"));

        Assert.Equal(2, table.Rows);
        Assert.Equal([1f, 2f, 3f, 4f], table.Values);
    }

    [Fact]
    public void Read_QuotedRecordWithTooManyValues_ReportsItsFirstLine()
    {
        var error = ReadFails(Write("a,b\n1,2\n\"3\",4,5\n"));

        Assert.Equal(3, error.Line);
        Assert.Equal("data.csv:3: expected 2 values (one per column of the header), found 3", error.Message);
    }

    [Fact]
    public void Read_QuotedNonNumber_NamesColumnAndLine()
    {
        var error = ReadFails(Write("a,b\n1,2\n\"x\",4\n"));

        Assert.Equal(3, error.Line);
        Assert.Equal("data.csv:3: column 'a' holds 'x', which is not a number", error.Message);
    }

    [Fact]
    public void Read_UnclosedQuote_Fails()
    {
        var error = ReadFails(Write("a,b\n1,\"2\n3,4\n"));

        Assert.Contains("quoted field is not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ScientificNotationAndNegativeNumbers_AreParsed()
    {
        var table = Read(Write("a,b,c,d\n-1.5,1e3,-2.5E-2,+4\n 7 ,-0,3.4028235E+38,1.17549435E-38\n"));

        Assert.Equal([-1.5f, 1000f, -0.025f, 4f, 7f, -0f, float.MaxValue, 1.17549435E-38f], table.Values);
    }

    [Fact]
    public void Read_ValuesWrittenInShortestRoundTripForm_ParseBackExactly()
    {
        var data = TabularDataset.Generate(300, 5, 3, seed: 11);
        var files = CsvDatasetWriter.Write(data, Path.Combine(temp.FullName, "gen"), new CsvDatasetOptions { IncludeLabel = false }, TestContext.Current.CancellationToken);

        var table = Read(Assert.Single(files.DataFiles));

        Assert.Equal(["f0", "f1", "f2", "f3", "f4"], table.Columns);
        Assert.Equal(300, table.Rows);
        Assert.Equal(data.Features.ToArray(), table.Values);
    }

    [Theory]
    [InlineData("a,b,c\n1,2,3\n4,5\n", 3, 2)]
    [InlineData("a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n", 4, 4)]
    [InlineData("a,b,c\r\n1,2,3\r\n4,5,6,\r\n", 3, 4)]
    public void Read_RowWithWrongNumberOfValues_FailsWithFileAndLine(string text, long line, int found)
    {
        var error = ReadFails(Write(text, "scores.csv"));

        Assert.Equal(line, error.Line);
        Assert.Equal($"scores.csv:{line}: expected 3 values (one per column of the header), found {found}", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("")]
    [InlineData("1,5")]
    public void Read_NonNumber_NamesColumnAndLine(string value)
    {
        var text = value.Contains(',', StringComparison.Ordinal)
            ? $"height,weight\n1,2\n3,\"{value}\"\n"
            : $"height,weight\n1,2\n3,{value}\n";

        var error = ReadFails(Write(text));

        Assert.Equal(3, error.Line);
        Assert.Equal($"data.csv:3: column 'weight' holds '{value}', which is not a number", error.Message);
    }

    [Fact]
    public void Read_LongNonNumber_IsShortenedInTheMessage()
    {
        var value = new string('z', 100);

        var error = ReadFails(Write($"a\n{value}\n"));

        Assert.Contains($"holds '{new string('z', 37)}...'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,2,3\n4,5,6\n", 1)]
    [InlineData("\n\n1.5,-2\n", 3)]
    [InlineData("\"1\",\"2\"\n3,4\n", 1)]
    public void Read_FirstLineNumeric_FailsAsLookingLikeData(string text, long line)
    {
        var error = ReadFails(Write(text));

        Assert.Equal(line, error.Line);
        Assert.Equal($"data.csv:{line}: the first line looks like data; a CSV file needs a header row naming its columns", error.Message);
    }

    [Fact]
    public void Read_HeaderWithSomeNumericNames_IsAHeader()
    {
        var table = Read(Write("1,b\n1,2\n"));

        Assert.Equal(["1", "b"], table.Columns);
        Assert.Equal(1, table.Rows);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n  \n")]
    public void Read_EmptyFile_Fails(string text)
    {
        var error = ReadFails(Write(text, "empty.csv"));

        Assert.Equal("empty.csv: the file is empty; expected a header row and data rows", error.Message);
    }

    [Fact]
    public void Read_EmptyFileWithOnlyByteOrderMark_Fails()
    {
        var path = Path.Combine(temp.FullName, "bom-only.csv");
        File.WriteAllBytes(path, Encoding.UTF8.GetPreamble());

        var error = ReadFails(path);

        Assert.StartsWith("bom-only.csv: the file is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b,c")]
    [InlineData("a,b,c\n")]
    [InlineData("a,b,c\r\n\r\n")]
    public void Read_HeaderOnly_GivesZeroRows(string text)
    {
        var table = Read(Write(text));

        Assert.Equal(["a", "b", "c"], table.Columns);
        Assert.Equal(0, table.Rows);
        Assert.Empty(table.Values);
    }

    [Fact]
    public void Read_HeaderNames_AreTrimmed()
    {
        var table = Read(Write(" a , b\n1,2\n"));

        Assert.Equal(["a", "b"], table.Columns);
    }

    [Fact]
    public void Read_ManyRows_GrowsPastTheInitialBufferGuess()
    {
        // Short values ("1") take fewer than the eight bytes per value the reader guesses, and many more rows follow.
        var text = new StringBuilder("a,b,c,d,e,f,g,h\n");
        for (var r = 0; r < 5_000; r++)
        {
            text.Append(r).Append(",1,2,3,4,5,6,7\n");
        }

        var table = Read(Write(text.ToString()));

        Assert.Equal(5_000, table.Rows);
        Assert.Equal(5_000 * 8, table.Values.Length);
        Assert.Equal(4_999f, table.Values[4_999 * 8]);
        Assert.Equal(7f, table.Values[^1]);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,4")]
    [InlineData("\uFEFFa,b\r\n1.5,-2e3\r\n\r\n3,4\r\n")]
    [InlineData("a,\"b\"\n\"1\",2\n3,\"4\"\n")]
    [InlineData("a\n")]
    public void ReadPooled_GivesTheRowsOfRead(string text)
    {
        var path = Write(text);
        var expected = Read(path);

        var pooled = CsvTableReader.ReadPooled(path, TestContext.Current.CancellationToken);

        Assert.Equal(expected.Columns, pooled.Columns);
        Assert.Equal(expected.Rows, pooled.Rows);
        Assert.Equal(expected.Values, pooled.Values.AsSpan(0, expected.Values.Length).ToArray());
        pooled.ReturnBuffer();
        pooled.ReturnBuffer(); // a second return is a no-op, not a double return to the pool
    }

    [Fact]
    public void ReadPooled_ManyShortValues_GrowsThroughThePool()
    {
        var text = new StringBuilder("a,b,c,d,e,f,g,h\n");
        for (var r = 0; r < 5_000; r++)
        {
            text.Append(r).Append(",1,2,3,4,5,6,7\n");
        }

        var table = CsvTableReader.ReadPooled(Write(text.ToString()), TestContext.Current.CancellationToken);

        Assert.Equal(5_000, table.Rows);
        Assert.True(table.Values.Length >= 5_000 * 8);
        Assert.Equal(4_999f, table.Values[4_999 * 8]);
        Assert.Equal(7f, table.Values[(5_000 * 8) - 1]);
        table.ReturnBuffer();
    }

    [Fact]
    public void Read_CancelledToken_Throws()
    {
        var path = Write("a\n1\n2\n");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => CsvTableReader.Read(path, cancellation.Token));
    }
}
