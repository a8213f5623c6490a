using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Network.Addressing;

/// <summary>Converts addresses to and from the integers the engine compares; IPv4 lives in the low 32 bits.</summary>
internal static class IpAddressBits
{
    public static readonly UInt128 MaxIPv4 = uint.MaxValue;

    public static UInt128 Max(IpFamily family) => family == IpFamily.IPv4 ? MaxIPv4 : UInt128.MaxValue;

    public static int Width(IpFamily family) => family == IpFamily.IPv4 ? 32 : 128;

    /// <summary>IPv4-mapped IPv6 addresses (<c>::ffff:10.0.0.1</c>) are treated as the IPv4 address they carry, as Azure does.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static (IpFamily Family, UInt128 Value) ToBits(IPAddress address)
    {
        address = Normalize(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"'{address}' is not an IPv4 or IPv6 address.", nameof(address));
        }

        return address.AddressFamily == AddressFamily.InterNetwork && written == 4
            ? (IpFamily.IPv4, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : (IpFamily.IPv6, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    public static IPAddress ToAddress(IpFamily family, UInt128 value)
    {
        if (family == IpFamily.IPv4)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)value);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    /// <summary>The mask of the host bits of a prefix of <paramref name="length"/> bits (all ones for /0).</summary>
    public static UInt128 HostMask(IpFamily family, int length)
    {
        var hostBits = Width(family) - length;
        return hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - UInt128.One;
    }
}
