using System.Globalization;
using Sluice.Scoring.Output;

namespace Sluice.Scoring.Tests.Output;

public sealed class CsvRowWriterTests
{
    private static string Row(params object?[] values)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        CsvRowWriter.WriteRow(writer, values);
        return writer.ToString();
    }

    [Fact]
    public void WriteRow_PlainValues_AreCommaSeparatedWithOneNewline()
    {
        Assert.Equal("a,1,2,true,false\n", Row("a", 1, 2L, true, false));
    }

    [Fact]
    public void WriteRow_NoValues_IsAnEmptyLine()
    {
        Assert.Equal("\n", Row());
    }

    [Theory]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    [InlineData("crlf\r\n", "\"crlf\r\n\"")]
    [InlineData("plain text; with 'other' punctuation", "plain text; with 'other' punctuation")]
    [InlineData("", "")]
    public void WriteRow_Text_IsQuotedOnlyWhenItNeedsIt(string text, string expected)
    {
        Assert.Equal($"1,{expected},2\n", Row(1, text, 2));
    }

    [Fact]
    public void WriteRow_Null_IsAnEmptyField()
    {
        Assert.Equal(",x,\n", Row(null, "x", null));
    }

    [Fact]
    public void WriteRow_Numbers_UseInvariantFormattingWhateverTheCurrentCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            // A culture with a decimal comma and its own minus sign (built by hand: the process runs with InvariantGlobalization).
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NumberDecimalSeparator = ",";
            culture.NumberFormat.NumberGroupSeparator = ".";
            culture.NumberFormat.NegativeSign = "~";
            CultureInfo.CurrentCulture = culture;
            Assert.Equal("1,5", 1.5f.ToString(CultureInfo.CurrentCulture));
            Assert.Equal("1.5,-2.25,1000000,-3,0.001,1E+20\n", Row(1.5f, -2.25, 1_000_000, -3L, 0.001m, 1e20));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    [InlineData(1f / 3f)]
    [InlineData(float.Epsilon)]
    [InlineData(float.MaxValue)]
    [InlineData(float.MinValue)]
    [InlineData(1.17549435E-38f)]
    [InlineData(16777217f)]
    [InlineData(123456.789f)]
    public void WriteRow_Float_ParsesBackToTheSameFloat(float value)
    {
        var text = Row(value).TrimEnd('\n');

        var parsed = float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal(BitConverter.SingleToInt32Bits(value), BitConverter.SingleToInt32Bits(parsed));
    }

    [Fact]
    public void WriteRow_NegativeZero_KeepsItsSign()
    {
        var text = Row(-0f).TrimEnd('\n');

        Assert.Equal("-0", text);
        Assert.True(float.IsNegative(float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void WriteRow_ManyRandomFloatsAndDoubles_ParseBackExactly()
    {
        var random = new Random(42);
        for (var i = 0; i < 5_000; i++)
        {
            var f = BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            var d = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300));
            if (!float.IsFinite(f))
            {
                continue;
            }

            var fields = Row(f, d).TrimEnd('\n').Split(',');

            Assert.Equal(f, float.Parse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture));
            Assert.Equal(d, double.Parse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void WriteRow_Float_UsesShortestForm()
    {
        Assert.Equal("0.1,0.1\n", Row(0.1f, 0.1));
    }

    [Fact]
    public void WriteRow_NonFiniteFloats_UseInvariantSymbols()
    {
        Assert.Equal("NaN,Infinity,-Infinity\n", Row(float.NaN, double.PositiveInfinity, float.NegativeInfinity));
    }

    [Fact]
    public void WriteRow_OtherFormattable_UsesInvariantCultureAndQuotesIfNeeded()
    {
        var date = new DateTimeOffset(2024, 3, 5, 6, 7, 8, TimeSpan.Zero);

        Assert.Equal($"{date.ToString(null, CultureInfo.InvariantCulture)},12.5\n", Row(date, 12.5m));
    }

    [Fact]
    public void WriteRow_ObjectWhoseTextNeedsQuoting_IsQuoted()
    {
        Assert.Equal("\"x,y\"\n", Row(new Named("x,y")));
    }

    private sealed record Named(string Text)
    {
        public override string ToString() => Text;
    }
}
