namespace Samples.Ocr;

/// <summary>
/// The recognition model's classes: index 0 is CTC's blank, indices 1…N are the lines of the character list
/// (keys.txt, one character per line), and index N+1 is the space, which PaddleOCR appends to the list.
/// </summary>
public sealed class CharacterSet
{
    private readonly string[] _classes;
    private readonly HashSet<char> _characters;

    public CharacterSet(IEnumerable<string> keys)
    {
        _classes = ["", .. keys, " "];
        _characters = [.. _classes.Where(k => k.Length == 1).Select(k => k[0])];
    }

    /// <summary>Classes the model outputs: blank + keys + space.</summary>
    public int Count => _classes.Length;

    /// <summary>The text of class <paramref name="index"/> (empty for the blank).</summary>
    public string this[int index] => _classes[index];

    public bool Contains(char c) => _characters.Contains(c);

    /// <summary>Reads a character list file; lines keep their spaces (only line breaks are trimmed).</summary>
    public static CharacterSet Load(string keysFile)
    {
        if (!File.Exists(keysFile))
        {
            throw new FileNotFoundException($"the character list {keysFile} does not exist; scripts/ocr-model.sh path prints the folder holding rec.onnx and keys.txt", keysFile);
        }

        return new CharacterSet(File.ReadAllLines(keysFile).Select(l => l.TrimEnd('\r')));
    }
}
