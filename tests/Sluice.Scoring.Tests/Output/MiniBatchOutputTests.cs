using System.Text;
using Sluice.Scoring.Output;

namespace Sluice.Scoring.Tests.Output;

public sealed class MiniBatchOutputTests
{
    private static async Task<string> TextOf(MiniBatchOutput output)
    {
        using var destination = new MemoryStream();
        await output.CopyToAsync(destination, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(destination.ToArray());
    }

    [Fact]
    public async Task CopyToAsync_WritesHeaderThenRowsInOrder()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("row", "prediction", "file_name");

        output.AddRow(0L, 1.5f, "a.csv");
        output.AddRow(1L, null, "b,c.csv");

        Assert.Equal("row,prediction,file_name\n0,1.5,a.csv\n1,,\"b,c.csv\"\n", await TextOf(output));
        Assert.Equal(2, output.RowCount);
        Assert.Equal(["row", "prediction", "file_name"], output.Columns);
        Assert.Empty(output.Failed);
    }

    [Fact]
    public async Task CopyToAsync_CanBeCalledTwice_GivingTheSameBytes()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("x");
        output.AddRow(1);

        var first = await TextOf(output);
        output.AddRow(2);

        Assert.Equal("x\n1\n", first);
        Assert.Equal("x\n1\n2\n", await TextOf(output));
    }

    [Fact]
    public async Task CopyToAsync_HeaderNamesNeedingQuotes_AreQuoted()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("a,b", "c");
        output.AddRow(1, 2);

        Assert.Equal("\"a,b\",c\n1,2\n", await TextOf(output));
    }

    [Fact]
    public async Task AddRow_WithTheWrongNumberOfValues_ThrowsAndWritesNothing()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("a", "b");

        var tooFew = Assert.Throws<InvalidOperationException>(() => output.AddRow(1));
        var tooMany = Assert.Throws<InvalidOperationException>(() => output.AddRow(1, 2, 3));

        Assert.Contains("1 values but the output has 2 columns (a, b)", tooFew.Message, StringComparison.Ordinal);
        Assert.Contains("3 values", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.RowCount);
        Assert.Equal("a,b\n", await TextOf(output));
    }

    [Fact]
    public void AddRow_BeforeSetColumns_Throws()
    {
        using var output = new MiniBatchOutput();

        var error = Assert.Throws<InvalidOperationException>(() => output.AddRow(1));

        Assert.Contains("SetColumns", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.RowCount);
    }

    [Fact]
    public void SetColumns_WithDifferentColumns_ThrowsNamingBoth()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("a", "b");

        var error = Assert.Throws<InvalidOperationException>(() => output.SetColumns("a", "c"));

        Assert.Contains("(a, b) to (a, c)", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], output.Columns);
    }

    [Fact]
    public void SetColumns_WithTheSameColumnsAgain_IsAllowed()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("a", "b");

        output.SetColumns("a", "b");
        output.AddRow(1, 2);

        Assert.Equal(["a", "b"], output.Columns);
        Assert.Equal(1, output.RowCount);
    }

    [Fact]
    public async Task Fail_OfAMiddleFile_RemovesExactlyItsRows()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("file", "n");
        output.BeginFile("a");
        output.AddRow("a", 1);
        output.AddRow("a", 2);
        output.BeginFile("b");
        output.AddRow("b", 1);
        output.AddRow("b", 2);
        output.AddRow("b", 3);
        output.BeginFile("c");
        output.AddRow("c", 1);
        Assert.Equal(6, output.RowCount);

        output.Fail("b", "BadInput", "b is broken");

        Assert.Equal(3, output.RowCount);
        Assert.Equal("file,n\na,1\na,2\nc,1\n", await TextOf(output));
        Assert.Equal([new FailedItem("b", "BadInput", "b is broken")], output.Failed);
    }

    [Fact]
    public async Task Fail_OfAMiddleFile_ThenMoreFiles_KeepsEverythingElseInOrder()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("file", "n");
        output.BeginFile("a");
        output.AddRow("a", 1);
        output.BeginFile("b");
        output.AddRow("b", 1);
        output.BeginFile("c");
        output.AddRow("c", 1);
        output.AddRow("c", 2);
        output.Fail("b", "BadInput", "b is broken");

        output.BeginFile("d");
        output.AddRow("d", 1);
        output.Fail("a", "BadInput", "a is broken too");

        Assert.Equal(3, output.RowCount);
        Assert.Equal("file,n\nc,1\nc,2\nd,1\n", await TextOf(output));
        Assert.Equal(["b", "a"], output.Failed.Select(f => f.Item));
    }

    [Fact]
    public async Task Fail_OfTheCurrentFile_RemovesItsRowsAndLaterFilesStillCount()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("file", "n");
        output.BeginFile("a");
        output.AddRow("a", 1);
        output.BeginFile("b");
        output.AddRow("b", 1);
        output.AddRow("b", 2);

        output.Fail("b", "SchemaMismatch", "b lacks a column");
        output.BeginFile("c");
        output.AddRow("c", 1);

        Assert.Equal(2, output.RowCount);
        Assert.Equal("file,n\na,1\nc,1\n", await TextOf(output));
        Assert.Equal([new FailedItem("b", "SchemaMismatch", "b lacks a column")], output.Failed);
    }

    [Fact]
    public async Task Fail_OfTheFirstFile_RemovesItsRows()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("file");
        output.BeginFile("a");
        output.AddRow("a");
        output.BeginFile("b");
        output.AddRow("b");

        output.Fail("a", "E", "m");

        Assert.Equal(1, output.RowCount);
        Assert.Equal("file\nb\n", await TextOf(output));
    }

    [Fact]
    public async Task Fail_OfAFileWithoutRows_OnlyRecordsTheFailure()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("file");
        output.BeginFile("a");
        output.AddRow("a");
        output.BeginFile("empty");
        output.BeginFile("c");
        output.AddRow("c");

        output.Fail("empty", "InvalidInputFile", "no rows");
        output.Fail("never-begun", "InvalidInputFile", "unreadable");

        Assert.Equal(2, output.RowCount);
        Assert.Equal("file\na\nc\n", await TextOf(output));
        Assert.Equal(
            [new FailedItem("empty", "InvalidInputFile", "no rows"), new FailedItem("never-begun", "InvalidInputFile", "unreadable")],
            output.Failed);
    }

    [Fact]
    public async Task Fail_WithRowsWrittenThroughTheTypedApi_RemovesThem()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("row", "p", "file_name");
        foreach (var file in new[] { "a", "b", "c" })
        {
            output.BeginFile(file);
            for (var r = 0; r < 2; r++)
            {
                output.BeginRow();
                output.Field((long)r);
                output.Field(0.25f);
                output.Field(file);
                output.EndRow();
            }
        }

        output.Fail("b", "E", "m");

        Assert.Equal(4, output.RowCount);
        Assert.Equal("row,p,file_name\n0,0.25,a\n1,0.25,a\n0,0.25,c\n1,0.25,c\n", await TextOf(output));
    }

    [Fact]
    public async Task TypedRows_AreFormattedLikeAddRow()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("row", "p", "label", "file_name");

        output.BeginRow();
        output.Field(7L);
        output.Field(1f / 3f);
        output.Field((object?)null);
        output.Field("x,y.csv");
        output.EndRow();
        output.AddRow(7L, 1f / 3f, null, "x,y.csv");

        var lines = (await TextOf(output)).Split('\n');
        Assert.Equal(lines[1], lines[2]);
        Assert.Equal("7,0.33333334,,\"x,y.csv\"", lines[1]);
        Assert.Equal(2, output.RowCount);
    }

    [Fact]
    public async Task TypedRows_EdgeValues_AreFormattedLikeAddRow()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("a", "b", "c", "d", "e");
        var longs = new[] { long.MinValue, long.MaxValue, -1L, 0L, 1234567890123L };
        var floats = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue, 1e-7f, 0.1f, 123456.79f, -2.5e10f };
        var texts = new[] { "plain.csv", "has \"quotes\".csv", "line\nbreak", "comma,name", string.Empty };
        for (var i = 0; i < floats.Length; i++)
        {
            output.BeginRow();
            output.Field(longs[i % longs.Length]);
            output.Field(floats[i]);
            output.Field(floats[^(i + 1)]);
            output.Field((object?)null);
            output.Field(texts[i % texts.Length]);
            output.EndRow();
        }

        using var boxed = new MiniBatchOutput();
        boxed.SetColumns("a", "b", "c", "d", "e");
        for (var i = 0; i < floats.Length; i++)
        {
            boxed.AddRow(longs[i % longs.Length], floats[i], floats[^(i + 1)], null, texts[i % texts.Length]);
        }

        var typed = await TextOf(output);
        Assert.Equal(await TextOf(boxed), typed);
        Assert.Contains("-9223372036854775808,NaN,-2.5E+10,,plain.csv\n", typed, StringComparison.Ordinal);
        Assert.Contains("\"has \"\"quotes\"\".csv\"", typed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_OfAMiddleFileSpanningManyBufferChunks_RemovesExactlyItsRows()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("row", "file_name");
        var kept = new System.Text.StringBuilder("row,file_name\n");
        foreach (var file in new[] { "a.csv", "b.csv", "c.csv" })
        {
            output.BeginFile(file);
            for (var r = 0; r < 20_000; r++)
            {
                output.AddRow((long)r, file);
                if (file != "b.csv")
                {
                    kept.Append(r).Append(',').Append(file).Append('\n');
                }
            }
        }

        output.Fail("b.csv", "Bad", "bad file");

        Assert.Equal(kept.ToString(), await TextOf(output));
        Assert.Equal(40_000, output.RowCount);
    }

    [Fact]
    public void EndRow_WithTheWrongNumberOfFields_Throws()
    {
        using var output = new MiniBatchOutput();
        output.SetColumns("a", "b");
        output.BeginRow();
        output.Field(1L);

        Assert.Throws<InvalidOperationException>(output.EndRow);
    }

    [Fact]
    public void BeginRow_BeforeSetColumns_Throws()
    {
        using var output = new MiniBatchOutput();

        Assert.Throws<InvalidOperationException>(output.BeginRow);
    }
}
