using Sluice.Core.Yaml;

namespace Sluice.Core.Tests.Yaml;

public sealed class DidYouMeanTests
{
    private static readonly string[] SettingKeys = ["mini_batch_size", "max_concurrency_per_instance", "error_threshold", "retry_settings", "logging_level"];

    [Theory]
    [InlineData("mini_bacth_size", "mini_batch_size")]
    [InlineData("mini_batch_sizes", "mini_batch_size")]
    [InlineData("retry_setting", "retry_settings")]
    [InlineData("Logging_Level", "logging_level")]
    [InlineData("eror_threshold", "error_threshold")]
    public void Suggest_ForAClosePrefix_ReturnsTheCandidate(string given, string expected)
    {
        Assert.Equal(expected, DidYouMean.Suggest(given, SettingKeys));
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("foo_bar_baz")]
    [InlineData("")]
    public void Suggest_ForAFarWord_ReturnsNothing(string given)
    {
        Assert.Null(DidYouMean.Suggest(given, SettingKeys));
    }

    [Fact]
    public void Suggest_WithNoCandidates_ReturnsNothing()
    {
        Assert.Null(DidYouMean.Suggest("name", []));
    }

    [Fact]
    public void Suggest_ForShortWords_AllowsTwoEdits()
    {
        Assert.Equal("pip", DidYouMean.Suggest("pop", ["pip"]));
        Assert.Equal("name", DidYouMean.Suggest("nm", ["name"]));
        Assert.Null(DidYouMean.Suggest("x", ["name"]));
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "abc", 0)]
    [InlineData("mini_bacth", "mini_batch", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ab", "ba", 1)]
    public void Distance_CountsEditsWithTranspositionsAsOne(string a, string b, int expected)
    {
        Assert.Equal(expected, DidYouMean.Distance(a, b));
        Assert.Equal(expected, DidYouMean.Distance(b, a));
    }
}
