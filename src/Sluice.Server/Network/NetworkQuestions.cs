using System.Net;
using System.Text.Json.Nodes;
using Sluice.Core.Diagnostics;
using Sluice.Data.Network;
using Sluice.Network;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Verification;
using Sluice.Server.Api;
using Sluice.Server.Workspaces;

namespace Sluice.Server.Network;

/// <summary>
/// The questions Azure's Network Watcher answers, asked of a workspace's modelled network: does a flow get through
/// (and why), which rules and routes apply where, what is the next hop, and which rules are dead or suspicious.
/// Every answer comes from the workspace's cached compiled model.
/// </summary>
public sealed class NetworkQuestions(WorkspaceNetworkModels models, WorkspaceService workspaces, Orleans.IGrainFactory grains)
{
    /// <summary>The source port of a flow that names none: the first ephemeral port.</summary>
    public const int DefaultSourcePort = 49152;

    public async Task<JsonObject> VerifyFlowAsync(string workspace, VerifyFlowRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new RequestProblems();
        var protocol = VerifyFlowRequest.ProtocolOf(request.Protocol, problems);
        var direction = VerifyFlowRequest.DirectionOf(request.Direction, problems);
        problems.ThrowIfAny();
        var network = await ModelAsync(workspace, cancellationToken);
        var source = FlowTargets.ResolveSource(network, "source", request.Source, allowSubnet: false);
        var destination = FlowTargets.ResolveDestination(network, models.Options, "destination", request.Destination, source);
        var hasPorts = protocol is FlowProtocol.Tcp or FlowProtocol.Udp;
        List<string> portSteps = [];
        var destinationPort = request.DestinationPort ?? 0;
        if (hasPorts && request.DestinationPort is null)
        {
            destinationPort = destination.DefaultPort
                ?? throw FlowTargets.Invalid("destination_port", $"is required for {protocol} flows (the port the destination listens on)");
            portSteps.Add($"Port {destinationPort} (HTTPS), the port {(destination.Resource is { } service ? FlowTargets.Describe(service) : destination.Input)} answers on, as none was given.");
        }

        var sourcePort = request.SourcePort ?? DefaultSourcePort;
        var answer = direction == FlowDirection.Inbound
            ? Inbound(network, source, destination, protocol, destinationPort, sourcePort)
            : Outbound(network, source, destination, protocol, destinationPort, sourcePort);
        answer.Explanation.InsertRange(0, [.. destination.Steps, .. portSteps]);

        return new JsonObject
        {
            ["access"] = answer.Access.ToString(),
            ["outcome"] = answer.Outcome,
            ["direction"] = direction.ToString(),
            ["protocol"] = protocol.ToString(),
            ["source"] = NetworkQuestionViews.Source(source),
            ["destination"] = NetworkQuestionViews.Destination(destination),
            ["source_port"] = hasPorts ? sourcePort : null,
            ["destination_port"] = hasPorts ? destinationPort : null,
            ["deciding_rule"] = NetworkQuestionViews.Decision(answer.Verdict?.DecidingRule ?? answer.IpFlow?.DecidingRule),
            ["security_decisions"] = NetworkQuestionViews.Decisions(answer.Verdict?.SecurityDecisions ?? answer.IpFlow?.Decisions ?? []),
            ["route"] = NetworkQuestionViews.Route(answer.Verdict?.Route),
            ["egress"] = answer.Verdict?.Egress?.ToString(),
            ["nat_gateway"] = answer.Verdict?.NatGateway,
            ["destination_resource"] = answer.Verdict?.DestinationResource ?? destination.NetworkInterface,
            ["service_access"] = answer.Service is null ? null : new JsonObject
            {
                ["resource"] = answer.Service.Resource.ToString(),
                ["access"] = answer.Service.Allowed ? "Allow" : "Deny",
                ["reason"] = answer.Service.Reason,
            },
            ["explanation"] = NetworkQuestionViews.Texts(answer.Explanation),
        };
    }

    public async Task<JsonObject> EffectiveRulesAsync(string workspace, string? networkInterface, string? virtualNetwork, string? subnet, CancellationToken cancellationToken = default)
    {
        RequireOnePlace(networkInterface, virtualNetwork, subnet);
        var network = await ModelAsync(workspace, cancellationToken);
        var place = Place(network, networkInterface, virtualNetwork, subnet);
        var rules = place.NetworkInterface is { } nic
            ? network.Compiled!.EffectiveRules(nic)
            : network.Compiled!.EffectiveRules(place.VirtualNetwork!, place.Subnet!);
        return new JsonObject
        {
            ["network_interface"] = place.NetworkInterface,
            ["virtual_network"] = place.VirtualNetwork,
            ["subnet"] = place.Subnet,
            ["inbound"] = NetworkQuestionViews.Levels(rules.Inbound),
            ["outbound"] = NetworkQuestionViews.Levels(rules.Outbound),
        };
    }

    /// <summary>A subnet's routes; <paramref name="source"/> takes the words next-hop takes (an interface, a compute, an address in a subnet).</summary>
    public async Task<JsonObject> EffectiveRoutesAsync(string workspace, string? networkInterface, string? virtualNetwork, string? subnet, string? source = null, CancellationToken cancellationToken = default)
    {
        if (source is null)
        {
            RequireOnePlace(networkInterface, virtualNetwork, subnet);
        }
        else if (networkInterface is not null || virtualNetwork is not null || subnet is not null)
        {
            throw FlowTargets.Invalid("source", "give source alone, or nic, or virtual_network and subnet");
        }

        var network = await ModelAsync(workspace, cancellationToken);
        var place = source is null ? Place(network, networkInterface, virtualNetwork, subnet) : FlowTargets.ResolveSource(network, "source", source, allowSubnet: true);
        if (place.IsExternal)
        {
            throw FlowTargets.Invalid("source", $"{place.Address} is outside the modelled networks, which have no routes for it");
        }

        return new JsonObject
        {
            ["network_interface"] = place.NetworkInterface,
            ["virtual_network"] = place.VirtualNetwork,
            ["subnet"] = place.Subnet,
            ["route_table"] = RouteTableOf(network.Model!, place),
            ["value"] = NetworkQuestionViews.Routes(network.Compiled!.EffectiveRoutes(place.VirtualNetwork!, place.Subnet!).Routes),
        };
    }

    public async Task<JsonObject> NextHopAsync(string workspace, string? source, string? destination, CancellationToken cancellationToken = default)
    {
        var problems = new RequestProblems();
        if (string.IsNullOrWhiteSpace(source))
        {
            problems.Add("source", "is required: a network interface, <compute>/<node>, a compute, <vnet>/<subnet>, or an address in a subnet");
        }

        if (string.IsNullOrWhiteSpace(destination))
        {
            problems.Add("destination", "is required: the IP address (or resource) the traffic is for");
        }

        problems.ThrowIfAny();
        var network = await ModelAsync(workspace, cancellationToken);
        var place = FlowTargets.ResolveSource(network, "source", source!, allowSubnet: true);
        if (place.IsExternal)
        {
            throw FlowTargets.Invalid("source", $"{place.Address} is outside the modelled networks; the next hop is asked from a place in a subnet (an interface, a compute, <vnet>/<subnet>, or an address in a subnet)");
        }

        var target = FlowTargets.ResolveDestination(network, models.Options, "destination", destination!, place);
        var result = Ask("destination", () => place.NetworkInterface is { } nic
            ? network.Compiled!.NextHop(nic, target.Address)
            : network.Compiled!.NextHop(place.VirtualNetwork!, place.Subnet!, target.Address));
        var routes = network.Compiled!.EffectiveRoutes(place.VirtualNetwork!, place.Subnet!).Routes;
        var chosen = result.Route is null ? null : routes.FirstOrDefault(r => ReferenceEquals(r, result.Route)) ?? routes.FirstOrDefault(r => r == result.Route);
        return new JsonObject
        {
            ["source"] = NetworkQuestionViews.Source(place),
            ["destination"] = NetworkQuestionViews.Destination(target),
            ["next_hop_type"] = result.NextHopType?.ToString(),
            ["next_hop_ip_address"] = result.NextHopIpAddress?.ToString(),
            ["route"] = NetworkQuestionViews.Route(result.Route),
            ["route_table"] = result.Route?.Source == RouteSource.User ? RouteTableOf(network.Model!, place) : null,
            ["explanation"] = NetworkQuestionViews.Texts([.. target.Steps, .. result.Explanation]),
            ["effective_routes"] = NetworkQuestionViews.Routes(routes, chosen),
        };
    }

    public async Task<JsonObject> LintAsync(string workspace, string? networkSecurityGroup, CancellationToken cancellationToken = default)
    {
        var network = await ModelAsync(workspace, cancellationToken);
        var model = network.Model!;
        IReadOnlyList<NetworkSecurityGroup> groups;
        if (networkSecurityGroup is null)
        {
            groups = [.. model.NetworkSecurityGroups.OrderBy(g => g.Name, StringComparer.Ordinal)];
        }
        else
        {
            groups = [model.FindNetworkSecurityGroup(networkSecurityGroup) ?? throw FlowTargets.Missing(
                $"Network security group '{networkSecurityGroup}' was not found in workspace '{workspace}'; its groups: {string.Join(", ", model.NetworkSecurityGroups.Select(g => g.Name).DefaultIfEmpty("none"))}.",
                $"list them with 'sluice network nsg list -w {workspace}'")];
        }

        var reports = groups.Select(g => network.Compiled!.Lint(g.Name)).ToList();
        return new JsonObject
        {
            ["network_security_group_count"] = reports.Count,
            ["finding_count"] = reports.Sum(r => r.Findings.Count),
            ["value"] = new JsonArray([.. reports.Select(r => (JsonNode)NetworkQuestionViews.Lint(r))]),
        };
    }

    /// <summary>The workspace's compiled network; a network that does not build is a 409 listing every error.</summary>
    private async Task<WorkspaceNetworkModel> ModelAsync(string workspace, CancellationToken cancellationToken)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        var network = await models.GetAsync(workspace, await NodesAsync(workspace, cancellationToken), cancellationToken)
            ?? throw SluiceException.NotFound($"Workspace '{workspace}'");
        if (!network.IsValid)
        {
            throw new ProblemListException(
                SluiceErrorKind.Conflict,
                "Network does not build",
                $"The network of workspace '{workspace}' cannot be evaluated: {(network.Errors.Count == 1 ? "one problem" : $"{network.Errors.Count} problems")} in its resources taken together ({string.Join("; ", network.Errors.Take(3))}{(network.Errors.Count > 3 ? "; …" : string.Empty)}).",
                [.. network.Errors.Select(e => new KeyedProblem(e.Path, e.Message))],
                "fix the resources the paths name (sluice network <kind> update -n NAME --set key=value, or edit and re-create them), then ask again");
        }

        return network;
    }

    /// <summary>The compute nodes that hold an address in a subnet: questions can start from them as <c>&lt;compute&gt;/&lt;node&gt;</c>.</summary>
    private async Task<IReadOnlyCollection<NodeAddress>?> NodesAsync(string workspace, CancellationToken cancellationToken)
    {
        var plain = await models.GetAsync(workspace, null, cancellationToken);
        var computes = plain?.Specs.All(Core.Specs.ResourceKind.Compute).OfType<Core.Specs.ComputeSpec>().Where(c => c.NetworkSettings?.Subnet is not null).ToList() ?? [];
        List<NodeAddress> nodes = [];
        foreach (var compute in computes)
        {
            var report = await grains.GetGrain<Cluster.Compute.IComputeClusterGrain>($"{workspace}/{compute.Name}").ReportAsync().WaitAsync(cancellationToken);
            if (report.Subnet is { } subnet)
            {
                nodes.AddRange(report.Nodes.Where(n => n.PrivateIpAddress is not null).Select(n => new NodeAddress(compute.Name, n.Name, subnet.VirtualNetwork, subnet.Subnet, n.PrivateIpAddress!)));
            }
        }

        return nodes.Count == 0 ? null : nodes;
    }

    private static void RequireOnePlace(string? networkInterface, string? virtualNetwork, string? subnet)
    {
        var problems = new RequestProblems();
        if (networkInterface is not null && (virtualNetwork is not null || subnet is not null))
        {
            problems.Add("nic", "give either nic or virtual_network and subnet, not both");
        }
        else if (networkInterface is null)
        {
            if (virtualNetwork is null)
            {
                problems.Add("virtual_network", subnet is null ? "is required (with subnet), unless nic is given" : "is required with subnet");
            }

            if (subnet is null)
            {
                problems.Add("subnet", "is required with virtual_network, unless nic is given");
            }
        }

        problems.ThrowIfAny();
    }

    /// <summary>An interface (its subnet too) or a subnet, by name; 404 listing what exists.</summary>
    private static FlowSource Place(WorkspaceNetworkModel network, string? networkInterface, string? virtualNetwork, string? subnet)
    {
        var model = network.Model!;
        if (networkInterface is not null)
        {
            var nic = model.FindNetworkInterface(networkInterface) ?? throw FlowTargets.Missing(
                $"Network interface '{networkInterface}' was not found; interfaces: {string.Join(", ", model.NetworkInterfaces.Select(n => n.Name).DefaultIfEmpty("none"))}.",
                "name an interface (sluice network nic list), a compute node as <compute>/<node>, or ask for a subnet with virtual_network and subnet");
            return new FlowSource { Input = networkInterface, NetworkInterface = nic.Name, VirtualNetwork = nic.VirtualNetwork, Subnet = nic.Subnet, Address = IPAddress.Parse(nic.PrivateIpAddress) };
        }

        var vnet = model.FindVirtualNetwork(virtualNetwork!) ?? throw FlowTargets.Missing(
            $"Virtual network '{virtualNetwork}' was not found; virtual networks: {string.Join(", ", model.VirtualNetworks.Select(v => v.Name).DefaultIfEmpty("none"))}.",
            "list them with 'sluice network vnet list'");
        var found = vnet.Subnets.FirstOrDefault(s => string.Equals(s.Name, subnet, StringComparison.OrdinalIgnoreCase)) ?? throw FlowTargets.Missing(
            $"Virtual network '{vnet.Name}' has no subnet '{subnet}'; its subnets: {string.Join(", ", vnet.Subnets.Select(s => s.Name).DefaultIfEmpty("none"))}.",
            $"see them with 'sluice network vnet show -n {vnet.Name}'");
        return new FlowSource { Input = $"{vnet.Name}/{found.Name}", VirtualNetwork = vnet.Name, Subnet = found.Name };
    }

    private static string? RouteTableOf(NetworkModel model, FlowSource place) =>
        model.FindVirtualNetwork(place.VirtualNetwork!)?.Subnets.FirstOrDefault(s => string.Equals(s.Name, place.Subnet, StringComparison.OrdinalIgnoreCase))?.RouteTable;

    private static Answer Outbound(WorkspaceNetworkModel network, FlowSource source, FlowDestination destination, FlowProtocol protocol, int destinationPort, int sourcePort)
    {
        var verdict = Ask("destination", () => network.Compiled!.Verify(new FlowRequest
        {
            SourceNetworkInterface = source.NetworkInterface,
            SourceAddress = source.NetworkInterface is null || source.AddressGiven ? source.Address : null,
            DestinationAddress = destination.Address,
            DestinationNetworkInterface = destination.NetworkInterface,
            Protocol = protocol,
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
        }));
        var answer = new Answer(verdict.Access, verdict.Outcome.ToString(), [.. verdict.Explanation]) { Verdict = verdict };
        if (destination.Resource is not { } resource)
        {
            return answer;
        }

        if (destination.ResolvedVia == "private_endpoint")
        {
            if (verdict.Outcome == FlowOutcome.Delivered)
            {
                answer.Explanation.Add($"{Capitalized(FlowTargets.Describe(resource))}'s public network access and firewall do not apply to traffic through a private endpoint.");
            }

            return answer;
        }

        ServiceArrival? arrival = null;
        if (source.IsExternal)
        {
            // The engine looks for the address among interfaces and endpoints; a service's public face is not one.
            arrival = new ServiceArrival { PublicAddresses = [source.Address!] };
            answer = new Answer(SecurityRuleAccess.Allow, "ReachedService", [$"Source {source.Address} is outside the modelled networks: the flow reaches {FlowTargets.Describe(resource)} over the internet, at its public endpoint."]);
        }
        else if (verdict.Outcome == FlowOutcome.LeftNetwork)
        {
            arrival = Arrival(network.Model!, source, verdict);
        }
        else if (verdict.Outcome == FlowOutcome.ForwardedToAppliance)
        {
            answer.Explanation.Add($"Whether {FlowTargets.Describe(resource)} admits the flow depends on the address the appliance sends it from, which is not modelled.");
        }

        if (arrival is not null)
        {
            var decision = ServiceFirewalls.Check(network.Specs, resource, arrival);
            answer.Explanation.Add(decision.Reason);
            answer = answer with
            {
                Access = decision.Allowed ? SecurityRuleAccess.Allow : SecurityRuleAccess.Deny,
                Outcome = decision.Allowed ? "ReachedService" : "DeniedByService",
                Service = decision,
            };
        }

        return answer;
    }

    /// <summary>Where an allowed flow that left the network comes from, as the service sees it.</summary>
    private static ServiceArrival Arrival(NetworkModel model, FlowSource source, FlowVerdict verdict)
    {
        if (verdict.Route?.NextHopType == NextHopType.VirtualNetworkServiceEndpoint)
        {
            return new ServiceArrival { ServiceEndpointSubnet = source.SubnetPath };
        }

        return verdict.Egress switch
        {
            EgressMethod.NatGateway when model.FindNatGateway(verdict.NatGateway!) is { } nat =>
                new ServiceArrival { PublicAddresses = [.. nat.PublicIpAddresses.Select(p => Sluice.Network.Addressing.IpPrefix.Parse(p).NetworkAddress)] },
            EgressMethod.InstancePublicIp when model.FindNetworkInterface(source.NetworkInterface!)?.PublicIpAddress is { } publicIp =>
                new ServiceArrival { PublicAddresses = [Sluice.Network.Addressing.IpPrefix.Parse(publicIp).NetworkAddress] },
            _ => new ServiceArrival { UnknownAddressReason = "the flow leaves through Azure's default outbound access, from an address Azure picks that no IP rule can name (give the subnet a NAT gateway to have a known address)" },
        };
    }

    private static Answer Inbound(WorkspaceNetworkModel network, FlowSource source, FlowDestination destination, FlowProtocol protocol, int localPort, int remotePort)
    {
        var model = network.Model!;
        var nic = destination.NetworkInterface
            ?? model.NetworkInterfaces.FirstOrDefault(n => new[] { n.PrivateIpAddress }.Concat(n.SecondaryPrivateIpAddresses).Any(a => IPAddress.Parse(a).Equals(destination.Address)))?.Name
            ?? throw FlowTargets.Invalid("destination", $"{destination.Input} ({destination.Address}) is not a network interface's address; Inbound checks the security rules at an interface (IP flow verify), so the destination is an interface (nic:NAME, its name or its address)");
        var remote = source.Address ?? throw FlowTargets.Invalid("source", "Inbound needs the remote address: an IP address or an interface");
        var verdict = Ask("source", () => network.Compiled!.VerifyIpFlow(nic, SecurityRuleDirection.Inbound, protocol, remote, localPort, remotePort, destination.Address));
        List<string> steps = [$"IP flow verify at network interface {nic}, inbound from {remote}: only the security groups at the interface are evaluated (its subnet's, then its own), as Azure's IP flow verify does; routes and the source's outbound rules are not."];
        steps.AddRange(verdict.Decisions.Select(d => $"{d}."));
        var outcome = verdict.Access == SecurityRuleAccess.Allow ? "AllowedBySecurityRules" : FlowOutcome.DeniedBySecurityRule.ToString();
        return new Answer(verdict.Access, outcome, steps) { IpFlow = verdict };
    }

    /// <summary>Runs an engine call; what it refuses (ambiguous addresses, mixed families) is the caller's input, a 400.</summary>
    private static T Ask<T>(string field, Func<T> question)
    {
        try
        {
            return question();
        }
        catch (Exception ex) when (ex is NetworkException or ArgumentException)
        {
            throw FlowTargets.Invalid(field, ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private sealed record Answer(SecurityRuleAccess Access, string Outcome, List<string> Explanation)
    {
        public FlowVerdict? Verdict { get; init; }

        public SecurityVerdict? IpFlow { get; init; }

        public ServiceDecision? Service { get; init; }
    }
}
