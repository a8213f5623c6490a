namespace Sluice.Network.Model;

/// <summary>A virtual network: its address space, subnets and peerings.</summary>
public sealed record VirtualNetwork
{
    public required string Name { get; init; }

    public required string Location { get; init; }

    /// <summary>CIDR prefixes, IPv4 and optionally IPv6; every subnet must lie within them.</summary>
    public required IReadOnlyList<string> AddressSpace { get; init; }

    public IReadOnlyList<Subnet> Subnets { get; init; } = [];

    public IReadOnlyList<Peering> Peerings { get; init; } = [];

    /// <summary>
    /// On-premises prefixes learned over this network's VPN or ExpressRoute gateway through BGP. A non-empty list
    /// means the network has a gateway: its subnets get <c>VirtualNetworkGateway</c> routes for these prefixes
    /// (unless a route table disables propagation) and the prefixes belong to the <c>VirtualNetwork</c> tag.
    /// </summary>
    public IReadOnlyList<string> GatewayPrefixes { get; init; } = [];
}
