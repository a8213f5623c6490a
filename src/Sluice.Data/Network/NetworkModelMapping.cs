using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Tags;
using CoreNetwork = Sluice.Core.Specs.Network;
using Model = Sluice.Network.Model;
using TagSet = Sluice.Network.Tags.ServiceTagSet;

namespace Sluice.Data.Network;

/// <summary>A compute node's place in a subnet: the model gives it an interface, so flows can start from it.</summary>
public sealed record NodeAddress(string Compute, string Node, string VirtualNetwork, string Subnet, string PrivateIpAddress)
{
    /// <summary>The interface's name in the model: compute and node, which no user-defined interface can be named (it has a slash).</summary>
    public string InterfaceName => $"{Compute}/{Node}";
}

/// <summary>
/// Turns a workspace's network resources (the specs users write) into the evaluation engine's model. The specs are
/// already validated one by one and against each other; the engine validates the whole again and its errors, if any,
/// are returned rather than thrown, because a model that does not build is a finding, not a crash.
/// </summary>
public static class NetworkModelMapping
{
    /// <summary>Where resources without a location are: the workspace's location, else this name.</summary>
    public const string DefaultLocation = "local";

    public static NetworkModelBuilder ToBuilder(WorkspaceNetwork network, TagSet serviceTags, IEnumerable<NodeAddress>? nodes = null)
    {
        var location = network.Workspace.Location ?? DefaultLocation;
        string At(NetworkResourceSpec spec) => spec.Location ?? location;
        var builder = NetworkModel.CreateBuilder().WithServiceTags(serviceTags);

        foreach (var vnet in network.All(ResourceKind.VirtualNetwork).OfType<VirtualNetworkSpec>())
        {
            builder.Add(new VirtualNetwork
            {
                Name = vnet.Name,
                Location = At(vnet),
                AddressSpace = vnet.AddressSpace,
                Subnets = [.. vnet.Subnets.Select(s => new Subnet
                {
                    Name = s.Name,
                    AddressPrefixes = s.AddressPrefixes,
                    NetworkSecurityGroup = s.NetworkSecurityGroup,
                    RouteTable = s.RouteTable,
                    NatGateway = s.NatGateway,
                    Delegations = s.Delegations,
                    ServiceEndpoints = s.ServiceEndpoints,
                    PrivateEndpointNetworkPolicies = Same<CoreNetwork.PrivateEndpointNetworkPolicies, Model.PrivateEndpointNetworkPolicies>(s.PrivateEndpointNetworkPolicies),
                })],
                Peerings = [.. vnet.Peerings.Select(p => new Peering
                {
                    Name = p.Name,
                    RemoteVirtualNetwork = p.RemoteVirtualNetwork,
                    AllowVirtualNetworkAccess = p.AllowVirtualNetworkAccess,
                    AllowForwardedTraffic = p.AllowForwardedTraffic,
                    AllowGatewayTransit = p.AllowGatewayTransit,
                    UseRemoteGateways = p.UseRemoteGateways,
                })],
                GatewayPrefixes = vnet.Gateway?.AddressPrefixes ?? [],
            });
        }

        foreach (var nsg in network.All(ResourceKind.NetworkSecurityGroup).OfType<NetworkSecurityGroupSpec>())
        {
            builder.Add(new NetworkSecurityGroup { Name = nsg.Name, Location = At(nsg), SecurityRules = [.. nsg.SecurityRules.Select(ToRule)] });
        }

        foreach (var table in network.All(ResourceKind.RouteTable).OfType<RouteTableSpec>())
        {
            builder.Add(new RouteTable
            {
                Name = table.Name,
                DisableBgpRoutePropagation = table.DisableBgpRoutePropagation,
                Routes = [.. table.Routes.Select(r => new Route
                {
                    Name = r.Name,
                    AddressPrefix = r.AddressPrefix,
                    NextHopType = Same<CoreNetwork.NextHopType, Model.NextHopType>(r.NextHopType),
                    NextHopIpAddress = r.NextHopIpAddress,
                })],
            });
        }

        foreach (var nat in network.All(ResourceKind.NatGateway).OfType<NatGatewaySpec>())
        {
            builder.Add(new NatGateway { Name = nat.Name, PublicIpAddresses = nat.PublicIpAddresses });
        }

        foreach (var asg in network.All(ResourceKind.ApplicationSecurityGroup))
        {
            builder.Add(new ApplicationSecurityGroup { Name = asg.Name });
        }

        foreach (var nic in network.All(ResourceKind.NetworkInterface).OfType<NetworkInterfaceSpec>().Where(n => n.PrivateIpAddress is not null))
        {
            builder.Add(new NetworkInterface
            {
                Name = nic.Name,
                VirtualNetwork = nic.Subnet.VirtualNetwork,
                Subnet = nic.Subnet.Subnet,
                PrivateIpAddress = nic.PrivateIpAddress!,
                NetworkSecurityGroup = nic.NetworkSecurityGroup,
                ApplicationSecurityGroups = nic.ApplicationSecurityGroups,
                PublicIpAddress = nic.PublicIpAddress,
            });
        }

        foreach (var node in nodes ?? [])
        {
            builder.Add(new NetworkInterface { Name = node.InterfaceName, VirtualNetwork = node.VirtualNetwork, Subnet = node.Subnet, PrivateIpAddress = node.PrivateIpAddress });
        }

        foreach (var endpoint in network.All(ResourceKind.PrivateEndpoint).OfType<PrivateEndpointSpec>())
        {
            var connection = endpoint.PrivateLinkServiceConnection;
            builder.Add(new PrivateEndpoint
            {
                Name = endpoint.Name,
                VirtualNetwork = endpoint.Subnet.VirtualNetwork,
                Subnet = endpoint.Subnet.Subnet,
                PrivateIpAddresses = endpoint.PrivateIpAddresses,
                Target = new Model.PrivateLinkTarget(Core.Yaml.EnumNames<PrivateLinkTargetKind>.ToName(connection.Target.Kind), connection.Target.Name),
                GroupId = Enum.Parse<PrivateEndpointGroupId>(connection.GroupId, ignoreCase: true),
                ConnectionState = Same<PrivateLinkConnectionStatus, PrivateEndpointConnectionState>(connection.Status),
                Fqdns = [.. PrivateLinkDns.Effective(endpoint, At(endpoint)).Select(d => d.Fqdn)],
            });
        }

        return builder;
    }

    /// <summary>
    /// The tags rules can name: the engine's built-in ones, Sluice's own (from the server's configuration), the
    /// workspace's user-defined tags and every imported set.
    /// </summary>
    public static TagSet ServiceTags(WorkspaceNetwork network, IEnumerable<CoreNetwork.ServiceTagSet> imported, IReadOnlyList<string> controlPlanePrefixes, IReadOnlyList<string> nodeManagementPrefixes)
    {
        var tags = TagSet.Default.With(SluiceServiceTags.Create(controlPlanePrefixes, nodeManagementPrefixes));
        foreach (var set in imported)
        {
            tags = tags.With(set.Values.Select(t => new ServiceTag
            {
                Name = t.Name,
                AddressPrefixes = [.. t.AddressPrefixes.Select(p => IpPrefix.Parse(p))],
                Region = string.IsNullOrEmpty(t.Region) ? null : t.Region,
                SystemService = string.IsNullOrEmpty(t.SystemService) ? null : t.SystemService,
                Origin = ServiceTagOrigin.AzurePublished,
            }));
        }

        return tags.With(network.All(ResourceKind.ServiceTag).OfType<ServiceTagSpec>().Select(t => new ServiceTag
        {
            Name = t.Name,
            AddressPrefixes = [.. t.AddressPrefixes.Select(p => IpPrefix.Parse(p))],
            Origin = ServiceTagOrigin.UserDefined,
        }));
    }

    private static SecurityRule ToRule(SecurityRuleSpec rule) => new()
    {
        Name = rule.Name,
        Priority = rule.Priority,
        Direction = Same<CoreNetwork.SecurityRuleDirection, Model.SecurityRuleDirection>(rule.Direction),
        Access = Same<CoreNetwork.SecurityRuleAccess, Model.SecurityRuleAccess>(rule.Access),
        Protocol = Same<CoreNetwork.SecurityRuleProtocol, Model.SecurityRuleProtocol>(rule.Protocol),
        SourceAddressPrefixes = rule.SourceAddressPrefixes,
        SourceApplicationSecurityGroups = rule.SourceApplicationSecurityGroups,
        SourcePortRanges = rule.SourcePortRanges.Count == 0 ? ["*"] : rule.SourcePortRanges,
        DestinationAddressPrefixes = rule.DestinationAddressPrefixes,
        DestinationApplicationSecurityGroups = rule.DestinationApplicationSecurityGroups,
        DestinationPortRanges = rule.DestinationPortRanges.Count == 0 ? ["*"] : rule.DestinationPortRanges,
        Description = rule.Description,
    };

    /// <summary>The spec's enums and the engine's carry the same names (Azure's): map by name.</summary>
    public static TTo Same<TFrom, TTo>(TFrom value)
        where TFrom : struct, Enum
        where TTo : struct, Enum =>
        Enum.Parse<TTo>(value.ToString());
}
