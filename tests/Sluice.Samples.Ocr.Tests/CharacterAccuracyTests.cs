using Samples.Ocr;

namespace Sluice.Samples.Ocr.Tests;

public sealed class CharacterAccuracyTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("Wjjymsbi", "Wjymsbi", 1)]
    [InlineData("O8q6", "08q6", 1)]
    public void Distance_CountsInsertionsDeletionsAndSubstitutions(string expected, string actual, int distance) =>
        Assert.Equal(distance, CharacterAccuracy.Distance(expected, actual));

    [Fact]
    public void Of_OneWord_IsOneMinusDistanceOverLength() =>
        Assert.Equal(0.75, CharacterAccuracy.Of("abcd", "abxd"), 1e-12);

    [Fact]
    public void Of_ASet_WeighsWordsByTheirLength()
    {
        // 1 error in 2 characters and 0 in 8: 1 - 1/10, not the mean of 0.5 and 1.
        var accuracy = CharacterAccuracy.Of([("ab", "ax"), ("abcdefgh", "abcdefgh")]);

        Assert.Equal(0.9, accuracy, 1e-12);
    }

    [Fact]
    public void Compare_CountsAMissingPredictionAsEmptyText()
    {
        var labels = new Dictionary<string, string> { ["a.png"] = "abcd", ["b.png"] = "efgh" };
        var predictions = new Dictionary<string, string> { ["a.png"] = "abcd" };

        var report = Labels.Compare(labels, predictions);

        Assert.Equal(0.5, report.CharacterAccuracy, 1e-12);
        Assert.Equal(1, report.ExactWords);
        Assert.Equal(1, report.Predicted);
        Assert.Equal(("b.png", "efgh", ""), Assert.Single(report.Misses));
    }

    [Fact]
    public void ReadPredictions_ReadsQuotedFieldsOfASluiceOutputFile()
    {
        using var folder = new TempFolder("csv");
        var csv = folder.Combine("predictions.csv");
        File.WriteAllText(csv, "file_name,text,confidence\nline-1.png,\"a,\"\"b\",0.9\nline-2.png,plain,0.8\n");

        var predictions = Labels.ReadPredictions(csv);

        Assert.Equal("a,\"b", predictions["line-1.png"]);
        Assert.Equal("plain", predictions["line-2.png"]);
    }
}
