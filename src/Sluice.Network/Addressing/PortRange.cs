using System.Globalization;

namespace Sluice.Network.Addressing;

/// <summary>An inclusive range of TCP or UDP ports, written <c>*</c>, <c>80</c> or <c>1000-2000</c> in a security rule.</summary>
public readonly record struct PortRange(int Start, int End)
{
    public const int MaxPort = 65535;

    /// <summary>Every port, <c>0-65535</c>; also what <c>*</c> means.</summary>
    public static PortRange All { get; } = new(0, MaxPort);

    public bool IsAll => Start == 0 && End == MaxPort;

    public bool Contains(int port) => port >= Start && port <= End;

    /// <summary>Parses <c>*</c>, a single port or a <c>low-high</c> range; the error says what is wrong in user terms.</summary>
    public static bool TryParse(string? text, out PortRange range, out string? error)
    {
        range = default;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            error = "a port range is required: '*', a port such as '443' or a range such as '1000-2000'";
            return false;
        }

        if (span is "*")
        {
            range = All;
            error = null;
            return true;
        }

        var dash = span.IndexOf('-');
        var startText = dash < 0 ? span : span[..dash].Trim();
        var endText = dash < 0 ? span : span[(dash + 1)..].Trim();
        if (!TryPort(startText, out var start) || !TryPort(endText, out var end))
        {
            error = $"'{text}' is not a port range: ports are whole numbers from 0 to {MaxPort}, written '443' or '1000-2000' (or '*')";
            return false;
        }

        if (start > end)
        {
            error = $"'{text}' starts after it ends; write the lower port first, e.g. {end}-{start}";
            return false;
        }

        range = new PortRange(start, end);
        error = null;
        return true;
    }

    public static PortRange Parse(string text) =>
        TryParse(text, out var range, out var error) ? range : throw new FormatException(error);

    private static bool TryPort(ReadOnlySpan<char> text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= MaxPort;

    public override string ToString() => Start == End
        ? Start.ToString(CultureInfo.InvariantCulture)
        : $"{Start.ToString(CultureInfo.InvariantCulture)}-{End.ToString(CultureInfo.InvariantCulture)}";
}
