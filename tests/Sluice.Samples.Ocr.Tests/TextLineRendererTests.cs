using Samples.Ocr;
using SkiaSharp;

namespace Sluice.Samples.Ocr.Tests;

public sealed class TextLineRendererTests
{
    [Fact]
    public void Words_SameSeed_SameWords_OtherSeed_OtherWords()
    {
        var first = TextLineRenderer.Words(50, seed: 7);
        var again = TextLineRenderer.Words(50, seed: 7);
        var other = TextLineRenderer.Words(50, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.All(first, w => Assert.InRange(w.Length, 3, 10));
        Assert.All(first, w => Assert.True(w.All(char.IsAsciiLetterOrDigit), $"'{w}' holds a character other than letters and digits"));
    }

    [Fact]
    public void Words_DrawOnlyCharactersTheModelKnows()
    {
        var characters = new CharacterSet(["a", "b", "1"]);

        var words = TextLineRenderer.Words(30, seed: 3, characters);

        Assert.All(words, w => Assert.True(w.All(c => "abAB1".Contains(c, StringComparison.Ordinal)), $"'{w}' holds a character outside the set"));
    }

    [Fact]
    public void RenderSet_SameSeed_GivesTheSameFilesByteForByte()
    {
        using var renderer = new TextLineRenderer();
        using var folder = new TempFolder("render");

        var first = renderer.RenderSet(24, seed: 11, folder.Combine("a"), folder.Combine("a.tsv"));
        var second = renderer.RenderSet(24, seed: 11, folder.Combine("b"), folder.Combine("b.tsv"));

        Assert.Equal(first, second);
        Assert.Equal(File.ReadAllText(folder.Combine("a.tsv")), File.ReadAllText(folder.Combine("b.tsv")));
        foreach (var line in first)
        {
            Assert.Equal(File.ReadAllBytes(folder.Combine("a", line.FileName)), File.ReadAllBytes(folder.Combine("b", line.FileName)));
        }
    }

    [Fact]
    public void Plan_UsesSeveralFontsOfBothFamiliesAndSeveralSizes()
    {
        using var renderer = new TextLineRenderer();

        var lines = renderer.Plan(200, seed: 2026);

        Assert.Equal(TextLineRenderer.FontFiles.Count, lines.Select(l => l.Font).Distinct().Count());
        Assert.Contains(lines, l => l.Font.StartsWith("DejaVu", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Font.StartsWith("Liberation", StringComparison.Ordinal));
        Assert.Equal(TextLineRenderer.Sizes.Count, lines.Select(l => l.Size).Distinct().Count());
    }

    [Fact]
    public void RenderPng_DrawsDarkTextOnWhite_ScaledWithTheFontSize()
    {
        using var renderer = new TextLineRenderer();

        using var small = SKBitmap.Decode(renderer.RenderPng("Hello42", "LiberationSerif-Regular", 20));
        using var large = SKBitmap.Decode(renderer.RenderPng("Hello42", "LiberationSerif-Regular", 64));

        Assert.True(large.Height > 2 * small.Height, $"{small.Height} px and {large.Height} px high");
        Assert.Equal(SKColors.White, small.GetPixel(0, 0));
        var dark = Enumerable.Range(0, large.Width).SelectMany(x => Enumerable.Range(0, large.Height).Select(y => large.GetPixel(x, y))).Count(p => p.Red < 64);
        Assert.InRange(dark, 100, large.Width * large.Height / 2);
    }

    [Fact]
    public void Constructor_FontsMissing_SaysToRunTheFontsScript()
    {
        using var folder = new TempFolder("no-fonts");

        var error = Assert.Throws<FileNotFoundException>(() => new TextLineRenderer(folder.Path));

        Assert.Contains("scripts/fonts.sh install", error.Message, StringComparison.Ordinal);
    }
}
