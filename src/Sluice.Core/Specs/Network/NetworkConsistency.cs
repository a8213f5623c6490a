using System.Net;
using Sluice.Core.Diagnostics;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Network;

/// <summary>The other resources of a workspace, as far as they are known: the server knows them all, <c>sluice validate</c> only a file's.</summary>
public interface INetworkLookup
{
    ResourceSpec? Find(ResourceKind kind, string name);

    IEnumerable<ResourceSpec> All(ResourceKind kind);

    /// <summary>Whether a service tag is defined (user-defined or imported); null when that cannot be known.</summary>
    bool? ServiceTagExists(string name);

    /// <summary>Known tag names, for suggestions.</summary>
    IEnumerable<string> ServiceTagNames();
}

/// <summary>
/// A problem a spec has with the resources it refers to. <see cref="IsMissing"/> marks "the referenced resource is not
/// known", which offline checks skip (it may exist on the server). <see cref="Reference"/> is the edge concerned, so a
/// change to one resource can be checked against the resources that refer to it.
/// </summary>
public sealed record NetworkProblem(Severity Severity, string KeyPath, string Message, NetworkReference? Reference, bool IsMissing = false)
{
    public override string ToString() => $"{KeyPath}: {Message}";
}

/// <summary>
/// Checks across resources that no single document can make: references exist, subnets exist in their networks,
/// addresses lie in their subnets and are not taken, peered networks do not overlap. Pure: the caller says where the
/// other resources come from.
/// </summary>
public static class NetworkConsistency
{
    public static IReadOnlyList<NetworkProblem> Check(ResourceSpec spec, INetworkLookup lookup)
    {
        var problems = new List<NetworkProblem>();
        foreach (var reference in NetworkReferences.Of(spec))
        {
            CheckReference(spec, reference, lookup, problems);
        }

        switch (spec)
        {
            case NetworkInterfaceSpec nic when nic.PrivateIpAddress is not null:
                CheckAddresses(ResourceKind.NetworkInterface, nic.Name, nic.Subnet, [nic.PrivateIpAddress], "private_ip_address", false, lookup, problems);
                break;
            case PrivateEndpointSpec endpoint:
                CheckAddresses(ResourceKind.PrivateEndpoint, endpoint.Name, endpoint.Subnet, endpoint.PrivateIpAddresses, "private_ip_addresses", true, lookup, problems);
                break;
        }

        return problems;
    }

    /// <summary>The addresses of interfaces and private endpoints in a virtual network, with their owners, except one resource's own.</summary>
    public static Dictionary<string, string> UsedAddresses(INetworkLookup lookup, string virtualNetwork, ResourceKind exceptKind, string exceptName)
    {
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var nic in lookup.All(ResourceKind.NetworkInterface).OfType<NetworkInterfaceSpec>())
        {
            if (nic.Subnet.VirtualNetwork == virtualNetwork && nic.PrivateIpAddress is { } ip && !(exceptKind == ResourceKind.NetworkInterface && nic.Name == exceptName))
            {
                used.TryAdd(ip, $"network interface '{nic.Name}'");
            }
        }

        foreach (var endpoint in lookup.All(ResourceKind.PrivateEndpoint).OfType<PrivateEndpointSpec>())
        {
            if (endpoint.Subnet.VirtualNetwork != virtualNetwork || (exceptKind == ResourceKind.PrivateEndpoint && endpoint.Name == exceptName))
            {
                continue;
            }

            foreach (var ip in endpoint.PrivateIpAddresses)
            {
                used.TryAdd(ip, $"private endpoint '{endpoint.Name}'");
            }
        }

        return used;
    }

    /// <summary>The lowest assignable IPv4 address of the subnet that nothing uses (Azure's dynamic allocation), or null when full.</summary>
    public static string? FreeAddress(SubnetSpec subnet, IReadOnlyDictionary<string, string> used) =>
        subnet.AddressPrefixes
            .Select(IPNetwork.Parse)
            .SelectMany(NetworkAddresses.Assignable)
            .Select(a => a.ToString())
            .FirstOrDefault(a => !used.ContainsKey(a));

    /// <summary>
    /// Azure's peering state: <c>Connected</c> when the remote network peers back, <c>Initiated</c> when it exists but
    /// does not (yet), <c>Disconnected</c> when it is gone. Traffic flows only over connected peerings.
    /// </summary>
    public static string PeeringState(VirtualNetworkSpec vnet, VirtualNetworkPeeringSpec peering, INetworkLookup lookup) =>
        lookup.Find(ResourceKind.VirtualNetwork, peering.RemoteVirtualNetwork) is not VirtualNetworkSpec remote
            ? "Disconnected"
            : remote.Peerings.Any(p => p.RemoteVirtualNetwork == vnet.Name) ? "Connected" : "Initiated";

    private static void CheckReference(ResourceSpec spec, NetworkReference reference, INetworkLookup lookup, List<NetworkProblem> problems)
    {
        if (reference.Kind == ResourceKind.ServiceTag)
        {
            if (lookup.ServiceTagExists(reference.Name) == false)
            {
                var suggestion = DidYouMean.Suggest(reference.Name, ServiceTags.BuiltIn.Concat(lookup.ServiceTagNames()));
                problems.Add(new NetworkProblem(Severity.Error, reference.KeyPath,
                    $"service tag '{reference.Name}' is not defined: it is not built in ({string.Join(", ", ServiceTags.BuiltIn)}), not a service_tag resource and not in an imported set"
                    + (suggestion is null ? "; import Azure's tags with 'sluice network service-tag import -f ServiceTags_Public.json' or define it with 'sluice network service-tag create'" : $" (did you mean '{suggestion}'?)"),
                    reference, IsMissing: true));
            }

            return;
        }

        var target = lookup.Find(reference.Kind, reference.Name);
        if (target is null && !reference.Blocking)
        {
            // Peered networks are often written together; either may be created first, as the state says.
            problems.Add(new NetworkProblem(Severity.Warning, reference.KeyPath, $"{reference.Kind.DisplayName()} '{reference.Name}' does not exist (yet); the peering stays Disconnected until it does", reference, IsMissing: true));
            return;
        }

        if (target is null)
        {
            var message = reference.Kind == ResourceKind.Workspace
                ? $"workspace '{reference.Name}' does not exist"
                : $"{reference.Kind.DisplayName()} '{reference.Name}' does not exist in the workspace; create it first ('sluice {reference.Kind.CommandGroup()} create')";
            problems.Add(new NetworkProblem(Severity.Error, reference.KeyPath, message, reference, IsMissing: true));
            return;
        }

        if (reference.Subnet is not null && target is VirtualNetworkSpec vnet)
        {
            var subnet = vnet.FindSubnet(reference.Subnet);
            if (subnet is null)
            {
                problems.Add(new NetworkProblem(Severity.Error, reference.KeyPath,
                    $"virtual network '{vnet.Name}' has no subnet '{reference.Subnet}'" + (vnet.Subnets.Count == 0 ? " (it has no subnets)" : $" (its subnets: {string.Join(", ", vnet.Subnets.Select(s => s.Name))})"),
                    reference));
                return;
            }

            CheckServiceEndpoint(spec, reference, subnet, problems);
        }

        if (spec is VirtualNetworkSpec own && target is VirtualNetworkSpec remote && reference.KeyPath.StartsWith("peerings[", StringComparison.Ordinal))
        {
            CheckPeering(own, remote, reference, problems);
        }
    }

    private static void CheckServiceEndpoint(ResourceSpec spec, NetworkReference reference, SubnetSpec subnet, List<NetworkProblem> problems)
    {
        var (endpoint, service) = spec switch
        {
            StorageAccountSpec => ("Microsoft.Storage", "storage account"),
            SecretStoreSpec => ("Microsoft.KeyVault", "secret store"),
            _ => (null, null),
        };
        if (endpoint is not null && !subnet.ServiceEndpoints.Contains(endpoint, StringComparer.OrdinalIgnoreCase)
            && !(endpoint == "Microsoft.Storage" && subnet.ServiceEndpoints.Contains("Microsoft.Storage.Global", StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add(new NetworkProblem(Severity.Warning, reference.KeyPath,
                $"subnet '{reference.Name}/{reference.Subnet}' has no {endpoint} service endpoint, so its traffic reaches the {service} from a public address and this rule never matches it; add service_endpoints: [{endpoint}] to the subnet",
                reference));
        }
    }

    private static void CheckPeering(VirtualNetworkSpec own, VirtualNetworkSpec remote, NetworkReference reference, List<NetworkProblem> problems)
    {
        var peering = own.Peerings.First(p => p.RemoteVirtualNetwork == remote.Name);
        var clash = own.AddressSpace.Select(IPNetwork.Parse)
            .SelectMany(mine => remote.AddressSpace.Select(IPNetwork.Parse).Where(theirs => NetworkAddresses.Overlaps(mine, theirs)).Select(theirs => (Mine: mine, Theirs: theirs)))
            .Take(1)
            .ToList();
        foreach (var (mine, theirs) in clash)
        {
            problems.Add(new NetworkProblem(Severity.Error, reference.KeyPath,
                $"virtual network '{remote.Name}' has address space {theirs}, which overlaps this network's {mine}; Azure cannot peer overlapping networks", reference));
        }

        if (peering.UseRemoteGateways && remote.Gateway is null)
        {
            problems.Add(new NetworkProblem(Severity.Error, reference.KeyPath.Replace("remote_virtual_network", "use_remote_gateways", StringComparison.Ordinal),
                $"virtual network '{remote.Name}' has no gateway to use; give it a gateway or set use_remote_gateways: false", reference));
        }
    }

    private static void CheckAddresses(ResourceKind kind, string name, SubnetReference subnetReference, IReadOnlyList<string> addresses, string key, bool indexed, INetworkLookup lookup, List<NetworkProblem> problems)
    {
        if (lookup.Find(ResourceKind.VirtualNetwork, subnetReference.VirtualNetwork) is not VirtualNetworkSpec vnet || vnet.FindSubnet(subnetReference.Subnet) is not { } subnet)
        {
            return;
        }

        var reference = new NetworkReference(ResourceKind.VirtualNetwork, vnet.Name, "subnet", subnet.Name);
        var blocks = subnet.AddressPrefixes.Select(IPNetwork.Parse).ToList();
        var used = UsedAddresses(lookup, vnet.Name, kind, name);
        for (var i = 0; i < addresses.Count; i++)
        {
            var path = indexed ? $"{key}[{i}]" : key;
            var address = IPAddress.Parse(addresses[i]);
            var block = blocks.Where(b => b.Contains(address)).Cast<IPNetwork?>().FirstOrDefault();
            if (block is null)
            {
                problems.Add(new NetworkProblem(Severity.Error, path, $"{address} is not in subnet '{vnet.Name}/{subnet.Name}' ({string.Join(", ", subnet.AddressPrefixes)})", reference));
            }
            else if (NetworkAddresses.IsReservedInSubnet(address, block.Value))
            {
                problems.Add(new NetworkProblem(Severity.Error, path, $"{address} is reserved: Azure keeps the first four addresses and the last one of every subnet ({block.Value})", reference));
            }
            else if (used.TryGetValue(address.ToString(), out var owner))
            {
                problems.Add(new NetworkProblem(Severity.Error, path, $"{address} is already used by {owner} in virtual network '{vnet.Name}'", null));
            }
        }
    }
}
