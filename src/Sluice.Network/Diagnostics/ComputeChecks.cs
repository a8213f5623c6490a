using System.Globalization;
using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Diagnostics;

/// <summary>Where computes are: their subnet exists, is not delegated, is large enough, and is in the right region.</summary>
internal static class ComputeChecks
{
    /// <summary>Azure keeps five addresses of every subnet prefix: the network address, three for its own use, and the broadcast address.</summary>
    public const int ReservedPerPrefix = 5;

    /// <summary>Resolves each compute's subnet into <see cref="DiagnosisContext.Placements"/>; reports computes outside any usable subnet.</summary>
    public static void Place(DiagnosisContext context)
    {
        foreach (var compute in context.Input.Computes)
        {
            if (compute.VirtualNetwork is null || compute.Subnet is null)
            {
                if (context.IsPrivateWorkspace && compute.Kind != ComputeKind.Kubernetes)
                {
                    context.Report(DiagnosisGroup.Other, DiagnosisCodes.ComputeWithoutVirtualNetwork, FindingLevel.Warning, Resource(compute),
                        $"{Describe(compute)} is in no virtual network, but workspace {context.Workspace.Name} is private: its nodes cannot use the private endpoints of the workspace and its services, so jobs fail wherever those services refuse public traffic. " +
                        $"Fix: create the compute again with network_settings naming a subnet of the workspace's virtual network ({PrivateLinkChecks.SuggestedSubnet(context)}).");
                }

                continue;
            }

            var network = context.Model.FindVirtualNetwork(compute.VirtualNetwork);
            var subnet = network?.Subnets.FirstOrDefault(s => string.Equals(s.Name, compute.Subnet, StringComparison.OrdinalIgnoreCase));
            if (network is null || subnet is null)
            {
                context.Report(DiagnosisGroup.Other, DiagnosisCodes.ComputeSubnetNotFound, FindingLevel.Error, Resource(compute),
                    network is null
                        ? $"{Describe(compute)} names virtual network {compute.VirtualNetwork}, which does not exist. Fix: create virtual network {compute.VirtualNetwork} with subnet {compute.Subnet}, or point network_settings at an existing subnet."
                        : $"{Describe(compute)} names subnet {compute.Subnet} of virtual network {network.Name}, which has no such subnet (it has {string.Join(", ", network.Subnets.Select(s => s.Name))}). Fix: add the subnet or point network_settings at an existing one.");
                continue;
            }

            context.Placements.Add(new ComputePlacement(compute, network, subnet));
        }
    }

    public static void Check(DiagnosisContext context)
    {
        foreach (var compute in context.Input.Computes)
        {
            Region(context, compute);
        }

        foreach (var placement in context.Placements)
        {
            Delegation(context, placement);
        }

        foreach (var subnet in context.Placements.Where(p => p.Compute.Kind != ComputeKind.Kubernetes).GroupBy(p => p.Path, StringComparer.OrdinalIgnoreCase))
        {
            Size(context, [.. subnet]);
        }
    }

    /// <summary>"compute cluster c1", "compute instance ci1", "Kubernetes compute k1".</summary>
    public static string Noun(ComputeFacts compute) => compute.Kind switch
    {
        ComputeKind.AmlCompute => $"compute cluster {compute.Name}",
        ComputeKind.ComputeInstance => $"compute instance {compute.Name}",
        _ => $"Kubernetes compute {compute.Name}",
    };

    /// <summary><see cref="Noun"/> at the start of a sentence.</summary>
    public static string Describe(ComputeFacts compute) => string.Concat(Noun(compute)[..1].ToUpperInvariant(), Noun(compute)[1..]);

    public static string Resource(ComputeFacts compute) => $"compute:{compute.Name}";

    private static void Region(DiagnosisContext context, ComputeFacts compute)
    {
        var workspace = context.Workspace;
        if (!DiagnosisContext.SameRegion(compute.Location, workspace.Location))
        {
            var (level, consequence) = compute.Kind == ComputeKind.ComputeInstance
                ? (FindingLevel.Error, "a compute instance must be in its workspace's region")
                : (FindingLevel.Warning, "this works only when its network is peered with the workspace's or has its own private endpoint to the workspace, storage, secret store and registry, and it adds latency and data transfer costs");
            context.Report(DiagnosisGroup.Other, DiagnosisCodes.ComputeRegionMismatch, level, Resource(compute),
                $"{Describe(compute)} is in {compute.Location} but workspace {workspace.Name} is in {workspace.Location}: {consequence}. Fix: create the compute in {workspace.Location}" +
                (compute.Kind == ComputeKind.ComputeInstance ? "." : ", or keep it and make sure its network reaches the workspace's private endpoints."));
        }

        var network = compute.VirtualNetwork is null ? null : context.Model.FindVirtualNetwork(compute.VirtualNetwork);
        if (network is not null && !DiagnosisContext.SameRegion(network.Location, compute.Location))
        {
            context.Report(DiagnosisGroup.Other, DiagnosisCodes.ComputeVirtualNetworkRegionMismatch, FindingLevel.Error, Resource(compute),
                $"{Describe(compute)} is in {compute.Location} but its virtual network {network.Name} is in {network.Location}; a compute's nodes can only join a network of their own region. Fix: create the compute in {network.Location}, or use a virtual network in {compute.Location}.");
        }
    }

    private static void Delegation(DiagnosisContext context, ComputePlacement placement)
    {
        if (placement.Subnet.Delegations.Count > 0)
        {
            context.Report(DiagnosisGroup.Other, DiagnosisCodes.SubnetDelegated, FindingLevel.Error, $"subnet:{placement.Path}",
                $"Subnet {placement.Path} of {Noun(placement.Compute)} is delegated to {string.Join(", ", placement.Subnet.Delegations)}; computes cannot use a delegated subnet, so no node can be created. " +
                $"Fix: remove the delegation from {placement.Path}, or move the compute to a subnet that is not delegated.");
        }
    }

    /// <summary>Every node takes an address; Azure keeps five per prefix and interfaces and private endpoints hold theirs.</summary>
    private static void Size(DiagnosisContext context, List<ComputePlacement> computes)
    {
        var subnet = computes[0];
        var prefixes = subnet.Subnet.AddressPrefixes.Select(IpPrefix.Parse).Where(p => p.Family == IpFamily.IPv4).ToList();
        var capacity = prefixes.Sum(p => (long)p.Size - ReservedPerPrefix);
        var used = UsedAddresses(context.Model, subnet, prefixes);
        var free = Math.Max(0, capacity - used);
        var demand = computes.Sum(c => Demand(c.Compute));
        if (demand <= free)
        {
            return;
        }

        var fitting = FittingLength(demand + used);
        var who = computes.Count == 1
            ? $"{Noun(subnet.Compute)} may need up to {demand} node addresses"
            : $"its computes may need up to {demand} node addresses together ({string.Join(", ", computes.Select(c => $"{c.Compute.Name}: {Demand(c.Compute)}"))})";
        var fix = fitting is { } length
            ? $"use a /{length.ToString(CultureInfo.InvariantCulture)} or larger subnet ({(1L << (32 - length)) - ReservedPerPrefix} usable addresses)"
            : "split the computes over several subnets";
        context.Report(DiagnosisGroup.Other, DiagnosisCodes.SubnetTooSmall, free == 0 ? FindingLevel.Error : FindingLevel.Warning, $"subnet:{subnet.Path}",
            $"Subnet {subnet.Path} ({string.Join(", ", prefixes)}) has {capacity} usable addresses (Azure reserves {ReservedPerPrefix} per prefix), {used} of them taken by network interfaces and private endpoints, leaving {free}; {who}. " +
            (free == 0 ? "No node can be allocated." : $"Only {free} can be allocated; scaling beyond that fails (partial allocation).") +
            $" Fix: {fix}, or lower max_instances to {free}.");
    }

    private static int Demand(ComputeFacts compute) => compute.Kind == ComputeKind.ComputeInstance ? 1 : Math.Max(1, compute.MaxInstances);

    private static int UsedAddresses(NetworkModel model, ComputePlacement subnet, List<IpPrefix> prefixes)
    {
        bool Inside(string network, string name, string address) =>
            string.Equals(network, subnet.Network.Name, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(name, subnet.Subnet.Name, StringComparison.OrdinalIgnoreCase) &&
            prefixes.Exists(p => p.Contains(IpPrefix.Parse(address)));

        var interfaces = model.NetworkInterfaces.Sum(n => n.SecondaryPrivateIpAddresses.Prepend(n.PrivateIpAddress).Count(a => Inside(n.VirtualNetwork, n.Subnet, a)));
        var endpoints = model.PrivateEndpoints.Sum(e => e.PrivateIpAddresses.Count(a => Inside(e.VirtualNetwork, e.Subnet, a)));
        return interfaces + endpoints;
    }

    /// <summary>The longest prefix (smallest subnet, at most /29 as Azure allows) whose usable addresses hold <paramref name="needed"/>.</summary>
    private static int? FittingLength(long needed)
    {
        for (var length = 29; length >= 8; length--)
        {
            if ((1L << (32 - length)) - ReservedPerPrefix >= needed)
            {
                return length;
            }
        }

        return null;
    }
}
