using Samples.Ocr;

namespace Sluice.Samples.Ocr.Tests;

public sealed class CtcDecoderTests
{
    // Classes: 0 blank, 1 'a', 2 'b', 3 'c', 4 space (appended after the keys).
    private static readonly CtcDecoder Decoder = new(new CharacterSet(["a", "b", "c"]));

    private static float[] Steps(params (int Class, float P)[] steps)
    {
        var values = new float[steps.Length * 5];
        for (var t = 0; t < steps.Length; t++)
        {
            // The rest of the step's mass spread evenly, so the named class is the maximum.
            values.AsSpan(t * 5, 5).Fill((1 - steps[t].P) / 4);
            values[(t * 5) + steps[t].Class] = steps[t].P;
        }

        return values;
    }

    [Fact]
    public void CharacterSet_HasBlankFirstAndSpaceLast()
    {
        Assert.Equal(5, Decoder.Characters.Count);
        Assert.Equal("", Decoder.Characters[0]);
        Assert.Equal("a", Decoder.Characters[1]);
        Assert.Equal(" ", Decoder.Characters[4]);
    }

    [Fact]
    public void Decode_DropsBlanksAndRepeats()
    {
        var (text, _) = Decoder.Decode(Steps((1, 0.9f), (1, 0.9f), (0, 0.9f), (2, 0.9f), (2, 0.9f), (2, 0.9f), (3, 0.9f)));

        Assert.Equal("abc", text);
    }

    [Fact]
    public void Decode_KeepsARepeatSeparatedByABlank()
    {
        var (text, _) = Decoder.Decode(Steps((1, 0.9f), (0, 0.9f), (1, 0.9f), (1, 0.9f)));

        Assert.Equal("aa", text);
    }

    [Fact]
    public void Decode_MapsTheLastClassToASpace()
    {
        var (text, _) = Decoder.Decode(Steps((1, 0.9f), (4, 0.9f), (2, 0.9f)));

        Assert.Equal("a b", text);
    }

    [Fact]
    public void Decode_ConfidenceIsTheMeanOfTheKeptSteps()
    {
        var (text, confidence) = Decoder.Decode(Steps((1, 0.8f), (1, 0.2f + 0.5f), (0, 0.99f), (2, 0.6f)));

        Assert.Equal("ab", text);
        Assert.Equal(0.7f, confidence, 1e-5f);
    }

    [Fact]
    public void Decode_OnlyBlanks_IsEmptyWithZeroConfidence()
    {
        var (text, confidence) = Decoder.Decode(Steps((0, 0.9f), (0, 0.9f)));

        Assert.Equal("", text);
        Assert.Equal(0f, confidence);
    }

    [Fact]
    public void Decode_OutputNotAMultipleOfTheClasses_SaysTheCharacterListMayBeWrong()
    {
        var error = Assert.Throws<ArgumentException>(() => Decoder.Decode(new float[7]));

        Assert.Contains("keys.txt", error.Message, StringComparison.Ordinal);
    }
}
