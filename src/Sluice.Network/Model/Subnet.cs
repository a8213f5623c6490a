namespace Sluice.Network.Model;

/// <summary>Whether network security groups and user-defined routes apply to the private endpoints in a subnet.</summary>
public enum PrivateEndpointNetworkPolicies
{
    /// <summary>Azure's default: neither NSG rules nor route tables affect private endpoints.</summary>
    Disabled,

    /// <summary>Both NSG rules and user-defined routes apply.</summary>
    Enabled,

    NetworkSecurityGroupEnabled,

    RouteTableEnabled,
}

/// <summary>A subnet of a virtual network with the resources associated with it, referenced by name.</summary>
public sealed record Subnet
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> AddressPrefixes { get; init; }

    public string? NetworkSecurityGroup { get; init; }

    public string? RouteTable { get; init; }

    public string? NatGateway { get; init; }

    /// <summary>Services the subnet is delegated to, e.g. <c>Microsoft.ContainerInstance/containerGroups</c>.</summary>
    public IReadOnlyList<string> Delegations { get; init; } = [];

    /// <summary>Service endpoints enabled on the subnet, e.g. <c>Microsoft.Storage</c>; see <see cref="Tags.ServiceEndpoints"/>.</summary>
    public IReadOnlyList<string> ServiceEndpoints { get; init; } = [];

    public PrivateEndpointNetworkPolicies PrivateEndpointNetworkPolicies { get; init; } = PrivateEndpointNetworkPolicies.Disabled;

    /// <summary>
    /// Azure's <c>defaultOutboundAccess</c>. False makes a private subnet: interfaces without a NAT gateway or an
    /// instance-level public IP have no path to the internet.
    /// </summary>
    public bool DefaultOutboundAccess { get; init; } = true;
}
