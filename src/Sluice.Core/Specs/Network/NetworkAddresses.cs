using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Core.Specs.Network;

/// <summary>What an address prefix written in a security rule or a route is.</summary>
public enum AddressPrefixForm
{
    /// <summary><c>*</c>: any address.</summary>
    Any,

    /// <summary>A single IPv4 or IPv6 address.</summary>
    Address,

    /// <summary>A CIDR block.</summary>
    Cidr,

    /// <summary>A service tag name (built in, imported, or user-defined).</summary>
    ServiceTag,
}

/// <summary>
/// Strict parsing of IP addresses and CIDR blocks as Azure accepts them: dotted-quad IPv4 (no shorthand such as
/// <c>10.1</c>, no leading zeros) and IPv6, CIDRs without host bits. Every parser says what is wrong, and offers the
/// block that was probably meant.
/// </summary>
public static class NetworkAddresses
{
    /// <summary>Parses an IP address; returns a sentence saying why not otherwise.</summary>
    public static string? TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var trimmed = text.Trim();
        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            if (!trimmed.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(trimmed, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return null;
            }

            return $"'{text}' is not an IPv6 address";
        }

        var parts = trimmed.Split('.');
        if (parts.Length != 4 || !parts.All(IsOctet))
        {
            return $"'{text}' is not an IP address; write four numbers from 0 to 255, e.g. 10.0.0.4";
        }

        address = new IPAddress(parts.Select(p => byte.Parse(p, CultureInfo.InvariantCulture)).ToArray());
        return null;
    }

    /// <summary>
    /// Parses <c>address/length</c>; a block with host bits set is refused with the block it probably means, unless
    /// <paramref name="maskHostBits"/> asks to take that block.
    /// </summary>
    public static string? TryParseCidr(string text, out IPNetwork network, bool maskHostBits = false)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return $"'{text}' is not a CIDR block; write <address>/<prefix length>, e.g. 10.0.0.0/16";
        }

        if (TryParseAddress(text[..slash], out var address) is { } bad)
        {
            return bad;
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var lengthText = text[(slash + 1)..].Trim();
        if (lengthText.Length is 0 or > 3 || !lengthText.All(char.IsAsciiDigit) || int.Parse(lengthText, CultureInfo.InvariantCulture) > max)
        {
            return $"'{text}' has an invalid prefix length; expected a number from 0 to {max}";
        }

        var length = int.Parse(lengthText, CultureInfo.InvariantCulture);
        var masked = Mask(address, length);
        if (!masked.Equals(address) && !maskHostBits)
        {
            return $"'{text}' has bits set after the first {length}; did you mean {masked}/{length}?";
        }

        network = new IPNetwork(masked, length);
        return null;
    }

    /// <summary>A CIDR block, or a single address taken as a /32 (/128) block.</summary>
    public static string? TryParseAddressOrCidr(string text, out IPNetwork network)
    {
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return TryParseCidr(text, out network);
        }

        network = default;
        if (TryParseAddress(text, out var address) is { } bad)
        {
            return bad;
        }

        network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return null;
    }

    /// <summary>
    /// Tells what a rule's or route's address prefix is. Text that starts like an address (a digit, a ':' or a '/')
    /// must be one; anything else that reads as a word is a service tag name.
    /// </summary>
    public static string? Classify(string text, out AddressPrefixForm form, out string canonical)
    {
        canonical = text.Trim();
        form = AddressPrefixForm.ServiceTag;
        if (canonical == "*")
        {
            form = AddressPrefixForm.Any;
            return null;
        }

        if (canonical.Length > 0 && (char.IsAsciiDigit(canonical[0]) || canonical.Contains(':', StringComparison.Ordinal) || canonical.Contains('/', StringComparison.Ordinal)))
        {
            if (canonical.Contains('/', StringComparison.Ordinal))
            {
                form = AddressPrefixForm.Cidr;
                var cidrProblem = TryParseCidr(canonical, out var network);
                canonical = cidrProblem is null ? network.ToString() : canonical;
                return cidrProblem;
            }

            form = AddressPrefixForm.Address;
            var problem = TryParseAddress(canonical, out var address);
            canonical = problem is null ? address.ToString() : canonical;
            return problem;
        }

        return ServiceTags.CheckName(canonical);
    }

    public static bool Overlaps(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    /// <summary>Whether <paramref name="inner"/> lies wholly inside <paramref name="outer"/>.</summary>
    public static bool Within(IPNetwork inner, IPNetwork outer) =>
        inner.BaseAddress.AddressFamily == outer.BaseAddress.AddressFamily && inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.BaseAddress);

    /// <summary>
    /// Private, shared, loopback, link-local and other non-internet ranges (RFC 1918, 6598, 3927, 4193, …), which a
    /// public address (a NAT gateway's, a service's, a firewall rule's) cannot be.
    /// </summary>
    public static bool IsNonPublic(IPAddress address) => NonPublic.Any(n => n.Contains(address));

    /// <summary>Azure reserves the first four addresses and the last one of every IPv4 subnet.</summary>
    public static bool IsReservedInSubnet(IPAddress address, IPNetwork subnet)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork || !subnet.Contains(address))
        {
            return false;
        }

        var offset = ToUInt32(address) - ToUInt32(subnet.BaseAddress);
        var size = 1UL << (32 - subnet.PrefixLength);
        return offset < 4 || offset == size - 1;
    }

    /// <summary>The assignable IPv4 addresses of a subnet, lowest first (Azure's reserved ones left out).</summary>
    public static IEnumerable<IPAddress> Assignable(IPNetwork subnet)
    {
        if (subnet.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            yield break;
        }

        var first = ToUInt32(subnet.BaseAddress);
        var size = 1UL << (32 - subnet.PrefixLength);
        for (var offset = 4UL; offset + 1 < size; offset++)
        {
            yield return FromUInt32((uint)(first + offset));
        }
    }

    private static readonly IPNetwork[] NonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private static bool IsOctet(string part) =>
        part.Length is >= 1 and <= 3 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0') && int.Parse(part, CultureInfo.InvariantCulture) <= 255;

    private static IPAddress Mask(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static uint ToUInt32(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static IPAddress FromUInt32(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
