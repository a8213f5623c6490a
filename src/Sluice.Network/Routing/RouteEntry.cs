using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Routing;

/// <summary>Where a route comes from; Azure shows these as Default, User and VirtualNetworkGateway.</summary>
public enum RouteSource
{
    /// <summary>Created by Azure for the subnet (address space, peerings, private endpoints, service endpoints, defaults).</summary>
    System,

    /// <summary>A user-defined route from the subnet's route table.</summary>
    User,

    /// <summary>Learned by a virtual network gateway (BGP or the local network gateway's prefixes).</summary>
    Bgp,
}

/// <summary>Whether a route can be chosen at all; Azure shows overridden routes as Invalid.</summary>
public enum RouteState
{
    Active,
    Invalid,
}

/// <summary>One route of a subnet's effective route table.</summary>
public sealed record RouteEntry
{
    public required IpPrefix AddressPrefix { get; init; }

    public required NextHopType NextHopType { get; init; }

    public IPAddress? NextHopIpAddress { get; init; }

    public required RouteSource Source { get; init; }

    public RouteState State { get; init; } = RouteState.Active;

    /// <summary>Why the route is <see cref="RouteState.Invalid"/>, when it is.</summary>
    public string? InvalidReason { get; init; }

    /// <summary>The user-defined route's name.</summary>
    public string? Name { get; init; }

    /// <summary>The service tag the prefix came from (a tag-based user route, or a service endpoint).</summary>
    public string? ServiceTag { get; init; }

    /// <summary>What the route leads to: the peered network, the private endpoint, or the service of a service endpoint.</summary>
    public string? Target { get; init; }

    public override string ToString()
    {
        var hop = NextHopIpAddress is null ? NextHopType.ToString() : $"{NextHopType} {NextHopIpAddress}";
        var origin = Name is null ? Source.ToString().ToLowerInvariant() : $"user route '{Name}'";
        var tag = ServiceTag is null ? string.Empty : $" (tag {ServiceTag})";
        return $"{AddressPrefix} -> {hop} [{origin}]{tag}";
    }
}
