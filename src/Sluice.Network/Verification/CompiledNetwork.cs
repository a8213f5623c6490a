using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Rules;
using Sluice.Network.Tags;

namespace Sluice.Network.Verification;

/// <summary>
/// A <see cref="NetworkModel"/> compiled for evaluation: every security group direction in every scope it is used in
/// is a bit-vector classifier, every subnet has its effective route table, and interfaces and endpoints are indexed
/// by address. Immutable and safe to share between threads.
/// </summary>
public sealed partial class CompiledNetwork
{
    private readonly Dictionary<string, SubnetState> _subnets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, InterfaceState> _interfaces = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, EndpointState> _endpoints = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(IpFamily, UInt128), List<object>> _byAddress = [];
    private readonly Dictionary<(string Nsg, SecurityRuleDirection Direction, string Scope), CompiledRuleSet> _ruleSets = [];
    private readonly Dictionary<CompiledRuleSet, List<string>> _associations = [];
    private readonly NetworkTopology _topology;
    private readonly AddressResolver _resolver;

    private CompiledNetwork(NetworkModel model)
    {
        Model = model;
        _topology = new NetworkTopology(model);
        _resolver = new AddressResolver(model);
        var scopes = new Dictionary<string, AddressScope>(StringComparer.OrdinalIgnoreCase);
        foreach (var network in model.VirtualNetworks)
        {
            foreach (var subnet in network.Subnets)
            {
                var scope = Scope(scopes, network, subnet);
                var nsg = subnet.NetworkSecurityGroup is null ? null : model.FindNetworkSecurityGroup(subnet.NetworkSecurityGroup);
                var path = $"{network.Name}/{subnet.Name}";
                _subnets[path] = new SubnetState
                {
                    Network = network,
                    Subnet = subnet,
                    Scope = scope,
                    Routes = SubnetRouteBuilder.Build(model, _topology, network, subnet),
                    NatGateway = subnet.NatGateway is null ? null : model.FindNatGateway(subnet.NatGateway),
                    Inbound = RuleSet(nsg, SecurityRuleDirection.Inbound, scope, $"subnet {path}"),
                    Outbound = RuleSet(nsg, SecurityRuleDirection.Outbound, scope, $"subnet {path}"),
                };
            }
        }

        foreach (var nic in model.NetworkInterfaces)
        {
            var subnet = _subnets[$"{nic.VirtualNetwork}/{nic.Subnet}"];
            var nsg = nic.NetworkSecurityGroup is null ? null : model.FindNetworkSecurityGroup(nic.NetworkSecurityGroup);
            var state = new InterfaceState
            {
                Interface = nic,
                Subnet = subnet,
                Addresses = [.. new[] { nic.PrivateIpAddress }.Concat(nic.SecondaryPrivateIpAddresses).Select(HostAddress.Parse)],
                PublicIpAddress = nic.PublicIpAddress is null ? null : IpPrefix.Parse(nic.PublicIpAddress).NetworkAddress,
                Inbound = RuleSet(nsg, SecurityRuleDirection.Inbound, subnet.Scope, $"interface {nic.Name}"),
                Outbound = RuleSet(nsg, SecurityRuleDirection.Outbound, subnet.Scope, $"interface {nic.Name}"),
            };
            _interfaces[nic.Name] = state;
            Index(state, state.Addresses);
        }

        foreach (var endpoint in model.PrivateEndpoints)
        {
            var state = new EndpointState
            {
                Endpoint = endpoint,
                Subnet = _subnets[$"{endpoint.VirtualNetwork}/{endpoint.Subnet}"],
                Addresses = [.. endpoint.PrivateIpAddresses.Select(HostAddress.Parse)],
            };
            _endpoints[endpoint.Name] = state;
            Index(state, state.Addresses);
        }
    }

    public NetworkModel Model { get; }

    /// <summary>Compiles the model; the cost is paid once, evaluations are then lookups.</summary>
    public static CompiledNetwork Compile(NetworkModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new CompiledNetwork(model);
    }

    /// <summary>
    /// The per-subnet meaning of <c>VirtualNetwork</c> (see <see cref="WellKnownServiceTags.VirtualNetwork"/>); shared by
    /// the subnets of a network that use the same route table.
    /// </summary>
    private AddressScope Scope(Dictionary<string, AddressScope> scopes, VirtualNetwork network, Subnet subnet)
    {
        var key = $"{network.Name}|{subnet.RouteTable}";
        if (scopes.TryGetValue(key, out var scope))
        {
            return scope;
        }

        List<IpPrefix> prefixes = [.. _topology.AddressSpace(network), .. _topology.GatewayPrefixes(network), WellKnownServiceTags.HostVirtualIp];
        foreach (var peer in _topology.ConnectedPeers(network).Where(p => p.Local.AllowVirtualNetworkAccess))
        {
            prefixes.AddRange(peer.RemoteSpace);
        }

        var table = subnet.RouteTable is null ? null : Model.FindRouteTable(subnet.RouteTable);
        foreach (var route in table?.Routes ?? [])
        {
            if (AddressEntry.Classify(route.AddressPrefix, out var prefix, out _) == AddressEntryKind.Prefix)
            {
                prefixes.Add(prefix);
            }
        }

        var description = table is null ? $"virtual network {network.Name}" : $"virtual network {network.Name} with route table {table.Name}";
        scope = new AddressScope(key, description, AddressSet.FromPrefixes(prefixes));
        scopes[key] = scope;
        return scope;
    }

    private CompiledRuleSet? RuleSet(NetworkSecurityGroup? nsg, SecurityRuleDirection direction, AddressScope scope, string association)
    {
        if (nsg is null)
        {
            return null;
        }

        var key = (nsg.Name, direction, scope.Key);
        if (!_ruleSets.TryGetValue(key, out var set))
        {
            set = CompiledRuleSet.Compile(nsg, direction, scope, _resolver);
            _ruleSets[key] = set;
            _associations[set] = [];
        }

        _associations[set].Add(association);
        return set;
    }

    private void Index(object resource, HostAddress[] addresses)
    {
        foreach (var address in addresses)
        {
            if (!_byAddress.TryGetValue((address.Family, address.Value), out var list))
            {
                _byAddress[(address.Family, address.Value)] = list = [];
            }

            list.Add(resource);
        }
    }

    private InterfaceState Interface(string name) =>
        _interfaces.TryGetValue(name ?? throw new ArgumentNullException(nameof(name)), out var state)
            ? state
            : throw new NetworkException($"No network interface is named '{name}'.");

    private SubnetState SubnetOf(string virtualNetwork, string subnet) =>
        _subnets.TryGetValue($"{virtualNetwork}/{subnet}", out var state)
            ? state
            : throw new NetworkException($"Virtual network '{virtualNetwork}' has no subnet named '{subnet}'.");
}
