namespace Sluice.Core.Specs.Network;

/// <summary>
/// A reference from one resource to another, found at <see cref="KeyPath"/> of the referring spec. A subnet reference
/// names its virtual network in <see cref="Name"/> and the subnet in <see cref="Subnet"/>. Non-blocking references
/// (peerings) do not keep their target from being deleted: the peering becomes disconnected, as in Azure.
/// </summary>
public sealed record NetworkReference(ResourceKind Kind, string Name, string KeyPath, string? Subnet = null, bool Blocking = true)
{
    public string Describe() => Subnet is null ? $"{Kind.DisplayName()} '{Name}'" : $"subnet '{Name}/{Subnet}'";

    public bool Targets(ResourceKind kind, string name) =>
        Kind == kind && string.Equals(Name, name, Kind == ResourceKind.ServiceTag ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}

/// <summary>What each kind of spec refers to: the edges the server checks at create time and before a delete.</summary>
public static class NetworkReferences
{
    public static IReadOnlyList<NetworkReference> Of(ResourceSpec spec)
    {
        var references = new List<NetworkReference>();
        switch (spec)
        {
            case VirtualNetworkSpec vnet:
                for (var i = 0; i < vnet.Subnets.Count; i++)
                {
                    var subnet = vnet.Subnets[i];
                    Add(references, ResourceKind.NetworkSecurityGroup, subnet.NetworkSecurityGroup, $"subnets[{i}].network_security_group");
                    Add(references, ResourceKind.RouteTable, subnet.RouteTable, $"subnets[{i}].route_table");
                    Add(references, ResourceKind.NatGateway, subnet.NatGateway, $"subnets[{i}].nat_gateway");
                }

                for (var i = 0; i < vnet.Peerings.Count; i++)
                {
                    references.Add(new NetworkReference(ResourceKind.VirtualNetwork, vnet.Peerings[i].RemoteVirtualNetwork, $"peerings[{i}].remote_virtual_network", Blocking: false));
                }

                break;
            case NetworkSecurityGroupSpec nsg:
                for (var i = 0; i < nsg.SecurityRules.Count; i++)
                {
                    var rule = nsg.SecurityRules[i];
                    Rule(references, rule.SourceAddressPrefixes, rule.SourceApplicationSecurityGroups, $"security_rules[{i}].source");
                    Rule(references, rule.DestinationAddressPrefixes, rule.DestinationApplicationSecurityGroups, $"security_rules[{i}].destination");
                }

                break;
            case RouteTableSpec table:
                for (var i = 0; i < table.Routes.Count; i++)
                {
                    Tags(references, [table.Routes[i].AddressPrefix], $"routes[{i}].address_prefix", single: true);
                }

                break;
            case NetworkInterfaceSpec nic:
                references.Add(new NetworkReference(ResourceKind.VirtualNetwork, nic.Subnet.VirtualNetwork, "subnet", nic.Subnet.Subnet));
                Add(references, ResourceKind.NetworkSecurityGroup, nic.NetworkSecurityGroup, "network_security_group");
                for (var i = 0; i < nic.ApplicationSecurityGroups.Count; i++)
                {
                    Add(references, ResourceKind.ApplicationSecurityGroup, nic.ApplicationSecurityGroups[i], $"application_security_groups[{i}]");
                }

                break;
            case PrivateEndpointSpec endpoint:
                references.Add(new NetworkReference(ResourceKind.VirtualNetwork, endpoint.Subnet.VirtualNetwork, "subnet", endpoint.Subnet.Subnet));
                var target = endpoint.PrivateLinkServiceConnection.Target;
                references.Add(new NetworkReference(target.ResourceKind, target.Name, "private_link_service_connection.target"));
                break;
            case StorageAccountSpec storage:
                Subnets(references, storage.NetworkRuleSet.VirtualNetworkRules, "network_rule_set.virtual_network_rules");
                break;
            case SecretStoreSpec store:
                Subnets(references, store.NetworkAcls.VirtualNetworkRules, "network_acls.virtual_network_rules");
                break;
            case ComputeSpec { NetworkSettings: { VnetName: { } vnetName, Subnet: { } subnetName } }:
                references.Add(new NetworkReference(ResourceKind.VirtualNetwork, vnetName, "network_settings.subnet", subnetName));
                break;
            case WorkspaceSpec workspace:
                Add(references, ResourceKind.StorageAccount, workspace.StorageAccount, "storage_account");
                Add(references, ResourceKind.SecretStore, workspace.KeyVault, "key_vault");
                Add(references, ResourceKind.Registry, workspace.ContainerRegistry, "container_registry");
                break;
        }

        return references;
    }

    /// <summary>The references among <paramref name="referrers"/> that point at the given resource (or one of its subnets).</summary>
    public static IEnumerable<(ResourceSpec From, NetworkReference Reference)> To(IEnumerable<ResourceSpec> referrers, ResourceKind kind, string name) =>
        referrers.SelectMany(r => Of(r).Where(x => x.Targets(kind, name)).Select(x => (r, x)));

    private static void Add(List<NetworkReference> references, ResourceKind kind, string? name, string keyPath)
    {
        if (name is not null)
        {
            references.Add(new NetworkReference(kind, name, keyPath));
        }
    }

    private static void Rule(List<NetworkReference> references, IReadOnlyList<string> prefixes, IReadOnlyList<string> groups, string side)
    {
        Tags(references, prefixes, $"{side}_address_prefix", single: prefixes.Count == 1);
        for (var i = 0; i < groups.Count; i++)
        {
            references.Add(new NetworkReference(ResourceKind.ApplicationSecurityGroup, groups[i], $"{side}_application_security_groups[{i}]"));
        }
    }

    /// <summary>Service tags a rule or route names, except the built-in ones.</summary>
    private static void Tags(List<NetworkReference> references, IReadOnlyList<string> prefixes, string keyPath, bool single)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (NetworkAddresses.Classify(prefixes[i], out var form, out _) is null && form == AddressPrefixForm.ServiceTag && ServiceTags.FindBuiltIn(prefixes[i]) is null)
            {
                references.Add(new NetworkReference(ResourceKind.ServiceTag, prefixes[i], single ? keyPath : $"{keyPath}es[{i}]"));
            }
        }
    }

    private static void Subnets(List<NetworkReference> references, IReadOnlyList<SubnetReference> subnets, string keyPath)
    {
        for (var i = 0; i < subnets.Count; i++)
        {
            references.Add(new NetworkReference(ResourceKind.VirtualNetwork, subnets[i].VirtualNetwork, $"{keyPath}[{i}]", subnets[i].Subnet));
        }
    }
}
