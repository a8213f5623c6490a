namespace Sluice.Network.Model;

/// <summary>The next hop types of routes. User-defined routes may use the first five; the others are system routes only.</summary>
public enum NextHopType
{
    VirtualNetworkGateway,
    VnetLocal,
    Internet,
    VirtualAppliance,

    /// <summary>Traffic is dropped.</summary>
    None,

    /// <summary>System route to a peered virtual network's address space.</summary>
    VNetPeering,

    /// <summary>System /32 (or /128) route to a private endpoint.</summary>
    InterfaceEndpoint,

    /// <summary>System route for the prefixes of a service that the subnet has a service endpoint for.</summary>
    VirtualNetworkServiceEndpoint,
}

/// <summary>A user-defined route. <see cref="AddressPrefix"/> is a CIDR prefix or a service tag name, which expands to the tag's prefixes.</summary>
public sealed record Route
{
    public required string Name { get; init; }

    public required string AddressPrefix { get; init; }

    public required NextHopType NextHopType { get; init; }

    /// <summary>Required for <see cref="NextHopType.VirtualAppliance"/> and not allowed for any other type.</summary>
    public string? NextHopIpAddress { get; init; }
}

/// <summary>A route table; associated with subnets, its routes combine with their system routes.</summary>
public sealed record RouteTable
{
    public required string Name { get; init; }

    /// <summary>When true, subnets using this table get no routes from virtual network gateways (BGP or static).</summary>
    public bool DisableBgpRoutePropagation { get; init; }

    public IReadOnlyList<Route> Routes { get; init; } = [];
}
