namespace Sluice.Core.Specs.Network;

/// <summary>A virtual network (<c>az network vnet</c>): address space, subnets, peerings and an optional gateway.</summary>
public sealed record VirtualNetworkSpec : NetworkResourceSpec
{
    public const string TypeName = "virtual_network";


    /// <summary>The address space: canonical CIDRs (IPv4 and IPv6), none overlapping another.</summary>
    public IReadOnlyList<string> AddressSpace { get; init; } = [];

    /// <summary>Custom DNS servers; empty means Azure-provided DNS.</summary>
    public IReadOnlyList<string> DnsServers { get; init; } = [];

    public IReadOnlyList<SubnetSpec> Subnets { get; init; } = [];

    public IReadOnlyList<VirtualNetworkPeeringSpec> Peerings { get; init; } = [];

    /// <summary>A VPN or ExpressRoute gateway and the on-premises prefixes it learns over BGP; null when the network has none.</summary>
    public VirtualNetworkGatewaySpec? Gateway { get; init; }

    public SubnetSpec? FindSubnet(string name) => Subnets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}

public sealed record SubnetSpec
{
    public required string Name { get; init; }

    /// <summary>Canonical CIDRs inside the network's address space (<c>address_prefix</c> on input becomes a one-item list).</summary>
    public IReadOnlyList<string> AddressPrefixes { get; init; } = [];

    /// <summary>The name of a <c>network_security_group</c> resource applied to the subnet.</summary>
    public string? NetworkSecurityGroup { get; init; }

    /// <summary>The name of a <c>route_table</c> resource.</summary>
    public string? RouteTable { get; init; }

    /// <summary>The name of a <c>nat_gateway</c> resource for outbound traffic.</summary>
    public string? NatGateway { get; init; }

    /// <summary>Service names the subnet is delegated to, e.g. <c>Microsoft.Batch/batchAccounts</c>.</summary>
    public IReadOnlyList<string> Delegations { get; init; } = [];

    /// <summary>Service endpoints in Azure's canonical spelling, e.g. <c>Microsoft.Storage</c>.</summary>
    public IReadOnlyList<string> ServiceEndpoints { get; init; } = [];

    public PrivateEndpointNetworkPolicies PrivateEndpointNetworkPolicies { get; init; } = PrivateEndpointNetworkPolicies.Disabled;
}

public sealed record VirtualNetworkPeeringSpec
{
    public required string Name { get; init; }

    /// <summary>The name of the peered <c>virtual_network</c> in the same workspace.</summary>
    public required string RemoteVirtualNetwork { get; init; }

    public bool AllowVirtualNetworkAccess { get; init; } = true;

    public bool AllowForwardedTraffic { get; init; }

    public bool AllowGatewayTransit { get; init; }

    public bool UseRemoteGateways { get; init; }
}

public sealed record VirtualNetworkGatewaySpec
{
    public VirtualNetworkGatewayType GatewayType { get; init; } = VirtualNetworkGatewayType.Vpn;

    /// <summary>On-premises prefixes reached through the gateway (canonical CIDRs).</summary>
    public IReadOnlyList<string> AddressPrefixes { get; init; } = [];
}
