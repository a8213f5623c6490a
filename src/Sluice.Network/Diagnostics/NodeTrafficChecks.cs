using System.Globalization;
using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Verification;

namespace Sluice.Network.Diagnostics;

/// <summary>
/// The traffic of compute nodes, each flow asked of the engine from an interface in the compute's subnet: inbound node
/// management, the outbound traffic the rules require, forced tunnelling of management traffic, and the way to the
/// workspace and its services.
/// </summary>
internal static class NodeTrafficChecks
{
    private const string BatchNodeManagement = "BatchNodeManagement";
    private const string AzureMachineLearning = "AzureMachineLearning";

    /// <summary>
    /// Azure Machine Learning's outbound requirements for compute clusters and instances in a virtual network. The
    /// regional tags are those of the workspace's region. Microsoft's images (MicrosoftContainerRegistry,
    /// AzureFrontDoor.FirstParty) are needed only when jobs use them, hence warnings.
    /// </summary>
    private static readonly Requirement[] AzureOutbound =
    [
        new("AzureActiveDirectory", "AzureActiveDirectory", false, FlowProtocol.Tcp, 443, FindingLevel.Error, "Microsoft Entra ID, which authenticates them"),
        new(AzureMachineLearning, AzureMachineLearning, false, FlowProtocol.Tcp, 443, FindingLevel.Error, "the Azure Machine Learning service"),
        new(AzureMachineLearning, AzureMachineLearning, false, FlowProtocol.Udp, 5831, FindingLevel.Error, "node management by the Azure Machine Learning service"),
        new(BatchNodeManagement, BatchNodeManagement, true, FlowProtocol.Tcp, 443, FindingLevel.Error, "Azure Batch, which runs the nodes"),
        new("AzureResourceManager", "AzureResourceManager", false, FlowProtocol.Tcp, 443, FindingLevel.Error, "Azure Resource Manager"),
        new("Storage", "Storage", true, FlowProtocol.Tcp, 443, FindingLevel.Error, "Azure Storage (the workspace's data and the storage Azure Batch uses)"),
        new("StorageFileShare", "Storage", true, FlowProtocol.Tcp, 445, FindingLevel.Warning, "Azure Files shares (SMB, port 445) of the workspace's storage"),
        new("AzureContainerRegistry", "AzureContainerRegistry", true, FlowProtocol.Tcp, 443, FindingLevel.Error, "Azure Container Registry, where job images are pulled from"),
        new("MicrosoftContainerRegistry", "MicrosoftContainerRegistry", false, FlowProtocol.Tcp, 443, FindingLevel.Warning, "the Docker images Microsoft provides (curated environments)"),
        new("AzureFrontDoor", "AzureFrontDoor.FirstParty", false, FlowProtocol.Tcp, 443, FindingLevel.Warning, "the Docker images Microsoft provides, served through Azure Front Door"),
    ];

    public static void Check(DiagnosisContext context)
    {
        var services = ServiceInUse.Of(context);
        foreach (var placement in context.Placements)
        {
            if (placement.Probe is null)
            {
                context.Report(DiagnosisGroup.Other, DiagnosisCodes.ComputeTrafficNotChecked, FindingLevel.Warning, ComputeChecks.Resource(placement.Compute),
                    $"Subnet {placement.Path} has no free address and no network interface to evaluate from, so the traffic of {ComputeChecks.Noun(placement.Compute)} was not checked. Fix: make room in the subnet (see {DiagnosisCodes.SubnetTooSmall}) and run diagnose again.");
                continue;
            }

            List<(string What, FlowVerdict Verdict)> handedOff = [];
            var compute = placement.Compute;
            if (context.Rules == DiagnosisRules.Azure)
            {
                if (compute.Kind != ComputeKind.Kubernetes)
                {
                    var tunnelled = ForcedTunneling(context, placement);
                    if (compute.EnableNodePublicIp)
                    {
                        AzureInbound(context, placement);
                    }

                    AzureRequiredOutbound(context, placement, services, tunnelled, handedOff);
                }

                WorkspaceAccess(context, placement, handedOff);
            }
            else
            {
                SluiceInbound(context, placement);
                SluiceControlPlane(context, placement, handedOff);
            }

            foreach (var service in services.Where(s => s.Facts is not null))
            {
                ServiceReachability(context, placement, service, handedOff);
            }

            if (handedOff.Count > 0)
            {
                ReportHandedOff(context, placement, handedOff);
            }
        }
    }

    private static string Subject(ComputePlacement placement) => $"{ComputeChecks.Describe(placement.Compute)} (subnet {placement.Path})";

    private static void AzureInbound(DiagnosisContext context, ComputePlacement placement)
    {
        var location = context.Workspace.Location;
        if (context.RegionalTag(BatchNodeManagement, location, "node management by Azure Batch") is { } batch)
        {
            Inbound(context, placement, batch, [29876, 29877], "29876-29877",
                $"Azure Batch cannot create, manage or delete its nodes (nodes with a public IP need this; nodes created with No Public IP do not)");
        }

        if (placement.Compute.Kind == ComputeKind.ComputeInstance && context.Tag(AzureMachineLearning, "compute instance management by Azure Machine Learning") is { } aml)
        {
            Inbound(context, placement, aml, [44224], "44224", "Azure Machine Learning cannot create, manage or delete the compute instance");
        }
    }

    private static void SluiceInbound(DiagnosisContext context, ComputePlacement placement)
    {
        var ports = context.Input.Sluice.NodeManagementPorts;
        if (ports.Count > 0 && context.Tag(Tags.SluiceServiceTags.ControlPlane, "node management by Sluice's control plane") is { } controlPlane)
        {
            Inbound(context, placement, controlPlane, ports, PortsText(ports),
                "Sluice's control plane cannot reach the nodes' silo and gateway ports, so they never join the cluster");
        }
    }

    /// <summary>Verifies each port from each sample of the tag to a node; reports the first denial, naming every port that failed.</summary>
    private static void Inbound(DiagnosisContext context, ComputePlacement placement, ResolvedTag tag, IReadOnlyList<int> ports, string rulePorts, string consequence)
    {
        (int Port, IPAddress Sample, FlowVerdict Verdict)? first = null;
        List<int> failed = [];
        foreach (var port in ports)
        {
            foreach (var sample in tag.Samples)
            {
                if (context.VerifyTo(placement, sample, FlowProtocol.Tcp, port) is { } verdict && !FlowFindings.IsAllowed(verdict))
                {
                    first ??= (port, sample, verdict);
                    failed.Add(port);
                    break;
                }
            }
        }

        if (first is not { } denied)
        {
            return;
        }

        var flow = new FlowDescription
        {
            Protocol = FlowProtocol.Tcp,
            Ports = failed.Count == ports.Count ? rulePorts : PortsText(failed),
            RuleSource = tag.Name,
            RuleDestination = "VirtualNetwork",
            Text = $"inbound TCP {denied.Port} from service tag {tag.Name} ({denied.Sample}) to its nodes",
        };
        FlowFindings.ReportBlocked(context, placement, DiagnosisCodes.NodeManagementInboundBlocked, FindingLevel.Error, Subject(placement), flow, denied.Verdict, consequence);
    }

    /// <summary>
    /// A default route to an appliance or gateway also captures the management services' prefixes unless user routes
    /// send those to the Internet. Returns the tags whose traffic is tunnelled (their outbound findings are this one).
    /// </summary>
    private static HashSet<string> ForcedTunneling(DiagnosisContext context, ComputePlacement placement)
    {
        var tags = new (string Base, ResolvedTag? Tag)[]
        {
            (BatchNodeManagement, context.RegionalTag(BatchNodeManagement, context.Workspace.Location, "node management by Azure Batch")),
            (AzureMachineLearning, context.Tag(AzureMachineLearning, "the Azure Machine Learning service")),
        };
        List<(string Base, ResolvedTag Tag, NextHopResult Hop)> tunnelled = [];
        foreach (var (name, tag) in tags)
        {
            if (tag is null)
            {
                continue;
            }

            var hop = context.Network.NextHop(placement.Network.Name, placement.Subnet.Name, tag.Sample);
            if (hop.NextHopType is NextHopType.VirtualAppliance or NextHopType.VirtualNetworkGateway)
            {
                tunnelled.Add((name, tag, hop));
            }
        }

        var compute = placement.Compute;
        var table = placement.Subnet.RouteTable;
        var (level, consequence) = compute.EnableNodePublicIp
            ? (FindingLevel.Error, "management traffic reaches the nodes' public addresses directly, but their replies go to the appliance, which drops them as asymmetric; Azure cannot manage the nodes")
            : (FindingLevel.Warning, "the appliance must let this traffic out, or Azure cannot manage the nodes");
        var where = table is null ? $"associate a route table with subnet {placement.Path} containing" : $"add to route table {table}";
        var resource = table is null ? $"subnet:{placement.Path}" : $"route_table:{table}";
        if (tunnelled.Count == 0)
        {
            if (tags.Any(t => t.Tag is null) &&
                context.Network.EffectiveRoutes(placement.Network.Name, placement.Subnet.Name).Routes
                    .FirstOrDefault(r => r.State == RouteState.Active && r.AddressPrefix == IpPrefix.AnyIPv4) is { NextHopType: NextHopType.VirtualAppliance or NextHopType.VirtualNetworkGateway } route)
            {
                context.Report(DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.ForcedTunnelingWithoutInternetForManagement, FindingLevel.Warning, resource,
                    $"{Subject(placement)} sends internet-bound traffic to {FlowFindings.Describe(route)} (forced tunnelling); the management service tags are not loaded, so whether user routes exempt them could not be checked. " +
                    $"Fix: make sure user routes with next hop Internet exist for {BatchNodeManagement}.{context.Workspace.Location} and {AzureMachineLearning} ({where} them), and load the service tags to check.");
            }

            return [];
        }

        var nat = placement.Subnet.NatGateway is { } natGateway
            ? $" NAT gateway {natGateway} on the subnet does not help: a user route to an appliance or gateway takes precedence over it."
            : string.Empty;
        var routes = string.Join(", ", tunnelled.Select(t => $"{t.Tag.Name} ({t.Tag.Sample}) goes by {FlowFindings.Describe(t.Hop.Route!)}"));
        var fixes = string.Join(" and ", tunnelled.Select(t => $"a route with address prefix {t.Tag.Name} and next hop type Internet"));
        context.Report(DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.ForcedTunnelingWithoutInternetForManagement, level, resource,
            $"{Subject(placement)} forces management traffic through a virtual appliance or gateway: {routes}, and no user route sends those prefixes to the Internet; {consequence}.{nat} " +
            $"Fix: {where} {fixes} (e.g. 'az network route-table route create --route-table-name {table ?? "<table>"} -n {tunnelled[0].Base} --address-prefix {tunnelled[0].Tag.Name} --next-hop-type Internet').");
        return [.. tunnelled.Select(t => t.Base)];
    }

    private static void AzureRequiredOutbound(DiagnosisContext context, ComputePlacement placement, IReadOnlyList<ServiceInUse> services, HashSet<string> tunnelled, List<(string, FlowVerdict)> handedOff)
    {
        // With the workspace's registry reached through its private endpoint, images do not come over the public registry tag.
        var registry = services.FirstOrDefault(s => s.Kind == ServiceKind.Registry && s.Facts is not null);
        var registryPrivate = registry is not null && ServiceAccess.Of(context, placement, registry).Reached is not null;
        foreach (var requirement in AzureOutbound)
        {
            if (requirement.Key == "AzureContainerRegistry" && registryPrivate)
            {
                continue;
            }

            var purpose = $"{requirement.Purpose} ({FlowFindings.Protocol(requirement.Protocol)} {requirement.Port})";
            var tag = requirement.Regional ? context.RegionalTag(requirement.Tag, context.Workspace.Location, purpose) : context.Tag(requirement.Tag, purpose);
            if (tag is null || Failing(context, placement, tag.Samples, requirement.Protocol, requirement.Port) is not { } failing)
            {
                continue;
            }

            var what = $"{FlowFindings.Protocol(requirement.Protocol)} {requirement.Port} to service tag {tag.Name}";
            if (FlowFindings.IsHandedOff(failing.Verdict))
            {
                if (!tunnelled.Contains(requirement.Tag))
                {
                    handedOff.Add((what, failing.Verdict));
                }

                continue;
            }

            var flow = new FlowDescription
            {
                Protocol = requirement.Protocol,
                Ports = requirement.Port.ToString(CultureInfo.InvariantCulture),
                RuleSource = "VirtualNetwork",
                RuleDestination = tag.Name,
                Text = $"outbound {what} ({failing.Sample})",
            };
            FlowFindings.ReportBlocked(context, placement, DiagnosisCodes.RequiredOutboundBlockedFor(requirement.Key), requirement.Level, Subject(placement), flow, failing.Verdict,
                $"the nodes cannot reach {requirement.Purpose}");
        }
    }

    /// <summary>Azure: computes of a private workspace talk to it through its private endpoint.</summary>
    private static void WorkspaceAccess(DiagnosisContext context, ComputePlacement placement, List<(string, FlowVerdict)> handedOff)
    {
        if (!context.IsPrivateWorkspace)
        {
            return;
        }

        var name = context.Workspace.Name;
        var verdicts = context.EndpointsTo(name, PrivateEndpointGroupId.AmlWorkspace)
            .Where(e => e.ConnectionState == PrivateEndpointConnectionState.Approved)
            .Select(e => (Endpoint: e, Verdict: context.VerifyFrom(placement, PrivateLinkChecks.Address(e), FlowProtocol.Tcp, 443)))
            .Where(v => v.Verdict is not null)
            .Select(v => (v.Endpoint, Verdict: v.Verdict!))
            .ToList();
        if (verdicts.Count == 0 || verdicts.Exists(v => v.Verdict.Outcome == FlowOutcome.Delivered))
        {
            return; // no endpoint at all is reported once for the workspace
        }

        if (EndpointProblem(context, placement, verdicts, $"workspace:{name}", DiagnosisCodes.RequiredOutboundBlockedFor("Workspace"), $"the nodes cannot reach workspace {name}", handedOff))
        {
            return;
        }

        var endpoints = string.Join(", ", verdicts.Select(v => $"{v.Endpoint.Name} in {v.Endpoint.VirtualNetwork}/{v.Endpoint.Subnet}"));
        context.Report(DiagnosisGroup.Other, DiagnosisCodes.WorkspaceUnreachableFromCompute, FindingLevel.Error, ComputeChecks.Resource(placement.Compute),
            $"{Subject(placement)} cannot reach private workspace {name}: no route of the subnet leads to its private endpoints ({endpoints}). " +
            $"Fix: peer virtual network {placement.Network.Name} with {verdicts[0].Endpoint.VirtualNetwork}, or create a private endpoint in {placement.Network.Name} with target workspace:{name} and group_id amlworkspace.");
    }

    /// <summary>Sluice: nodes call the control plane's API and its silo ports (local datastores are served by the control plane too).</summary>
    private static void SluiceControlPlane(DiagnosisContext context, ComputePlacement placement, List<(string, FlowVerdict)> handedOff)
    {
        var sluice = context.Input.Sluice;
        List<int> ports = [.. new[] { sluice.ApiPort }.Concat(sluice.NodeManagementPorts).Distinct()];
        if (context.Tag(Tags.SluiceServiceTags.ControlPlane, "the nodes' connections to Sluice's control plane") is not { } tag)
        {
            return;
        }

        (int Port, IPAddress Sample, FlowVerdict Verdict)? first = null;
        List<int> failed = [];
        foreach (var port in ports)
        {
            if (Failing(context, placement, tag.Samples, FlowProtocol.Tcp, port) is { } failing)
            {
                if (FlowFindings.IsHandedOff(failing.Verdict))
                {
                    handedOff.Add(($"TCP {port} to {tag.Name}", failing.Verdict));
                    continue;
                }

                first ??= (port, failing.Sample, failing.Verdict);
                failed.Add(port);
            }
        }

        if (first is not { } blocked)
        {
            return;
        }

        var local = sluice.Datastores.Where(d => d.StorageAccount is null).Select(d => d.Name).ToList();
        var flow = new FlowDescription
        {
            Protocol = FlowProtocol.Tcp,
            Ports = PortsText(failed),
            RuleSource = "VirtualNetwork",
            RuleDestination = tag.Name,
            Text = $"outbound TCP {blocked.Port} to {tag.Name} ({blocked.Sample})",
        };
        FlowFindings.ReportBlocked(context, placement, DiagnosisCodes.RequiredOutboundBlockedFor("ControlPlane"), FindingLevel.Error, Subject(placement), flow, blocked.Verdict,
            $"the nodes cannot reach Sluice's control plane (API port {sluice.ApiPort}, node-management ports {PortsText(sluice.NodeManagementPorts)}){(local.Count == 0 ? string.Empty : $", which also serves local datastores {string.Join(", ", local)}")}");
    }

    /// <summary>
    /// The way from the nodes to a service: its approved private endpoints first; with Sluice's rules, its public
    /// address when no endpoint is routed (Azure's public paths are the service tag requirements).
    /// </summary>
    private static void ServiceReachability(DiagnosisContext context, ComputePlacement placement, ServiceInUse service, List<(string, FlowVerdict)> handedOff)
    {
        var access = ServiceAccess.Of(context, placement, service);
        if (access.Reached is not null)
        {
            return;
        }

        var code = context.Rules == DiagnosisRules.Azure
            ? DiagnosisCodes.RequiredOutboundBlockedFor("PrivateEndpoint")
            : DiagnosisCodes.RequiredOutboundBlockedFor(service.Kind.SluiceOutboundKey);
        var consequence = $"the nodes cannot reach {service.Kind.Noun} {service.Name}{(service.Datastores.Count == 0 ? string.Empty : $" (datastores {string.Join(", ", service.Datastores)})")}";
        if (EndpointProblem(context, placement, [.. access.Endpoints], service.Resource, code, consequence, handedOff))
        {
            return;
        }

        var facts = service.Facts!;
        if (access.Endpoints.Count > 0 && facts.PublicNetworkAccess == PublicNetworkAccess.Disabled)
        {
            if (context.HasFinding(DiagnosisCodes.ServiceUnreachable, service.Resource))
            {
                return; // no network of the workspace reaches the endpoints: said once for the service
            }

            var endpoints = string.Join(", ", access.Endpoints.Select(e => $"{e.Endpoint.Name} in {e.Endpoint.VirtualNetwork}/{e.Endpoint.Subnet}"));
            context.Report(service.Kind.Group, DiagnosisCodes.PrivateEndpointNotReachableFromCompute, FindingLevel.Error, service.Resource,
                $"{Subject(placement)} cannot reach {service.Kind.Noun} {service.Name}: its public network access is Disabled and no route of the subnet leads to its private endpoints ({endpoints}). " +
                $"Fix: peer virtual network {placement.Network.Name} with {access.Endpoints[0].Endpoint.VirtualNetwork}, or create a private endpoint in {placement.Network.Name} with target {service.Resource} and group_id {ServiceKind.GroupIdText(service.Kind.AccessGroup)}.");
            return;
        }

        if (context.Rules != DiagnosisRules.Sluice || facts.PublicNetworkAccess == PublicNetworkAccess.Disabled)
        {
            return;
        }

        if (facts.PublicAddress is null || !IPAddress.TryParse(facts.PublicAddress, out var address))
        {
            context.ReportOnce(service.Kind.Group, DiagnosisCodes.ServiceAddressUnknown, FindingLevel.Warning, service.Resource,
                $"{ComputeChecks.Describe(placement.Compute)} reaches {service.Kind.Noun} {service.Name} over its public endpoint, but its address is not known, so that path was not checked. Fix: set public_address on {service.Resource}, or create a private endpoint to it (group_id {ServiceKind.GroupIdText(service.Kind.AccessGroup)}).");
            return;
        }

        if (Failing(context, placement, [address], FlowProtocol.Tcp, ServiceAccess.Port) is not { } failing)
        {
            return;
        }

        var what = $"TCP {ServiceAccess.Port} to {service.Kind.Noun} {service.Name} ({address})";
        if (FlowFindings.IsHandedOff(failing.Verdict))
        {
            handedOff.Add((what, failing.Verdict));
            return;
        }

        FlowFindings.ReportBlocked(context, placement, code, FindingLevel.Error, Subject(placement),
            new FlowDescription { Protocol = FlowProtocol.Tcp, Ports = "443", RuleSource = "VirtualNetwork", RuleDestination = address.ToString(), Text = $"outbound {what}" },
            failing.Verdict, consequence);
    }

    /// <summary>Reports a denial or drop on the way to a private endpoint, or notes a hand-off; false when the endpoints are simply not routed.</summary>
    private static bool EndpointProblem(DiagnosisContext context, ComputePlacement placement, List<(PrivateEndpoint Endpoint, FlowVerdict Verdict)> verdicts, string resource, string code, string consequence, List<(string, FlowVerdict)> handedOff)
    {
        // A drop by a system route (10.0.0.0/8 to None) only means the endpoint's network is not connected: not routed, not blocked.
        var blocked = verdicts.FirstOrDefault(v => v.Verdict.Outcome == FlowOutcome.DeniedBySecurityRule ||
            (v.Verdict.Outcome == FlowOutcome.DroppedByRoute && v.Verdict.Route?.Source == RouteSource.User));
        if (blocked.Endpoint is not null)
        {
            var address = PrivateLinkChecks.Address(blocked.Endpoint);
            var flow = new FlowDescription
            {
                Protocol = FlowProtocol.Tcp,
                Ports = "443",
                RuleSource = "VirtualNetwork",
                RuleDestination = IpPrefix.FromAddress(address).ToString(),
                Text = $"outbound TCP 443 to private endpoint {blocked.Endpoint.Name} ({address}) of {resource}",
            };
            FlowFindings.ReportBlocked(context, placement, code, FindingLevel.Error, Subject(placement), flow, blocked.Verdict, consequence);
            return true;
        }

        var appliance = verdicts.FirstOrDefault(v => FlowFindings.IsHandedOff(v.Verdict));
        if (appliance.Endpoint is not null)
        {
            handedOff.Add(($"TCP 443 to private endpoint {appliance.Endpoint.Name} of {resource}", appliance.Verdict));
            return true;
        }

        return false;
    }

    private static void ReportHandedOff(DiagnosisContext context, ComputePlacement placement, List<(string What, FlowVerdict Verdict)> handedOff)
    {
        var route = handedOff[0].Verdict.Route;
        var table = placement.Subnet.RouteTable;
        var hop = route?.NextHopType == NextHopType.VirtualNetworkGateway ? "the virtual network gateway (towards on-premises)" : $"the virtual appliance at {route?.NextHopIpAddress}";
        context.Report(DiagnosisGroup.UserDefinedRoutes, DiagnosisCodes.RequiredOutboundViaAppliance, FindingLevel.Information, table is null ? $"subnet:{placement.Path}" : $"route_table:{table}",
            $"{Subject(placement)} sends required traffic to {hop}{(route is null ? string.Empty : $" by {FlowFindings.Describe(route)}")}: {string.Join("; ", handedOff.Select(h => h.What))}. What the appliance or gateway does with it is not modelled. " +
            "Fix: make sure it allows exactly this traffic, or add user routes with next hop Internet (or to the private endpoints' networks) for these destinations.");
    }

    /// <summary>The first sample the engine does not let through, with its verdict; null when all pass.</summary>
    private static (IPAddress Sample, FlowVerdict Verdict)? Failing(DiagnosisContext context, ComputePlacement placement, IReadOnlyList<IPAddress> samples, FlowProtocol protocol, int port)
    {
        foreach (var sample in samples)
        {
            if (context.VerifyFrom(placement, sample, protocol, port) is { } verdict && !FlowFindings.IsAllowed(verdict))
            {
                return (sample, verdict);
            }
        }

        return null;
    }

    private static string PortsText(IEnumerable<int> ports) => string.Join(",", ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    /// <summary>One required outbound flow: the tag (regional when <see cref="Regional"/>), protocol and port, and why it is needed.</summary>
    private sealed record Requirement(string Key, string Tag, bool Regional, FlowProtocol Protocol, int Port, FindingLevel Level, string Purpose);
}
