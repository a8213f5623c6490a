using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Rules;
using Sluice.Network.Tags;

namespace Sluice.Network.Routing;

/// <summary>
/// Builds a subnet's effective routes the way Azure documents them:
/// <list type="bullet">
/// <item>System: each address range of the network (VnetLocal); 0.0.0.0/0 (Internet), and ::/0 when the network has
/// IPv6 space; 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 100.64.0.0/10 (None) unless the address space equals one
/// (it is then a VnetLocal route) or contains one (it is removed), and removed too when the route table has a user
/// route for 0.0.0.0/0 (as in Azure's routing example); each connected peering's address ranges (VNetPeering);
/// a /32 (/128) InterfaceEndpoint route per private endpoint address in the network and in directly peered
/// networks; the service's tag prefixes for each service endpoint (VirtualNetworkServiceEndpoint).</item>
/// <item>BGP: on-premises prefixes of the network's gateway, or of a remote gateway it uses, unless the route table
/// disables gateway route propagation.</item>
/// <item>User: the route table's routes; a service tag prefix becomes one route per tag prefix.</item>
/// </list>
/// </summary>
internal static class SubnetRouteBuilder
{
    private static readonly IpPrefix[] Reserved =
    [
        IpPrefix.Parse("10.0.0.0/8"),
        IpPrefix.Parse("172.16.0.0/12"),
        IpPrefix.Parse("192.168.0.0/16"),
        IpPrefix.Parse("100.64.0.0/10"),
    ];

    public static EffectiveRouteTable Build(NetworkModel model, NetworkTopology topology, VirtualNetwork network, Subnet subnet)
    {
        var table = subnet.RouteTable is null ? null : model.FindRouteTable(subnet.RouteTable);
        List<RouteCandidate> routes = [];
        var space = topology.AddressSpace(network);
        foreach (var prefix in space)
        {
            Add(routes, System(prefix, NextHopType.VnetLocal));
        }

        var userDefaultRoute = table?.Routes.Any(r => IpPrefix.TryParse(r.AddressPrefix, out var p, out _) && p == IpPrefix.AnyIPv4) ?? false;
        foreach (var reserved in Reserved)
        {
            if (!userDefaultRoute && !space.Any(s => s.Contains(reserved)))
            {
                Add(routes, System(reserved, NextHopType.None));
            }
        }

        Add(routes, System(IpPrefix.AnyIPv4, NextHopType.Internet));
        if (space.Any(s => s.Family == IpFamily.IPv6))
        {
            Add(routes, System(IpPrefix.AnyIPv6, NextHopType.Internet));
        }

        var peers = topology.ConnectedPeers(network);
        foreach (var peer in peers)
        {
            foreach (var prefix in peer.RemoteSpace)
            {
                Add(routes, System(prefix, NextHopType.VNetPeering) with { Target = peer.Remote.Name }, peerNetwork: peer.Remote);
            }
        }

        var endpointNetworks = new HashSet<string>([network.Name, .. peers.Select(p => p.Remote.Name)], StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in model.PrivateEndpoints.Where(e => endpointNetworks.Contains(e.VirtualNetwork)))
        {
            AddEndpointRoutes(model, topology, routes, endpoint);
        }

        foreach (var service in subnet.ServiceEndpoints)
        {
            if (ServiceEndpointTag(model.ServiceTags, service, network.Location) is { } tag)
            {
                foreach (var prefix in tag.AddressPrefixes)
                {
                    Add(routes, System(prefix, NextHopType.VirtualNetworkServiceEndpoint) with { ServiceTag = tag.Name, Target = service });
                }
            }
        }

        if (table is not { DisableBgpRoutePropagation: true })
        {
            foreach (var prefix in topology.GatewayPrefixes(network))
            {
                Add(routes, new RouteEntry { AddressPrefix = prefix, NextHopType = NextHopType.VirtualNetworkGateway, Source = RouteSource.Bgp });
            }
        }

        foreach (var route in table?.Routes ?? [])
        {
            AddUserRoute(model.ServiceTags, routes, route);
        }

        return new EffectiveRouteTable(routes);
    }

    /// <summary>The tag whose prefixes a service endpoint routes: the regional tag of the network's region if known, else the global one.</summary>
    internal static ServiceTag? ServiceEndpointTag(ServiceTagSet tags, string service, string location)
    {
        if (!ServiceEndpoints.TryGetServiceTag(service, out var tagName))
        {
            return null;
        }

        if (!ServiceEndpoints.IsGlobal(service) && tags.TryGetTag($"{tagName}.{location.Replace(" ", string.Empty, StringComparison.Ordinal)}", out var regional))
        {
            return regional;
        }

        return tags.TryGetTag(tagName, out var global) ? global : null;
    }

    private static void AddEndpointRoutes(NetworkModel model, NetworkTopology topology, List<RouteCandidate> routes, PrivateEndpoint endpoint)
    {
        var endpointNetwork = model.FindVirtualNetwork(endpoint.VirtualNetwork)!;
        var endpointSubnet = endpointNetwork.Subnets.First(s => string.Equals(s.Name, endpoint.Subnet, StringComparison.OrdinalIgnoreCase));
        var policies = endpointSubnet.PrivateEndpointNetworkPolicies;
        foreach (var text in endpoint.PrivateIpAddresses)
        {
            var address = IpPrefix.Parse(text);
            var range = topology.AddressSpace(endpointNetwork).FirstOrDefault(s => s.Contains(address));
            routes.Add(new RouteCandidate
            {
                Entry = System(address, NextHopType.InterfaceEndpoint) with { Target = endpoint.Name },
                Order = routes.Count,
                RouteTablesApply = policies is PrivateEndpointNetworkPolicies.Enabled or PrivateEndpointNetworkPolicies.RouteTableEnabled,
                InvalidationLength = range.Length,
                PrivateEndpoint = endpoint,
            });
        }
    }

    private static void AddUserRoute(ServiceTagSet tags, List<RouteCandidate> routes, Route route)
    {
        IPAddress? hop = route.NextHopIpAddress is { } text ? IpPrefix.Parse(text).NetworkAddress : null;
        if (AddressEntry.Classify(route.AddressPrefix, out var prefix, out _) == AddressEntryKind.Prefix)
        {
            Add(routes, User(route, prefix, hop, tag: null));
            return;
        }

        if (tags.TryGetTag(route.AddressPrefix.Trim(), out var tag))
        {
            foreach (var tagPrefix in tag.AddressPrefixes)
            {
                routes.Add(new RouteCandidate { Entry = User(route, tagPrefix, hop, tag.Name), Order = routes.Count, TagRank = TagRank(tag.Name) });
            }
        }
    }

    private static int TagRank(string tag)
    {
        var regional = tag.Contains('.', StringComparison.Ordinal);
        var isAzureCloud = tag.StartsWith("AzureCloud", StringComparison.OrdinalIgnoreCase);
        return (isAzureCloud, regional) switch
        {
            (false, true) => 1,
            (false, false) => 2,
            (true, true) => 3,
            (true, false) => 4,
        };
    }

    private static RouteEntry System(IpPrefix prefix, NextHopType type) =>
        new() { AddressPrefix = prefix, NextHopType = type, Source = RouteSource.System };

    private static RouteEntry User(Route route, IpPrefix prefix, IPAddress? hop, string? tag) => new()
    {
        AddressPrefix = prefix,
        NextHopType = route.NextHopType,
        NextHopIpAddress = hop,
        Source = RouteSource.User,
        Name = route.Name,
        ServiceTag = tag,
    };

    private static void Add(List<RouteCandidate> routes, RouteEntry entry, VirtualNetwork? peerNetwork = null) =>
        routes.Add(new RouteCandidate { Entry = entry, Order = routes.Count, PeerNetwork = peerNetwork });
}
