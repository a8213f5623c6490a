namespace Sluice.Core.Specs.Network;

/// <summary>A route table (<c>az network route-table</c>): user-defined routes for the subnets it is applied to.</summary>
public sealed record RouteTableSpec : NetworkResourceSpec
{
    public const string TypeName = "route_table";


    /// <summary>When true, routes learned by a virtual network gateway are not propagated to the subnets.</summary>
    public bool DisableBgpRoutePropagation { get; init; }

    public IReadOnlyList<RouteSpec> Routes { get; init; } = [];
}

public sealed record RouteSpec
{
    public required string Name { get; init; }

    /// <summary>A canonical CIDR or a service tag name.</summary>
    public required string AddressPrefix { get; init; }

    public required NextHopType NextHopType { get; init; }

    /// <summary>The appliance's address; set exactly when <see cref="NextHopType"/> is <c>VirtualAppliance</c>.</summary>
    public string? NextHopIpAddress { get; init; }
}
