using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Sluice.Network.Addressing;

/// <summary>
/// An IPv4 or IPv6 CIDR prefix such as <c>10.0.0.0/16</c> or <c>fd00::/48</c>; a bare address is a /32 (or /128).
/// Held as the integer range it covers so containment and overlap are two comparisons.
/// </summary>
/// <remarks>
/// Parsing is strict, as Azure is for address spaces and subnets: the bits after the prefix length must be zero
/// (<c>10.0.0.1/24</c> is rejected with a hint to write <c>10.0.0.0/24</c>), and zone ids are not addresses.
/// </remarks>
public readonly record struct IpPrefix : IComparable<IpPrefix>
{
    private IpPrefix(IpFamily family, UInt128 first, int length)
    {
        Family = family;
        First = first;
        Length = length;
    }

    /// <summary><c>0.0.0.0/0</c>: every IPv4 address.</summary>
    public static IpPrefix AnyIPv4 { get; } = new(IpFamily.IPv4, UInt128.Zero, 0);

    /// <summary><c>::/0</c>: every IPv6 address.</summary>
    public static IpPrefix AnyIPv6 { get; } = new(IpFamily.IPv6, UInt128.Zero, 0);

    public IpFamily Family { get; }

    /// <summary>The prefix length in bits (0–32 for IPv4, 0–128 for IPv6).</summary>
    public int Length { get; }

    /// <summary>The network address as an integer (IPv4 in the low 32 bits).</summary>
    internal UInt128 First { get; }

    /// <summary>The last address covered, as an integer.</summary>
    internal UInt128 Last => First | IpAddressBits.HostMask(Family, Length);

    /// <summary>The network address, e.g. <c>10.0.0.0</c> for <c>10.0.0.0/16</c>.</summary>
    public IPAddress NetworkAddress => IpAddressBits.ToAddress(Family, First);

    /// <summary>The last address covered, e.g. <c>10.0.255.255</c> for <c>10.0.0.0/16</c>.</summary>
    public IPAddress LastAddress => IpAddressBits.ToAddress(Family, Last);

    /// <summary>How many addresses the prefix covers (2^128 for <c>::/0</c>, hence a big integer).</summary>
    public BigInteger Size => BigInteger.One << (IpAddressBits.Width(Family) - Length);

    /// <summary>Whether this is a single address (/32 or /128).</summary>
    public bool IsHost => Length == IpAddressBits.Width(Family);

    /// <summary>The /32 (or /128) prefix of one address.</summary>
    public static IpPrefix FromAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var (family, value) = IpAddressBits.ToBits(address);
        return new IpPrefix(family, value, IpAddressBits.Width(family));
    }

    /// <summary>The prefix of <paramref name="length"/> bits that contains <paramref name="address"/> (host bits cleared).</summary>
    public static IpPrefix Containing(IPAddress address, int length)
    {
        ArgumentNullException.ThrowIfNull(address);
        var (family, value) = IpAddressBits.ToBits(address);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, IpAddressBits.Width(family));
        return new IpPrefix(family, value & ~IpAddressBits.HostMask(family, length), length);
    }

    internal static IpPrefix FromBits(IpFamily family, UInt128 first, int length) => new(family, first, length);

    /// <summary>Parses a prefix or address; throws <see cref="FormatException"/> with the reason when it is malformed.</summary>
    public static IpPrefix Parse(string text) =>
        TryParse(text, out var prefix, out var error) ? prefix : throw new FormatException(error);

    /// <summary>Parses <c>10.0.0.0/16</c>, <c>10.0.0.5</c> (a /32), <c>fd00::/48</c> or <c>fd00::1</c> (a /128).</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="prefix">The prefix, when the text is well formed.</param>
    /// <param name="error">Why the text is not a prefix, in words a user can act on; null on success.</param>
    public static bool TryParse(string? text, out IpPrefix prefix, out string? error) =>
        TryParse(text.AsSpan(), out prefix, out error);

    /// <inheritdoc cref="TryParse(string?, out IpPrefix, out string?)"/>
    public static bool TryParse(ReadOnlySpan<char> text, out IpPrefix prefix, out string? error)
    {
        prefix = default;
        text = text.Trim();
        if (text.IsEmpty)
        {
            error = "an address prefix is required, e.g. 10.0.0.0/16";
            return false;
        }

        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (addressText.Contains('%'))
        {
            error = $"'{text}' has a zone id; an address prefix is an address and a length, e.g. fd00::/48";
            return false;
        }

        if (!IPAddress.TryParse(addressText, out var address) || !IsStrictAddress(addressText, address))
        {
            error = $"'{text}' is not an IPv4 or IPv6 address prefix; expected e.g. 10.0.0.0/16, 10.0.0.5 or fd00::/48";
            return false;
        }

        var (family, value) = IpAddressBits.ToBits(address);
        var width = IpAddressBits.Width(family);
        var length = width;
        if (slash >= 0)
        {
            var lengthText = text[(slash + 1)..];
            if (lengthText.IsEmpty || lengthText.Length > 3 || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > width)
            {
                error = $"'{text}' has an invalid prefix length; {(family == IpFamily.IPv4 ? "IPv4" : "IPv6")} lengths are 0 to {width}";
                return false;
            }
        }

        var host = value & IpAddressBits.HostMask(family, length);
        if (host != UInt128.Zero)
        {
            var network = IpAddressBits.ToAddress(family, value & ~IpAddressBits.HostMask(family, length));
            error = $"'{text}' is not a network address: the bits after /{length} must be zero (did you mean {network}/{length}?)";
            return false;
        }

        prefix = new IpPrefix(family, value, length);
        error = null;
        return true;
    }

    // IPAddress.TryParse accepts shorthand such as "10" or "10.1" (classful forms) and IPv4 in hex; Azure does not.
    private static bool IsStrictAddress(ReadOnlySpan<char> text, IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return true;
        }

        var dots = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return dots == 3;
    }

    /// <summary>Whether the address falls within the prefix; addresses of the other family never do.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var (family, value) = IpAddressBits.ToBits(address);
        return family == Family && value >= First && value <= Last;
    }

    internal bool Contains(IpFamily family, UInt128 value) => family == Family && value >= First && value <= Last;

    /// <summary>Whether <paramref name="other"/> lies entirely within this prefix.</summary>
    public bool Contains(IpPrefix other) => other.Family == Family && other.First >= First && other.Last <= Last;

    /// <summary>Whether the two prefixes share any address (for CIDR prefixes: one contains the other).</summary>
    public bool Overlaps(IpPrefix other) => other.Family == Family && other.First <= Last && First <= other.Last;

    /// <summary>The <see cref="IPNetwork"/> equivalent, for callers that use the framework type.</summary>
    public IPNetwork ToIPNetwork() => new(NetworkAddress, Length);

    /// <summary>Orders IPv4 before IPv6, then by network address, then shorter prefixes first.</summary>
    public int CompareTo(IpPrefix other)
    {
        var byFamily = Family.CompareTo(other.Family);
        if (byFamily != 0)
        {
            return byFamily;
        }

        var byAddress = First.CompareTo(other.First);
        return byAddress != 0 ? byAddress : Length.CompareTo(other.Length);
    }

    public static bool operator <(IpPrefix left, IpPrefix right) => left.CompareTo(right) < 0;

    public static bool operator >(IpPrefix left, IpPrefix right) => left.CompareTo(right) > 0;

    public static bool operator <=(IpPrefix left, IpPrefix right) => left.CompareTo(right) <= 0;

    public static bool operator >=(IpPrefix left, IpPrefix right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{NetworkAddress}/{Length.ToString(CultureInfo.InvariantCulture)}";
}
