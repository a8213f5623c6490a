namespace Sluice.Network.Addressing;

/// <summary>The address family of a prefix, range or flow. IPv4 and IPv6 are separate planes: no prefix of one matches the other.</summary>
public enum IpFamily
{
    IPv4,
    IPv6,
}
