namespace Sluice.Network.Addressing;

/// <summary>An inclusive range of addresses of one family, as integers; what prefixes, tags and ASGs compile to.</summary>
internal readonly record struct AddressRange(UInt128 Start, UInt128 End)
{
    public static AddressRange Of(IpPrefix prefix) => new(prefix.First, prefix.Last);
}
