namespace Sluice.Network.Lint;

/// <summary>Splits rule names and descriptions into lower-case words at punctuation, case changes and letter/digit boundaries.</summary>
internal static class NameTokenizer
{
    public static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length || !char.IsAsciiLetterOrDigit(text[i]) || (start >= 0 && i > start && Splits(text, i));
            if (boundary && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }

            if (i < text.Length && char.IsAsciiLetterOrDigit(text[i]) && start < 0)
            {
                start = i;
            }
        }
    }

    // "AllowSSHInbound" -> Allow | SSH | Inbound; "https443" -> https | 443.
    private static bool Splits(string text, int i)
    {
        char previous = text[i - 1], current = text[i];
        if (char.IsAsciiDigit(previous) != char.IsAsciiDigit(current))
        {
            return true;
        }

        if (char.IsAsciiLetterLower(previous) && char.IsAsciiLetterUpper(current))
        {
            return true;
        }

        return char.IsAsciiLetterUpper(previous) && char.IsAsciiLetterUpper(current) && i + 1 < text.Length && char.IsAsciiLetterLower(text[i + 1]);
    }
}
