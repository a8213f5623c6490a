using Sluice.Network.Addressing;

namespace Sluice.Network.Tags;

/// <summary>
/// The tags whose meaning Azure defines rather than publishes. <c>VirtualNetwork</c> and <c>Internet</c> depend on
/// where the rule is evaluated (the subnet's network, its peerings, gateway and route table), so the engine computes
/// them per subnet; they cannot be redefined.
/// </summary>
public static class WellKnownServiceTags
{
    /// <summary>
    /// The subnet's network address space, the address spaces of connected peerings that allow virtual network access,
    /// on-premises prefixes learned by its gateway or a remote gateway it uses, the host's virtual IP
    /// (<c>168.63.129.16</c>) and the address prefixes of the user-defined routes of the subnet's route table.
    /// </summary>
    /// <remarks>
    /// Azure warns that this tag "may also contain default routes": a route table with a <c>0.0.0.0/0</c> route widens
    /// the tag to every address, and the default AllowVNetInBound rule then admits everything. That is reproduced,
    /// not corrected. Routes whose prefix is a service tag are not added (Azure speaks of address prefixes).
    /// </remarks>
    public const string VirtualNetwork = "VirtualNetwork";

    /// <summary>
    /// Public address space outside the <see cref="VirtualNetwork"/> tag: IPv4 except the private, shared, loopback,
    /// link-local, multicast and reserved ranges, and IPv6 global unicast (<c>2000::/3</c>).
    /// </summary>
    public const string Internet = "Internet";

    /// <summary>Azure's infrastructure load balancer, where health probes come from: <c>168.63.129.16/32</c>.</summary>
    public const string AzureLoadBalancer = "AzureLoadBalancer";

    /// <summary>The virtualised host address that serves DHCP, DNS and health probes.</summary>
    public static IpPrefix HostVirtualIp { get; } = IpPrefix.Parse("168.63.129.16/32");

    /// <summary>Whether the name is one of the per-subnet tags, which routes cannot use and sets cannot redefine.</summary>
    public static bool IsContextual(string name) =>
        string.Equals(name, VirtualNetwork, StringComparison.OrdinalIgnoreCase) || string.Equals(name, Internet, StringComparison.OrdinalIgnoreCase);

    internal static AddressSet PublicSpace { get; } = AddressSet.FromPrefixes([IpPrefix.AnyIPv4, IpPrefix.Parse("2000::/3")])
        .Except(AddressSet.FromPrefixes(
        [
            IpPrefix.Parse("0.0.0.0/8"),
            IpPrefix.Parse("10.0.0.0/8"),
            IpPrefix.Parse("100.64.0.0/10"),
            IpPrefix.Parse("127.0.0.0/8"),
            IpPrefix.Parse("169.254.0.0/16"),
            IpPrefix.Parse("172.16.0.0/12"),
            IpPrefix.Parse("192.168.0.0/16"),
            IpPrefix.Parse("224.0.0.0/3"),
        ]));
}
