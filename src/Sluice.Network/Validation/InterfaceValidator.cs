using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Validation;

/// <summary>Network interfaces and private endpoints: their placement, addresses and group memberships.</summary>
internal static class InterfaceValidator
{
    public static void Validate(ValidationContext context)
    {
        // Addresses already taken in each virtual network, with the path that took them.
        var taken = new Dictionary<(string Network, IPAddress Address), string>();
        var interfaces = context.Builder.NetworkInterfaces;
        for (var i = 0; i < interfaces.Count; i++)
        {
            var nic = interfaces[i];
            var path = ValidationContext.Item("network_interfaces", nic.Name, i);
            var subnet = Placement(context, nic.VirtualNetwork, nic.Subnet, path, out var network);
            Address(context, nic.PrivateIpAddress, $"{path}.private_ip_address", network, subnet, taken);
            var secondary = nic.SecondaryPrivateIpAddresses ?? [];
            for (var s = 0; s < secondary.Count; s++)
            {
                Address(context, secondary[s], $"{path}.secondary_private_ip_addresses[{s}]", network, subnet, taken);
            }

            if (nic.NetworkSecurityGroup is { } nsgName)
            {
                if (!context.SecurityGroups.TryGetValue(nsgName, out var nsg))
                {
                    context.Error($"{path}.network_security_group", $"no network security group is named '{nsgName}'");
                }
                else if (network is not null && !VirtualNetworkValidator.SameRegion(nsg.Location, network.Location))
                {
                    context.Error($"{path}.network_security_group", $"network security group '{nsgName}' is in {nsg.Location} but the interface's virtual network '{network.Name}' is in {network.Location}");
                }
            }

            if (nic.PublicIpAddress is { } publicIp && !ValidationContext.TryParseAddress(publicIp, out _, out var publicError))
            {
                context.Error($"{path}.public_ip_address", publicError);
            }

            Memberships(context, nic.ApplicationSecurityGroups, $"{path}.application_security_groups", network);
        }

        var endpoints = context.Builder.PrivateEndpoints;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            var path = ValidationContext.Item("private_endpoints", endpoint.Name, i);
            var subnet = Placement(context, endpoint.VirtualNetwork, endpoint.Subnet, path, out var network);
            if (endpoint.PrivateIpAddresses is null || endpoint.PrivateIpAddresses.Count == 0)
            {
                context.Error($"{path}.private_ip_addresses", "a private endpoint needs at least one private address");
            }
            else
            {
                for (var a = 0; a < endpoint.PrivateIpAddresses.Count; a++)
                {
                    Address(context, endpoint.PrivateIpAddresses[a], $"{path}.private_ip_addresses[{a}]", network, subnet, taken);
                }
            }

            if (endpoint.Target is null || string.IsNullOrWhiteSpace(endpoint.Target.Kind) || string.IsNullOrWhiteSpace(endpoint.Target.Name))
            {
                context.Error($"{path}.target", "the target needs a resource kind (e.g. Microsoft.Storage/storageAccounts) and a name");
            }

            var fqdns = endpoint.Fqdns ?? [];
            for (var f = 0; f < fqdns.Count; f++)
            {
                if (string.IsNullOrWhiteSpace(fqdns[f]) || fqdns[f].Contains(' ', StringComparison.Ordinal))
                {
                    context.Error($"{path}.fqdns[{f}]", $"'{fqdns[f]}' is not a host name");
                }
            }

            Memberships(context, endpoint.ApplicationSecurityGroups, $"{path}.application_security_groups", network);
        }
    }

    private static Subnet? Placement(ValidationContext context, string? networkName, string? subnetName, string path, out VirtualNetwork? network)
    {
        network = null;
        if (string.IsNullOrWhiteSpace(networkName) || !context.VirtualNetworks.TryGetValue(networkName, out network))
        {
            context.Error($"{path}.virtual_network", $"no virtual network is named '{networkName}'");
            return null;
        }

        var subnet = (network.Subnets ?? []).FirstOrDefault(s => string.Equals(s.Name, subnetName, StringComparison.OrdinalIgnoreCase));
        if (subnet is null)
        {
            context.Error($"{path}.subnet", $"virtual network '{network.Name}' has no subnet named '{subnetName}'");
        }

        return subnet;
    }

    private static void Address(ValidationContext context, string? text, string path, VirtualNetwork? network, Subnet? subnet, Dictionary<(string, IPAddress), string> taken)
    {
        if (!ValidationContext.TryParseAddress(text, out var address, out var error))
        {
            context.Error(path, error);
            return;
        }

        if (subnet is null || network is null)
        {
            return;
        }

        IpPrefix? within = null;
        foreach (var prefixText in subnet.AddressPrefixes ?? [])
        {
            if (IpPrefix.TryParse(prefixText, out var prefix, out _) && prefix.Contains(address))
            {
                within = prefix;
            }
        }

        if (within is not { } container)
        {
            context.Error(path, $"{address} is not in subnet '{subnet.Name}' ({string.Join(", ", subnet.AddressPrefixes ?? [])})");
            return;
        }

        if (container.Family == IpFamily.IPv4 && container.Length <= 29 && IsReserved(container, address))
        {
            context.Error(path, $"{address} is reserved by Azure in subnet '{subnet.Name}': the first four and the last address of each subnet are not assignable");
        }

        if (!taken.TryAdd((network.Name, address), path))
        {
            context.Error(path, $"{address} is already used by {taken[(network.Name, address)]} in virtual network '{network.Name}'");
        }
    }

    private static bool IsReserved(IpPrefix subnet, IPAddress address)
    {
        var (_, value) = IpAddressBits.ToBits(address);
        return value - subnet.First < 4 || value == subnet.Last;
    }

    private static void Memberships(ValidationContext context, IReadOnlyList<string>? groups, string path, VirtualNetwork? network)
    {
        groups ??= [];
        for (var g = 0; g < groups.Count; g++)
        {
            if (!context.ApplicationSecurityGroups.Contains(groups[g]))
            {
                context.Error($"{path}[{g}]", $"no application security group is named '{groups[g]}'");
            }
            else if (network is not null)
            {
                if (!context.ApplicationSecurityGroupNetworks.TryAdd(groups[g], network.Name) &&
                    !string.Equals(context.ApplicationSecurityGroupNetworks[groups[g]], network.Name, StringComparison.OrdinalIgnoreCase))
                {
                    context.Error($"{path}[{g}]", $"application security group '{groups[g]}' already has members in virtual network '{context.ApplicationSecurityGroupNetworks[groups[g]]}'; all members must be in one virtual network");
                }
            }
        }
    }
}
