using System.Net;
using System.Net.Sockets;
using Sluice.Core.Naming;
using Sluice.Core.Specs.Network;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static class VirtualNetworkReader
{
    /// <summary>Azure's service endpoints, in their canonical spelling.</summary>
    public static readonly IReadOnlyList<string> KnownServiceEndpoints =
    [
        "Microsoft.AzureActiveDirectory", "Microsoft.AzureCosmosDB", "Microsoft.CognitiveServices", "Microsoft.ContainerRegistry",
        "Microsoft.EventHub", "Microsoft.KeyVault", "Microsoft.ServiceBus", "Microsoft.Sql", "Microsoft.Storage", "Microsoft.Storage.Global", "Microsoft.Web",
    ];

    public static VirtualNetworkSpec Read(MappingReader m)
    {
        NetworkFields.Type(m, VirtualNetworkSpec.TypeName);
        var name = Fields.Name(m, ResourceNames.Network);

        var space = new List<(IPNetwork Network, string Where)>();
        var spaceItems = NetworkFields.Scalars(m, "address_space");
        if (spaceItems.Count == 0)
        {
            if (m.IsPresent("address_space"))
            {
                m.Error("address_space", "must list at least one CIDR block, e.g. [10.0.0.0/16]");
            }
            else
            {
                m.Missing("address_space", "the network's CIDR blocks, e.g. [10.0.0.0/16]");
            }
        }

        foreach (var item in spaceItems)
        {
            if (NetworkFields.Cidr(m.Context, item) is { } network)
            {
                NetworkFields.NoOverlap(m.Context, item, network, space, "the blocks of an address space must not overlap");
            }
        }

        var dnsServers = new List<string>();
        foreach (var item in NetworkFields.Scalars(m, "dns_servers"))
        {
            if (NetworkFields.Address(m.Context, item) is { } address)
            {
                dnsServers.Add(address.ToString());
            }
        }

        var subnets = ReadSubnets(m, space);
        var gateway = ReadGateway(m, space);
        var peerings = ReadPeerings(m, name, gateway is not null);

        var spec = new VirtualNetworkSpec
        {
            Name = name,
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
            AddressSpace = [.. space.Select(s => s.Network.ToString())],
            DnsServers = dnsServers,
            Subnets = subnets,
            Peerings = peerings,
            Gateway = gateway,
        };
        m.Complete();
        return spec;
    }

    private static List<SubnetSpec> ReadSubnets(MappingReader m, List<(IPNetwork Network, string Where)> space)
    {
        var subnets = new List<SubnetSpec>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new List<(IPNetwork Network, string Where)>();
        foreach (var s in NetworkFields.Mappings(m, "subnets"))
        {
            var subnetName = NetworkFields.ItemName(s, names, "subnet");
            var prefixes = new List<string>();
            var items = NetworkFields.OneOrMany(s, "address_prefix", "address_prefixes");
            if (items is null)
            {
                s.Missing("address_prefix", "a CIDR block inside the address space (or address_prefixes: a list of them)");
            }

            foreach (var item in items ?? [])
            {
                if (NetworkFields.Cidr(m.Context, item) is not { } network)
                {
                    continue;
                }

                prefixes.Add(network.ToString());
                if (space.Count > 0 && !space.Any(b => NetworkAddresses.Within(network, b.Network)))
                {
                    NetworkFields.Error(m.Context, item, $"{network} is not inside the address space ({string.Join(", ", space.Select(b => b.Network))})");
                }

                if (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork && network.PrefixLength > 29)
                {
                    NetworkFields.Error(m.Context, item, $"/{network.PrefixLength} is smaller than /29, the smallest subnet Azure allows (it reserves five addresses in each)");
                }
                else if (network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 && network.PrefixLength != 64)
                {
                    NetworkFields.Error(m.Context, item, $"an IPv6 subnet must be a /64, as in Azure (got /{network.PrefixLength})");
                }

                var where = subnetName.Length > 0 ? $"subnet '{subnetName}'" : item.Path;
                foreach (var (other, otherWhere) in taken)
                {
                    if (NetworkAddresses.Overlaps(network, other))
                    {
                        NetworkFields.Error(m.Context, item, $"{network} overlaps {other} of {otherWhere}; subnets must not overlap");
                        break;
                    }
                }

                taken.Add((network, where));
            }

            subnets.Add(new SubnetSpec
            {
                Name = subnetName,
                AddressPrefixes = prefixes,
                NetworkSecurityGroup = NetworkFields.NameReference(s, "network_security_group"),
                RouteTable = NetworkFields.NameReference(s, "route_table"),
                NatGateway = NetworkFields.NameReference(s, "nat_gateway"),
                Delegations = Delegations(s),
                ServiceEndpoints = ServiceEndpoints(s),
                PrivateEndpointNetworkPolicies = s.Enum<PrivateEndpointNetworkPolicies>("private_endpoint_network_policies") ?? PrivateEndpointNetworkPolicies.Disabled,
            });
            s.Complete();
        }

        return subnets;
    }

    private static List<string> Delegations(MappingReader s)
    {
        var delegations = new List<string>();
        foreach (var item in NetworkFields.Scalars(s, "delegations"))
        {
            var parts = item.Text.Split('/');
            if (parts.Length != 2 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
            {
                NetworkFields.Error(s.Context, item, $"'{item.Text}' is not a service name; write <provider>/<resource type>, e.g. Microsoft.Batch/batchAccounts");
            }
            else if (delegations.Contains(item.Text, StringComparer.OrdinalIgnoreCase))
            {
                NetworkFields.Error(s.Context, item, $"'{item.Text}' is listed twice");
            }
            else
            {
                delegations.Add(item.Text);
            }
        }

        return delegations;
    }

    private static List<string> ServiceEndpoints(MappingReader s)
    {
        var endpoints = new List<string>();
        foreach (var item in NetworkFields.Scalars(s, "service_endpoints"))
        {
            var known = KnownServiceEndpoints.FirstOrDefault(k => string.Equals(k, item.Text.Trim(), StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                var suggestion = DidYouMean.Suggest(item.Text, KnownServiceEndpoints);
                NetworkFields.Error(s.Context, item, $"'{item.Text}' is not an Azure service endpoint; expected one of: {string.Join(", ", KnownServiceEndpoints)}"
                    + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)"));
            }
            else if (endpoints.Contains(known, StringComparer.Ordinal))
            {
                NetworkFields.Error(s.Context, item, $"'{known}' is listed twice");
            }
            else
            {
                endpoints.Add(known);
            }
        }

        return endpoints;
    }

    private static List<VirtualNetworkPeeringSpec> ReadPeerings(MappingReader m, string ownName, bool hasGateway)
    {
        var peerings = new List<VirtualNetworkPeeringSpec>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var remotes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in NetworkFields.Mappings(m, "peerings"))
        {
            var peeringName = NetworkFields.ItemName(p, names, "peering");
            var remote = NetworkFields.NameReference(p, "remote_virtual_network");
            if (remote is null && !p.Has("remote_virtual_network"))
            {
                p.Missing("remote_virtual_network", "the name of the virtual network to peer with");
            }
            else if (remote is not null && remote == ownName)
            {
                p.Error("remote_virtual_network", "a virtual network cannot peer with itself");
            }
            else if (remote is not null && remotes.TryGetValue(remote, out var first))
            {
                p.Error("remote_virtual_network", $"'{remote}' is already peered by {first}; a network peers with another at most once");
            }
            else if (remote is not null)
            {
                remotes[remote] = p.Path;
            }

            var transit = p.Boolean("allow_gateway_transit") ?? false;
            var useRemote = p.Boolean("use_remote_gateways") ?? false;
            if (transit && useRemote)
            {
                p.Error("use_remote_gateways", "cannot be true together with allow_gateway_transit: a peering either offers this network's gateway or uses the remote one");
            }
            else if (useRemote && hasGateway)
            {
                p.Error("use_remote_gateways", "this network has its own gateway; Azure does not let it use the remote network's gateway too");
            }

            peerings.Add(new VirtualNetworkPeeringSpec
            {
                Name = peeringName,
                RemoteVirtualNetwork = remote ?? string.Empty,
                AllowVirtualNetworkAccess = p.Boolean("allow_virtual_network_access") ?? true,
                AllowForwardedTraffic = p.Boolean("allow_forwarded_traffic") ?? false,
                AllowGatewayTransit = transit,
                UseRemoteGateways = useRemote,
            });
            p.Complete();
        }

        return peerings;
    }

    private static VirtualNetworkGatewaySpec? ReadGateway(MappingReader m, List<(IPNetwork Network, string Where)> space)
    {
        if (m.Mapping("gateway") is not { } g)
        {
            return null;
        }

        var prefixes = new List<string>();
        var items = NetworkFields.Scalars(g, "address_prefixes");
        if (items.Count == 0)
        {
            g.Missing("address_prefixes", "the on-premises CIDR blocks the gateway reaches, e.g. [192.168.0.0/16]");
        }

        var seen = new List<(IPNetwork Network, string Where)>();
        foreach (var item in items)
        {
            if (NetworkFields.Cidr(m.Context, item) is not { } network)
            {
                continue;
            }

            if (space.FirstOrDefault(b => NetworkAddresses.Overlaps(network, b.Network)) is { Where: not null } clash)
            {
                NetworkFields.Error(m.Context, item, $"{network} overlaps the network's own address space ({clash.Network}); on-premises prefixes must lie outside it");
            }

            NetworkFields.NoOverlap(m.Context, item, network, seen, "list each on-premises block once");
            prefixes.Add(network.ToString());
        }

        var gateway = new VirtualNetworkGatewaySpec
        {
            GatewayType = g.Enum<VirtualNetworkGatewayType>("gateway_type") ?? VirtualNetworkGatewayType.Vpn,
            AddressPrefixes = prefixes,
        };
        g.Complete();
        return gateway;
    }
}
