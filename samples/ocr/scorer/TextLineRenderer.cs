using System.Globalization;
using System.Text;
using SkiaSharp;

namespace Samples.Ocr;

/// <summary>One rendered text line: its image's file name and the text drawn in it.</summary>
public sealed record RenderedLine(string FileName, string Text, string Font, int Size);

/// <summary>
/// Renders text lines as PNG images, black on white: random words (letters and digits, from a seeded generator, so a
/// seed always gives the same set) in several fonts of Debian's DejaVu and Liberation families and several sizes.
/// The same seed gives the same words, fonts, sizes and image bytes.
/// </summary>
public sealed class TextLineRenderer : IDisposable
{
    /// <summary>Where Debian installs TrueType fonts (scripts/fonts.sh installs the packages).</summary>
    public const string DefaultFontFolder = "/usr/share/fonts/truetype";

    /// <summary>Font files, relative to the font folder, from fonts-dejavu-core and fonts-liberation2.</summary>
    public static readonly IReadOnlyList<string> FontFiles =
    [
        "dejavu/DejaVuSans.ttf",
        "dejavu/DejaVuSerif.ttf",
        "dejavu/DejaVuSans-Bold.ttf",
        "dejavu/DejaVuSansMono.ttf",
        "liberation2/LiberationSans-Regular.ttf",
        "liberation2/LiberationSerif-Regular.ttf",
        "liberation2/LiberationSans-Bold.ttf",
        "liberation2/LiberationMono-Regular.ttf",
    ];

    /// <summary>Font sizes in pixels.</summary>
    public static readonly IReadOnlyList<int> Sizes = [20, 28, 36, 48, 64];

    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";

    private readonly (string Name, SKTypeface Typeface)[] _fonts;

    public TextLineRenderer(string fontFolder = DefaultFontFolder)
    {
        var missing = FontFiles.Where(f => !File.Exists(Path.Combine(fontFolder, f))).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException($"the fonts {string.Join(", ", missing)} are not in {fontFolder}; run scripts/fonts.sh install (Debian's fonts-dejavu-core and fonts-liberation2)");
        }

        _fonts = [.. FontFiles.Select(f => (Path.GetFileNameWithoutExtension(f), SKTypeface.FromFile(Path.Combine(fontFolder, f)) ?? throw new InvalidDataException($"{Path.Combine(fontFolder, f)} is not a font SkiaSharp can read")))];
    }

    /// <summary>
    /// <paramref name="count"/> random words from <paramref name="seed"/>: 3 to 10 characters, lower case, capitalised,
    /// upper case, digits, or letters and digits mixed. Characters the model does not know are never drawn.
    /// </summary>
    public static IReadOnlyList<string> Words(int count, int seed, CharacterSet? characters = null)
    {
        var letters = Letters.Where(c => characters?.Contains(c) ?? true).ToArray();
        var digits = Digits.Where(c => characters?.Contains(c) ?? true).ToArray();
        var random = new Random(seed);
        var words = new List<string>(count);
        var word = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(3, 11);
            var kind = random.Next(5);
            word.Clear();
            for (var c = 0; c < length; c++)
            {
                var letter = letters[random.Next(letters.Length)];
                word.Append(kind switch
                {
                    0 => char.ToLowerInvariant(letter),
                    1 => c == 0 ? char.ToUpperInvariant(letter) : char.ToLowerInvariant(letter),
                    2 => char.ToUpperInvariant(letter),
                    3 => digits[random.Next(digits.Length)],
                    _ => random.Next(3) == 0 ? digits[random.Next(digits.Length)] : letter,
                });
            }

            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>The set for a seed: its words, each with a font and a size chosen by the same generator.</summary>
    public IReadOnlyList<RenderedLine> Plan(int count, int seed, CharacterSet? characters = null)
    {
        var words = Words(count, seed, characters);
        var random = new Random(unchecked(seed * 31) + 7);
        return [.. words.Select((w, i) => new RenderedLine(
            string.Create(CultureInfo.InvariantCulture, $"line-{i + 1:00000}.png"), w, _fonts[random.Next(_fonts.Length)].Name, Sizes[random.Next(Sizes.Count)]))];
    }

    /// <summary>Draws one line and returns its PNG bytes.</summary>
    public byte[] RenderPng(string text, string font, int size)
    {
        var typeface = _fonts.FirstOrDefault(f => f.Name == font).Typeface
            ?? throw new ArgumentException($"unknown font '{font}'; the renderer has {string.Join(", ", _fonts.Select(f => f.Name))}", nameof(font));
        using var skFont = new SKFont(typeface, size) { Edging = SKFontEdging.Antialias, Hinting = SKFontHinting.None, Subpixel = false };
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        var textWidth = skFont.MeasureText(text, paint);
        var metrics = skFont.Metrics;
        var margin = Math.Max(2, size / 4);
        var width = (int)Math.Ceiling(textWidth) + (2 * margin);
        var height = (int)Math.Ceiling(metrics.Descent - metrics.Ascent) + margin;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawText(text, margin, (margin / 2f) - metrics.Ascent, SKTextAlign.Left, skFont, paint);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Renders the set for a seed into <paramref name="folder"/> and writes its labels (file name, tab, text).</summary>
    public IReadOnlyList<RenderedLine> RenderSet(int count, int seed, string folder, string labelsFile, CharacterSet? characters = null)
    {
        Directory.CreateDirectory(folder);
        var lines = Plan(count, seed, characters);
        foreach (var line in lines)
        {
            File.WriteAllBytes(Path.Combine(folder, line.FileName), RenderPng(line.Text, line.Font, line.Size));
        }

        Labels.Write(labelsFile, lines);
        return lines;
    }

    public void Dispose()
    {
        foreach (var (_, typeface) in _fonts)
        {
            typeface.Dispose();
        }
    }
}
