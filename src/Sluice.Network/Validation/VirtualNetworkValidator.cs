using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Tags;

namespace Sluice.Network.Validation;

/// <summary>Virtual networks, their subnets and peerings.</summary>
internal static class VirtualNetworkValidator
{
    public static void Validate(ValidationContext context)
    {
        var networks = context.Builder.VirtualNetworks;
        for (var i = 0; i < networks.Count; i++)
        {
            var network = networks[i];
            var path = ValidationContext.Item("virtual_networks", network.Name, i);
            if (string.IsNullOrWhiteSpace(network.Location))
            {
                context.Error($"{path}.location", "a location (Azure region, e.g. westeurope) is required");
            }

            var space = AddressSpace(context, network, path);
            context.ParsePrefixes(network.GatewayPrefixes, $"{path}.gateway_prefixes");
            Subnets(context, network, path, space);
        }

        // Peerings need every network's address space, so they come after all spaces are known.
        for (var i = 0; i < networks.Count; i++)
        {
            Peerings(context, networks[i], ValidationContext.Item("virtual_networks", networks[i].Name, i));
        }
    }

    private static List<IpPrefix> AddressSpace(ValidationContext context, VirtualNetwork network, string path)
    {
        if (network.AddressSpace is null || network.AddressSpace.Count == 0)
        {
            context.Error($"{path}.address_space", "at least one address prefix is required, e.g. 10.0.0.0/16");
            return [];
        }

        var space = context.ParsePrefixes(network.AddressSpace, $"{path}.address_space");
        ReportOverlaps(context, space, network.AddressSpace, $"{path}.address_space", "address range");
        if (!string.IsNullOrWhiteSpace(network.Name) && space.Count == network.AddressSpace.Count)
        {
            context.AddressSpaces.TryAdd(network.Name, space);
        }

        return space;
    }

    private static void Subnets(ValidationContext context, VirtualNetwork network, string networkPath, List<IpPrefix> space)
    {
        var subnets = network.Subnets ?? [];
        context.CheckNames(subnets, s => s.Name, $"{networkPath}.subnets", "subnet");
        List<(IpPrefix Prefix, string Path)> claimed = [];
        for (var i = 0; i < subnets.Count; i++)
        {
            var subnet = subnets[i];
            var path = ValidationContext.Item($"{networkPath}.subnets", subnet.Name, i);
            if (subnet.AddressPrefixes is null || subnet.AddressPrefixes.Count == 0)
            {
                context.Error($"{path}.address_prefixes", "at least one address prefix is required, e.g. 10.0.1.0/24");
            }
            else
            {
                for (var p = 0; p < subnet.AddressPrefixes.Count; p++)
                {
                    var prefixPath = $"{path}.address_prefixes[{p}]";
                    if (!IpPrefix.TryParse(subnet.AddressPrefixes[p], out var prefix, out var error))
                    {
                        context.Error(prefixPath, error!);
                        continue;
                    }

                    if (space.Count > 0 && !space.Exists(s => s.Contains(prefix)))
                    {
                        context.Error(prefixPath, $"{prefix} is outside the address space of virtual network '{network.Name}' ({string.Join(", ", space)})");
                    }

                    foreach (var (other, otherPath) in claimed)
                    {
                        if (other.Overlaps(prefix))
                        {
                            context.Error(prefixPath, $"{prefix} overlaps {other} ({otherPath}); subnets of a virtual network cannot overlap");
                        }
                    }

                    claimed.Add((prefix, prefixPath));
                }
            }

            References(context, network, subnet, path);
        }
    }

    private static void References(ValidationContext context, VirtualNetwork network, Subnet subnet, string path)
    {
        if (subnet.NetworkSecurityGroup is { } nsgName)
        {
            if (!context.SecurityGroups.TryGetValue(nsgName, out var nsg))
            {
                context.Error($"{path}.network_security_group", $"no network security group is named '{nsgName}'");
            }
            else if (!SameRegion(nsg.Location, network.Location))
            {
                context.Error($"{path}.network_security_group", $"network security group '{nsgName}' is in {nsg.Location} but virtual network '{network.Name}' is in {network.Location}; they must be in the same region");
            }
        }

        if (subnet.RouteTable is { } routeTable && !context.RouteTables.ContainsKey(routeTable))
        {
            context.Error($"{path}.route_table", $"no route table is named '{routeTable}'");
        }

        if (subnet.NatGateway is { } nat && !context.NatGateways.ContainsKey(nat))
        {
            context.Error($"{path}.nat_gateway", $"no NAT gateway is named '{nat}'");
        }

        var endpoints = subnet.ServiceEndpoints ?? [];
        for (var e = 0; e < endpoints.Count; e++)
        {
            if (!ServiceEndpoints.TryGetServiceTag(endpoints[e], out _))
            {
                context.Error($"{path}.service_endpoints[{e}]", $"'{endpoints[e]}' is not a known service endpoint; known: {string.Join(", ", ServiceEndpoints.Known.Order(StringComparer.Ordinal))}");
            }
        }

        var delegations = subnet.Delegations ?? [];
        for (var d = 0; d < delegations.Count; d++)
        {
            if (string.IsNullOrWhiteSpace(delegations[d]))
            {
                context.Error($"{path}.delegations[{d}]", "a delegation names a service, e.g. Microsoft.ContainerInstance/containerGroups");
            }
        }
    }

    private static void Peerings(ValidationContext context, VirtualNetwork network, string networkPath)
    {
        var peerings = network.Peerings ?? [];
        context.CheckNames(peerings, p => p.Name, $"{networkPath}.peerings", "peering");
        context.AddressSpaces.TryGetValue(network.Name ?? string.Empty, out var localSpace);
        var remotes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var usingRemoteGateways = 0;
        for (var i = 0; i < peerings.Count; i++)
        {
            var peering = peerings[i];
            var path = ValidationContext.Item($"{networkPath}.peerings", peering.Name, i);
            var remotePath = $"{path}.remote_virtual_network";
            if (string.IsNullOrWhiteSpace(peering.RemoteVirtualNetwork) || !context.VirtualNetworks.TryGetValue(peering.RemoteVirtualNetwork, out var remote))
            {
                context.Error(remotePath, $"no virtual network is named '{peering.RemoteVirtualNetwork}'");
                continue;
            }

            if (string.Equals(remote.Name, network.Name, StringComparison.OrdinalIgnoreCase))
            {
                context.Error(remotePath, "a virtual network cannot be peered with itself");
                continue;
            }

            if (!remotes.TryAdd(remote.Name, path))
            {
                context.Error(remotePath, $"'{remote.Name}' is already peered by {remotes[remote.Name]}");
                continue;
            }

            if (localSpace is not null && context.AddressSpaces.TryGetValue(remote.Name, out var remoteSpace))
            {
                foreach (var local in localSpace)
                {
                    foreach (var other in remoteSpace.Where(local.Overlaps))
                    {
                        context.Error(remotePath, $"address space {local} of '{network.Name}' overlaps {other} of '{remote.Name}'; peered networks cannot overlap");
                    }
                }

                foreach (var (otherRemote, _) in remotes.Where(r => !string.Equals(r.Key, remote.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    if (context.AddressSpaces.TryGetValue(otherRemote, out var otherSpace) && remoteSpace.Any(r => otherSpace.Any(r.Overlaps)))
                    {
                        context.Error(remotePath, $"'{remote.Name}' and '{otherRemote}' are both peered with '{network.Name}' but their address spaces overlap");
                    }
                }
            }

            if (peering.UseRemoteGateways)
            {
                usingRemoteGateways++;
                var back = (remote.Peerings ?? []).FirstOrDefault(p => string.Equals(p.RemoteVirtualNetwork, network.Name, StringComparison.OrdinalIgnoreCase));
                if (back is not null && !back.AllowGatewayTransit)
                {
                    context.Error($"{path}.use_remote_gateways", $"the peering from '{remote.Name}' back to '{network.Name}' does not allow gateway transit");
                }

                if (network.GatewayPrefixes is { Count: > 0 })
                {
                    context.Error($"{path}.use_remote_gateways", $"'{network.Name}' has a gateway of its own (gateway_prefixes); it cannot use a remote one");
                }

                if (usingRemoteGateways == 2)
                {
                    context.Error($"{path}.use_remote_gateways", "only one peering of a virtual network can use remote gateways");
                }
            }
        }
    }

    internal static void ReportOverlaps(ValidationContext context, List<IpPrefix> prefixes, IReadOnlyList<string> texts, string path, string what)
    {
        for (var a = 0; a < prefixes.Count; a++)
        {
            for (var b = a + 1; b < prefixes.Count; b++)
            {
                if (prefixes[a].Overlaps(prefixes[b]))
                {
                    var index = IndexOf(texts, prefixes[b]);
                    context.Error($"{path}[{index}]", $"{what} {prefixes[b]} overlaps {prefixes[a]}");
                }
            }
        }
    }

    private static int IndexOf(IReadOnlyList<string> texts, IpPrefix prefix)
    {
        for (var i = 0; i < texts.Count; i++)
        {
            if (IpPrefix.TryParse(texts[i], out var parsed, out _) && parsed == prefix)
            {
                return i;
            }
        }

        return 0;
    }

    internal static bool SameRegion(string? a, string? b) =>
        string.Equals(Region(a), Region(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>Azure writes regions both as <c>westeurope</c> and <c>West Europe</c>.</summary>
    internal static string Region(string? location) => (location ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
}
