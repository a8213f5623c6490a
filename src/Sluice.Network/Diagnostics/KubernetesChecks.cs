using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Diagnostics;

/// <summary>
/// A Kubernetes compute's own address ranges: the service CIDR must not overlap the networks its nodes talk to (its
/// virtual network, peered networks, on-premises prefixes), the DNS service address must be inside the service CIDR,
/// and the Docker bridge must overlap neither.
/// </summary>
internal static class KubernetesChecks
{
    private static readonly IpPrefix[] PrivateRanges = [IpPrefix.Parse("10.0.0.0/8"), IpPrefix.Parse("172.16.0.0/12"), IpPrefix.Parse("192.168.0.0/16")];

    public static void Check(DiagnosisContext context)
    {
        foreach (var compute in context.Input.Computes.Where(c => c.Kind == ComputeKind.Kubernetes))
        {
            var placement = context.Placements.Find(p => ReferenceEquals(p.Compute, compute));
            var networks = placement is null ? [] : Networks(context.Model, placement);
            var service = Parse(context, compute, compute.ServiceCidr, "service_cidr");
            var bridge = Parse(context, compute, compute.DockerBridgeCidr, "docker_bridge_cidr");
            List<IpPrefix> taken = [.. networks.Select(n => n.Prefix), .. new[] { service, bridge }.OfType<IpPrefix>()];
            if (service is { } serviceCidr)
            {
                ServiceCidr(context, compute, serviceCidr, networks, taken);
                DnsServiceIp(context, compute, serviceCidr);
            }

            if (bridge is { } bridgeCidr)
            {
                DockerBridge(context, compute, bridgeCidr, service, networks, taken);
            }
        }
    }

    private static void ServiceCidr(DiagnosisContext context, ComputeFacts compute, IpPrefix service, List<(IpPrefix Prefix, string Description)> networks, List<IpPrefix> taken)
    {
        var overlaps = networks.Where(n => n.Prefix.Overlaps(service)).ToList();
        if (overlaps.Count == 0)
        {
            return;
        }

        context.Report(DiagnosisGroup.Other, DiagnosisCodes.KubernetesServiceCidrOverlapsSubnet, FindingLevel.Error, ComputeChecks.Resource(compute),
            $"{ComputeChecks.Describe(compute)} has service CIDR {service}, which overlaps {Join(overlaps)}: traffic from pods to those addresses is captured by Kubernetes services and never leaves the cluster. " +
            $"Fix: create the cluster with a service CIDR outside every network it talks to{Suggest(service, taken)}.");
    }

    private static void DnsServiceIp(DiagnosisContext context, ComputeFacts compute, IpPrefix service)
    {
        if (compute.DnsServiceIp is null)
        {
            return;
        }

        if (!IPAddress.TryParse(compute.DnsServiceIp, out var dns))
        {
            Invalid(context, compute, "dns_service_ip", $"'{compute.DnsServiceIp}' is not an IP address");
            return;
        }

        if (!service.Contains(dns))
        {
            var example = IpAddressBits.ToAddress(service.Family, service.First + 10);
            context.Report(DiagnosisGroup.Other, DiagnosisCodes.KubernetesDnsServiceIpOutsideServiceCidr, FindingLevel.Error, ComputeChecks.Resource(compute),
                $"{ComputeChecks.Describe(compute)} has DNS service address {dns}, outside its service CIDR {service}: the cluster DNS service cannot get that address, so name resolution in pods fails. " +
                $"Fix: use an address inside {service} other than its first ones, e.g. {example}.");
        }
    }

    private static void DockerBridge(DiagnosisContext context, ComputeFacts compute, IpPrefix bridge, IpPrefix? service, List<(IpPrefix Prefix, string Description)> networks, List<IpPrefix> taken)
    {
        List<(IpPrefix Prefix, string Description)> overlaps = [.. networks.Where(n => n.Prefix.Overlaps(bridge))];
        if (service is { } serviceCidr && serviceCidr.Overlaps(bridge))
        {
            overlaps.Insert(0, (serviceCidr, $"the service CIDR {serviceCidr}"));
        }

        if (overlaps.Count == 0)
        {
            return;
        }

        context.Report(DiagnosisGroup.Other, DiagnosisCodes.KubernetesDockerBridgeOverlaps, FindingLevel.Error, ComputeChecks.Resource(compute),
            $"{ComputeChecks.Describe(compute)} has Docker bridge CIDR {bridge}, which overlaps {Join(overlaps)}: nodes route those addresses to the local bridge instead of the network. " +
            $"Fix: use a Docker bridge CIDR that overlaps neither the service CIDR nor the networks{Suggest(bridge, taken)}.");
    }

    /// <summary>Subnets first (the most precise thing to name), then address spaces and on-premises prefixes of the node network and its peers.</summary>
    private static List<(IpPrefix Prefix, string Description)> Networks(NetworkModel model, ComputePlacement placement)
    {
        List<VirtualNetwork> networks = [placement.Network];
        foreach (var network in model.VirtualNetworks)
        {
            var peered = placement.Network.Peerings.Any(p => string.Equals(p.RemoteVirtualNetwork, network.Name, StringComparison.OrdinalIgnoreCase)) ||
                network.Peerings.Any(p => string.Equals(p.RemoteVirtualNetwork, placement.Network.Name, StringComparison.OrdinalIgnoreCase));
            if (peered && !networks.Contains(network))
            {
                networks.Add(network);
            }
        }

        List<(IpPrefix, string)> prefixes = [];
        foreach (var network in networks)
        {
            var peer = ReferenceEquals(network, placement.Network) ? string.Empty : " (peered)";
            prefixes.AddRange(network.Subnets.SelectMany(s => s.AddressPrefixes.Select(p => (IpPrefix.Parse(p), $"subnet {network.Name}/{s.Name} ({p}){peer}"))));
        }

        foreach (var network in networks)
        {
            prefixes.AddRange(network.AddressSpace.Select(p => (IpPrefix.Parse(p), $"the address space {p} of virtual network {network.Name}")));
            prefixes.AddRange(network.GatewayPrefixes.Select(p => (IpPrefix.Parse(p), $"on-premises prefix {p} of virtual network {network.Name}'s gateway")));
        }

        return prefixes;
    }

    private static IpPrefix? Parse(DiagnosisContext context, ComputeFacts compute, string? text, string key)
    {
        if (text is null)
        {
            return null;
        }

        if (IpPrefix.TryParse(text, out var prefix, out var error))
        {
            return prefix;
        }

        Invalid(context, compute, key, error!);
        return null;
    }

    private static void Invalid(DiagnosisContext context, ComputeFacts compute, string key, string error) =>
        context.Report(DiagnosisGroup.Other, DiagnosisCodes.KubernetesNetworkInvalid, FindingLevel.Error, ComputeChecks.Resource(compute),
            $"{ComputeChecks.Describe(compute)} has an invalid {key}: {error}. Fix: correct {key} of the compute.");

    /// <summary>Names only what matters: a range contained in another reported one is left out.</summary>
    private static string Join(List<(IpPrefix Prefix, string Description)> overlaps)
    {
        var subnets = overlaps.Where(o => o.Description.StartsWith("subnet", StringComparison.Ordinal) || o.Description.StartsWith("the service", StringComparison.Ordinal)).ToList();
        var shown = subnets.Count > 0 ? subnets : overlaps;
        return string.Join(", ", shown.Select(o => o.Description));
    }

    /// <summary>", e.g. 10.1.0.0/16": the first private block of the same size that overlaps nothing known.</summary>
    private static string Suggest(IpPrefix prefix, List<IpPrefix> taken)
    {
        var length = prefix.Length;
        if (prefix.Family != IpFamily.IPv4)
        {
            return string.Empty;
        }

        foreach (var range in PrivateRanges.Where(r => r.Length <= length))
        {
            var step = UInt128.One << (32 - length);
            for (var first = range.First; first + step - 1 <= range.Last; first += step)
            {
                var candidate = IpPrefix.FromBits(IpFamily.IPv4, first, length);
                if (!taken.Exists(t => t.Overlaps(candidate)))
                {
                    return $", e.g. {candidate}";
                }
            }
        }

        return string.Empty;
    }
}
