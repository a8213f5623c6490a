using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Verification;

namespace Sluice.Network.Diagnostics;

/// <summary>Where a compute's nodes are: its network and subnet, and the interface its traffic is evaluated from.</summary>
internal sealed class ComputePlacement(ComputeFacts compute, VirtualNetwork network, Subnet subnet)
{
    public ComputeFacts Compute { get; } = compute;

    public VirtualNetwork Network { get; } = network;

    public Subnet Subnet { get; } = subnet;

    public string Path => $"{Network.Name}/{Subnet.Name}";

    /// <summary>The interface that stands for a node; null when the subnet has no free address and no interface.</summary>
    public string? Probe { get; set; }

    public IPAddress? ProbeAddress { get; set; }

    /// <summary>True when <see cref="Probe"/> is an interface of the model rather than one added for the diagnosis.</summary>
    public bool ProbeIsExistingInterface { get; set; }
}

/// <summary>
/// Compute nodes come and go, so the model has no interface for them. To ask the engine about their traffic, the model
/// is rebuilt with one extra interface per compute subnet (and public IP choice) at a free address: no security group
/// of its own, no application security groups, so it sees exactly the subnet's rules and routes, as a new node would.
/// </summary>
internal static class ProbeNetwork
{
    // Stands for the public IP Azure gives nodes created with a public IP; documentation range, never routed.
    private const string NodePublicIpBase = "192.0.2.";

    /// <summary>Assigns a probe to every placement; returns the network to evaluate their traffic on.</summary>
    public static CompiledNetwork Create(CompiledNetwork network, IReadOnlyList<ComputePlacement> placements)
    {
        if (placements.Count == 0)
        {
            return network;
        }

        var model = network.Model;
        var names = new HashSet<string>(model.NetworkInterfaces.Select(n => n.Name), StringComparer.OrdinalIgnoreCase);
        var used = UsedAddresses(model);
        List<NetworkInterface> probes = [];
        var byKey = new Dictionary<(string Path, bool PublicIp), (string Name, IPAddress Address)>();
        foreach (var placement in placements)
        {
            var key = (placement.Path.ToLowerInvariant(), placement.Compute.EnableNodePublicIp);
            if (byKey.TryGetValue(key, out var existing))
            {
                (placement.Probe, placement.ProbeAddress) = existing;
                continue;
            }

            if (FreeAddress(placement, used) is { } address)
            {
                var name = UniqueName(names, $"diagnose-node-{probes.Count + 1}");
                probes.Add(new NetworkInterface
                {
                    Name = name,
                    VirtualNetwork = placement.Network.Name,
                    Subnet = placement.Subnet.Name,
                    PrivateIpAddress = address.ToString(),
                    PublicIpAddress = placement.Compute.EnableNodePublicIp ? $"{NodePublicIpBase}{(probes.Count % 254) + 1}" : null,
                });
                byKey[key] = (name, address);
                (placement.Probe, placement.ProbeAddress) = (name, address);
            }
            else if (model.NetworkInterfaces.FirstOrDefault(n => SameSubnet(n.VirtualNetwork, n.Subnet, placement)) is { } nic)
            {
                // A full subnet: evaluate from an interface already there (its own group, if any, then also applies).
                (placement.Probe, placement.ProbeAddress) = (nic.Name, IPAddress.Parse(nic.PrivateIpAddress));
                placement.ProbeIsExistingInterface = true;
            }
        }

        if (probes.Count == 0)
        {
            return network;
        }

        var builder = Copy(model);
        probes.ForEach(p => builder.Add(p));
        if (builder.TryBuild(out var probed, out _))
        {
            return probed.Compile();
        }

        // Not expected (the model was valid and probes take free addresses); without probes the traffic checks say they did not run.
        foreach (var placement in placements.Where(p => !p.ProbeIsExistingInterface))
        {
            (placement.Probe, placement.ProbeAddress) = (null, null);
        }

        return network;
    }

    private static NetworkModelBuilder Copy(NetworkModel model)
    {
        var builder = NetworkModel.CreateBuilder().WithServiceTags(model.ServiceTags);
        foreach (var item in model.VirtualNetworks)
        {
            builder.Add(item);
        }

        foreach (var item in model.NetworkSecurityGroups)
        {
            builder.Add(item);
        }

        foreach (var item in model.RouteTables)
        {
            builder.Add(item);
        }

        foreach (var item in model.NatGateways)
        {
            builder.Add(item);
        }

        foreach (var item in model.ApplicationSecurityGroups)
        {
            builder.Add(item);
        }

        foreach (var item in model.NetworkInterfaces)
        {
            builder.Add(item);
        }

        foreach (var item in model.PrivateEndpoints)
        {
            builder.Add(item);
        }

        return builder;
    }

    /// <summary>Addresses taken in each virtual network (interfaces and private endpoints), by network name.</summary>
    private static Dictionary<string, HashSet<UInt128>> UsedAddresses(NetworkModel model)
    {
        var used = new Dictionary<string, HashSet<UInt128>>(StringComparer.OrdinalIgnoreCase);
        void Take(string network, string address)
        {
            if (!used.TryGetValue(network, out var set))
            {
                used[network] = set = [];
            }

            set.Add(IpAddressBits.ToBits(IpPrefix.Parse(address).NetworkAddress).Value);
        }

        foreach (var nic in model.NetworkInterfaces)
        {
            Take(nic.VirtualNetwork, nic.PrivateIpAddress);
            nic.SecondaryPrivateIpAddresses.ToList().ForEach(a => Take(nic.VirtualNetwork, a));
        }

        foreach (var endpoint in model.PrivateEndpoints)
        {
            endpoint.PrivateIpAddresses.ToList().ForEach(a => Take(endpoint.VirtualNetwork, a));
        }

        return used;
    }

    /// <summary>The lowest assignable IPv4 address of the subnet that nothing uses (Azure keeps the first four and the last).</summary>
    private static IPAddress? FreeAddress(ComputePlacement placement, Dictionary<string, HashSet<UInt128>> used)
    {
        if (!used.TryGetValue(placement.Network.Name, out var taken))
        {
            used[placement.Network.Name] = taken = [];
        }

        foreach (var prefix in placement.Subnet.AddressPrefixes.Select(IpPrefix.Parse).Where(p => p.Family == IpFamily.IPv4 && p.Length <= 29))
        {
            for (var value = prefix.First + 4; value < prefix.Last; value++)
            {
                if (taken.Add(value))
                {
                    return IpAddressBits.ToAddress(IpFamily.IPv4, value);
                }
            }
        }

        return null;
    }

    private static string UniqueName(HashSet<string> names, string name)
    {
        var candidate = name;
        for (var i = 2; !names.Add(candidate); i++)
        {
            candidate = $"{name}-{i}";
        }

        return candidate;
    }

    private static bool SameSubnet(string network, string subnet, ComputePlacement placement) =>
        string.Equals(network, placement.Network.Name, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(subnet, placement.Subnet.Name, StringComparison.OrdinalIgnoreCase);
}
