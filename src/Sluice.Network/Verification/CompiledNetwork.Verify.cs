using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Rules;

namespace Sluice.Network.Verification;

public sealed partial class CompiledNetwork
{
    /// <summary>
    /// Follows a flow the way Azure processes it: outbound rules at the source (interface group, then subnet group),
    /// the source subnet's route, how internet-bound traffic leaves, and inbound rules at the destination (subnet
    /// group, then interface group). A deny at any level is final; a level without a group allows.
    /// </summary>
    public FlowVerdict Verify(FlowRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsReturnTraffic)
        {
            return VerifyReturn(request);
        }

        var trace = new Trace();
        var (source, key) = Resolve(request, trace);
        if (source is null)
        {
            trace.Step($"Source {IpAddressBits.ToAddress(key.Family, key.Source)} is outside the modelled networks (internet or on-premises): only the destination's inbound rules are evaluated.");
            return Deliver(request, key, trace, route: null, searchNetwork: null, endpoint: null);
        }

        trace.Step($"Source: network interface {source.Name} ({IpAddressBits.ToAddress(key.Family, key.Source)}) in subnet {source.Subnet.Path}.");
        var denied = EvaluateLevel(source.Outbound, SecurityRuleDirection.Outbound, SecurityLevel.NetworkInterface, source.Name, key, trace)
            ?? EvaluateLevel(source.Subnet.Outbound, SecurityRuleDirection.Outbound, SecurityLevel.Subnet, source.Subnet.Path, key, trace);
        var route = source.Subnet.Routes.Select(key.Family, key.Destination);
        trace.Step(route is null
            ? $"Route: no route of subnet {source.Subnet.Path} matches {Destination(key)}."
            : $"Route: {route.Entry} is the route subnet {source.Subnet.Path} uses for {Destination(key)}.");
        if (denied is not null)
        {
            return trace.Verdict(FlowOutcome.DeniedBySecurityRule, route?.Entry);
        }

        if (route is null)
        {
            return trace.Verdict(FlowOutcome.NoRoute, null);
        }

        switch (route.Entry.NextHopType)
        {
            case NextHopType.None:
                trace.Step("Next hop None: Azure drops the traffic.");
                return trace.Verdict(FlowOutcome.DroppedByRoute, route.Entry);
            case NextHopType.VirtualAppliance:
                var appliance = _byAddress.GetValueOrDefault(IpAddressBits.ToBits(route.Entry.NextHopIpAddress!))?.OfType<InterfaceState>().FirstOrDefault();
                trace.Step($"Handed to the virtual appliance at {route.Entry.NextHopIpAddress}{(appliance is null ? string.Empty : $" (interface {appliance.Name})")}; what the appliance does next is not modelled.");
                return trace.Verdict(FlowOutcome.ForwardedToAppliance, route.Entry, SecurityRuleAccess.Allow);
            case NextHopType.VirtualNetworkGateway:
                trace.Step("Sent to the virtual network gateway, towards on-premises.");
                return trace.Verdict(FlowOutcome.LeftNetwork, route.Entry, SecurityRuleAccess.Allow);
            case NextHopType.VirtualNetworkServiceEndpoint:
                trace.Step($"Sent to {route.Entry.Target} over its service endpoint, on the Azure backbone; the service sees the private source address.");
                return trace.Verdict(FlowOutcome.LeftNetwork, route.Entry, SecurityRuleAccess.Allow);
            case NextHopType.Internet:
                return Egress(source, request.Protocol, key, route.Entry, trace);
            case NextHopType.InterfaceEndpoint:
                return Deliver(request, key, trace, route.Entry, searchNetwork: null, endpoint: route.PrivateEndpoint);
            case NextHopType.VNetPeering:
                return Deliver(request, key, trace, route.Entry, route.PeerNetwork, endpoint: null);
            default:
                return Deliver(request, key, trace, route.Entry, source.Subnet.Network, endpoint: null);
        }
    }

    /// <summary>
    /// Azure's IP flow verify: the security groups' verdict on one flow at one interface, in one direction. The local
    /// side is the interface (default: its address of the remote address's family).
    /// </summary>
    public SecurityVerdict VerifyIpFlow(string networkInterface, SecurityRuleDirection direction, FlowProtocol protocol, IPAddress remoteAddress, int localPort, int remotePort, IPAddress? localAddress = null)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        var nic = Interface(networkInterface);
        var (family, remote) = IpAddressBits.ToBits(remoteAddress);
        var local = LocalAddress(nic, family, localAddress);
        CheckPort(protocol, localPort, nameof(localPort));
        CheckPort(protocol, remotePort, nameof(remotePort));
        var key = direction == SecurityRuleDirection.Inbound
            ? FlowKey.Create(family, remote, local, protocol, remotePort, localPort)
            : FlowKey.Create(family, local, remote, protocol, localPort, remotePort);
        var trace = new Trace();
        if (direction == SecurityRuleDirection.Inbound)
        {
            _ = EvaluateLevel(nic.Subnet.Inbound, direction, SecurityLevel.Subnet, nic.Subnet.Path, key, trace)
                ?? EvaluateLevel(nic.Inbound, direction, SecurityLevel.NetworkInterface, nic.Name, key, trace);
        }
        else
        {
            _ = EvaluateLevel(nic.Outbound, direction, SecurityLevel.NetworkInterface, nic.Name, key, trace)
                ?? EvaluateLevel(nic.Subnet.Outbound, direction, SecurityLevel.Subnet, nic.Subnet.Path, key, trace);
        }

        var access = trace.Decisions.Exists(d => d.Access == SecurityRuleAccess.Deny) ? SecurityRuleAccess.Deny : SecurityRuleAccess.Allow;
        return new SecurityVerdict(access, trace.Deciding, trace.Decisions);
    }

    private FlowVerdict VerifyReturn(FlowRequest request)
    {
        var (source, key) = Resolve(request, new Trace());
        var reverse = Verify(new FlowRequest
        {
            SourceNetworkInterface = request.DestinationNetworkInterface,
            SourceAddress = IpAddressBits.ToAddress(key.Family, key.Destination),
            DestinationAddress = IpAddressBits.ToAddress(key.Family, key.Source),
            DestinationNetworkInterface = source?.Name,
            Protocol = request.Protocol,
            SourcePort = request.DestinationPort,
            DestinationPort = request.SourcePort,
        });
        var allowed = reverse.Access == SecurityRuleAccess.Allow;
        List<string> steps =
        [
            $"Return traffic: security groups are stateful, so a response is allowed exactly when the connection it answers ({Destination(key)} to {IpAddressBits.ToAddress(key.Family, key.Source)}) is allowed.",
            .. reverse.Explanation.Select(s => $"  {s}"),
            allowed
                ? "The connection is allowed, so its flow record admits this response whatever the rules in this direction say."
                : "The connection is not allowed, so no flow record exists and the response is not admitted.",
        ];
        return reverse with
        {
            Outcome = allowed ? FlowOutcome.AllowedAsReturnTraffic : FlowOutcome.NoEstablishedFlow,
            Route = source?.Subnet.Routes.Select(key.Family, key.Destination)?.Entry,
            Egress = null,
            NatGateway = null,
            DestinationResource = source?.Name,
            Explanation = steps,
        };
    }

    private static FlowVerdict Egress(InterfaceState source, FlowProtocol protocol, FlowKey key, RouteEntry route, Trace trace)
    {
        var subnet = source.Subnet;
        if (subnet.NatGateway is { } nat && key.Family == IpFamily.IPv4)
        {
            if (!FlowKey.HasPorts(protocol))
            {
                trace.Step($"NAT gateway {nat.Name} takes over the subnet's internet traffic but carries only TCP and UDP; {protocol} does not get out.");
                return trace.Verdict(FlowOutcome.NoOutboundConnectivity, route, egress: EgressMethod.NatGateway, natGateway: nat.Name);
            }

            trace.Step($"Leaves through NAT gateway {nat.Name} ({string.Join(", ", nat.PublicIpAddresses)}): a subnet's NAT gateway takes precedence over instance-level public IPs and load balancer outbound rules.");
            return trace.Verdict(FlowOutcome.LeftNetwork, route, SecurityRuleAccess.Allow, EgressMethod.NatGateway, nat.Name);
        }

        if (source.PublicIpAddress is { } publicIp && IpAddressBits.ToBits(publicIp).Family == key.Family)
        {
            trace.Step($"Leaves from the interface's instance-level public IP {publicIp}.");
            return trace.Verdict(FlowOutcome.LeftNetwork, route, SecurityRuleAccess.Allow, EgressMethod.InstancePublicIp);
        }

        if (key.Family == IpFamily.IPv6)
        {
            trace.Step("No IPv6 public address: Azure gives IPv6 no default outbound access (a NAT gateway is IPv4 only).");
            return trace.Verdict(FlowOutcome.NoOutboundConnectivity, route);
        }

        if (!subnet.Subnet.DefaultOutboundAccess)
        {
            trace.Step($"Subnet {subnet.Path} is private (default outbound access disabled) and has no NAT gateway, and the interface has no public IP: no path to the internet.");
            return trace.Verdict(FlowOutcome.NoOutboundConnectivity, route);
        }

        trace.Step("Leaves through Azure's default outbound access (no NAT gateway or public IP; Azure is retiring it, prefer a NAT gateway).");
        return trace.Verdict(FlowOutcome.LeftNetwork, route, SecurityRuleAccess.Allow, EgressMethod.DefaultOutboundAccess);
    }

    /// <summary>Finds the destination (in one network, via a route; or anywhere, for external sources) and applies its inbound rules.</summary>
    private FlowVerdict Deliver(FlowRequest request, FlowKey key, Trace trace, RouteEntry? route, VirtualNetwork? searchNetwork, PrivateEndpoint? endpoint)
    {
        object? target = endpoint is not null ? _endpoints[endpoint.Name] : FindDestination(request, key, searchNetwork);
        switch (target)
        {
            case InterfaceState nic:
                trace.Step($"Destination: network interface {nic.Name} in subnet {nic.Subnet.Path}.");
                var denied = EvaluateLevel(nic.Subnet.Inbound, SecurityRuleDirection.Inbound, SecurityLevel.Subnet, nic.Subnet.Path, key, trace)
                    ?? EvaluateLevel(nic.Inbound, SecurityRuleDirection.Inbound, SecurityLevel.NetworkInterface, nic.Name, key, trace);
                return denied is null
                    ? trace.Verdict(FlowOutcome.Delivered, route, SecurityRuleAccess.Allow, destination: nic.Name)
                    : trace.Verdict(FlowOutcome.DeniedBySecurityRule, route, destination: nic.Name);
            case EndpointState pe:
                trace.Step($"Destination: private endpoint {pe.Name} ({pe.Endpoint.GroupId} of {pe.Endpoint.Target.Name}) in subnet {pe.Subnet.Path}.");
                if (pe.Endpoint.ConnectionState != PrivateEndpointConnectionState.Approved)
                {
                    trace.Step($"The private endpoint connection is {pe.Endpoint.ConnectionState}; traffic reaches the service only once the connection is approved.");
                    return trace.Verdict(FlowOutcome.PrivateEndpointNotApproved, route, destination: pe.Name);
                }

                if (!pe.SecurityGroupsApply)
                {
                    trace.Step(pe.Subnet.Inbound is null
                        ? $"Subnet {pe.Subnet.Path} has no network security group."
                        : $"Subnet {pe.Subnet.Path}'s group {pe.Subnet.Inbound.Group.Name} does not apply: private endpoint network policies are {pe.Subnet.Subnet.PrivateEndpointNetworkPolicies}.");
                    trace.Decisions.Add(new SecurityDecision { Direction = SecurityRuleDirection.Inbound, Level = SecurityLevel.Subnet, AssociatedWith = pe.Subnet.Path, Access = SecurityRuleAccess.Allow });
                    return trace.Verdict(FlowOutcome.Delivered, route, SecurityRuleAccess.Allow, destination: pe.Name);
                }

                return EvaluateLevel(pe.Subnet.Inbound, SecurityRuleDirection.Inbound, SecurityLevel.Subnet, pe.Subnet.Path, key, trace) is null
                    ? trace.Verdict(FlowOutcome.Delivered, route, SecurityRuleAccess.Allow, destination: pe.Name)
                    : trace.Verdict(FlowOutcome.DeniedBySecurityRule, route, destination: pe.Name);
            default:
                trace.Step(searchNetwork is null
                    ? $"No interface or private endpoint in the model has {Destination(key)}."
                    : $"No interface or private endpoint in virtual network {searchNetwork.Name} has {Destination(key)}.");
                return trace.Verdict(FlowOutcome.NoResourceAtDestination, route);
        }
    }

    private object? FindDestination(FlowRequest request, FlowKey key, VirtualNetwork? network)
    {
        if (request.DestinationNetworkInterface is { } name)
        {
            var nic = Interface(name);
            if (!nic.Addresses.Any(a => a.Family == key.Family && a.Value == key.Destination))
            {
                throw new NetworkException($"Network interface '{name}' does not have address {Destination(key)}.");
            }

            return network is null || string.Equals(nic.Subnet.Network.Name, network.Name, StringComparison.OrdinalIgnoreCase) ? nic : null;
        }

        var found = (_byAddress.GetValueOrDefault((key.Family, key.Destination)) ?? [])
            .Where(r => network is null || string.Equals(NetworkOf(r).Name, network.Name, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new NetworkException($"Several resources have address {Destination(key)} ({string.Join(", ", found.Select(NameOf))}); name the destination interface."),
        };
    }

    /// <summary>Resolves the source interface (null for an external source) and builds the flow key.</summary>
    private (InterfaceState? Source, FlowKey Key) Resolve(FlowRequest request, Trace trace)
    {
        ArgumentNullException.ThrowIfNull(request.DestinationAddress);
        var (family, destination) = IpAddressBits.ToBits(request.DestinationAddress);
        CheckPort(request.Protocol, request.SourcePort, nameof(request.SourcePort));
        CheckPort(request.Protocol, request.DestinationPort, nameof(request.DestinationPort));
        InterfaceState? source = null;
        UInt128 sourceValue;
        if (request.SourceNetworkInterface is { } name)
        {
            source = Interface(name);
            sourceValue = LocalAddress(source, family, request.SourceAddress);
        }
        else
        {
            var address = request.SourceAddress ?? throw new ArgumentException("A flow needs a source interface or a source address.", nameof(request));
            var (sourceFamily, value) = IpAddressBits.ToBits(address);
            if (sourceFamily != family)
            {
                throw new ArgumentException($"The source {address} and destination {request.DestinationAddress} are of different address families.", nameof(request));
            }

            sourceValue = value;
            var owners = _byAddress.GetValueOrDefault((family, value)) ?? [];
            var interfaces = owners.OfType<InterfaceState>().ToList();
            if (interfaces.Count > 1)
            {
                throw new NetworkException($"Several interfaces have address {address} ({string.Join(", ", interfaces.Select(i => i.Name))}); name the source interface.");
            }

            source = interfaces.FirstOrDefault();
            if (source is null && owners.OfType<EndpointState>().FirstOrDefault() is { } endpoint)
            {
                trace.Step($"Source {address} is private endpoint {endpoint.Name}; endpoints only answer connections, so it is treated as an external source.");
            }
        }

        return (source, FlowKey.Create(family, sourceValue, destination, request.Protocol, request.SourcePort, request.DestinationPort));
    }

    private static UInt128 LocalAddress(InterfaceState nic, IpFamily family, IPAddress? requested)
    {
        if (requested is not null)
        {
            var (requestedFamily, value) = IpAddressBits.ToBits(requested);
            return nic.Addresses.Any(a => a.Family == requestedFamily && a.Value == value) && requestedFamily == family
                ? value
                : throw new NetworkException($"Network interface '{nic.Name}' does not have address {requested} of the flow's address family.");
        }

        return nic.Addresses.FirstOrDefault(a => a.Family == family) is { Address: not null } match
            ? match.Value
            : throw new NetworkException($"Network interface '{nic.Name}' has no {(family == IpFamily.IPv4 ? "IPv4" : "IPv6")} address.");
    }

    private static void CheckPort(FlowProtocol protocol, int port, string name)
    {
        if (FlowKey.HasPorts(protocol) && port is < 0 or > PortRange.MaxPort)
        {
            throw new ArgumentOutOfRangeException(name, port, $"Ports are 0 to {PortRange.MaxPort}.");
        }
    }

    /// <summary>Evaluates one level; returns the denying decision, or null when the level allows.</summary>
    private static SecurityDecision? EvaluateLevel(CompiledRuleSet? rules, SecurityRuleDirection direction, SecurityLevel level, string associatedWith, in FlowKey key, Trace trace)
    {
        var where = level == SecurityLevel.Subnet ? $"subnet {associatedWith}" : $"interface {associatedWith}";
        if (rules is null)
        {
            trace.Step($"{direction} at {where}: no network security group, allowed.");
            trace.Decisions.Add(new SecurityDecision { Direction = direction, Level = level, AssociatedWith = associatedWith, Access = SecurityRuleAccess.Allow });
            return null;
        }

        var rule = rules.Match(key);
        var decision = new SecurityDecision
        {
            Direction = direction,
            Level = level,
            AssociatedWith = associatedWith,
            NetworkSecurityGroup = rules.Group.Name,
            RuleName = rule.Name,
            Priority = rule.Priority,
            Access = rule.Access,
            IsDefaultRule = rule.IsDefault,
        };
        trace.Decisions.Add(decision);
        trace.Deciding = decision;
        var verb = rule.Access == SecurityRuleAccess.Allow ? "allows" : "denies";
        trace.Step($"{direction} at {where}: {rules.Group.Name} rule '{rule.Name}' (priority {rule.Priority}{(rule.IsDefault ? ", default rule" : string.Empty)}) is the first match and {verb}{(rule.Access == SecurityRuleAccess.Deny ? "; processing stops" : string.Empty)}.");
        return rule.Access == SecurityRuleAccess.Deny ? decision : null;
    }

    private static VirtualNetwork NetworkOf(object resource) => resource switch
    {
        InterfaceState nic => nic.Subnet.Network,
        EndpointState pe => pe.Subnet.Network,
        _ => throw new InvalidOperationException(),
    };

    private static string NameOf(object resource) => resource switch
    {
        InterfaceState nic => $"interface {nic.Name}",
        EndpointState pe => $"private endpoint {pe.Name}",
        _ => resource.ToString() ?? string.Empty,
    };

    private static IPAddress Destination(FlowKey key) => IpAddressBits.ToAddress(key.Family, key.Destination);

    /// <summary>The steps and decisions of one evaluation, and the verdict they lead to.</summary>
    private sealed class Trace
    {
        private readonly List<string> _steps = [];

        public List<SecurityDecision> Decisions { get; } = [];

        public SecurityDecision? Deciding { get; set; }

        public void Step(string step) => _steps.Add(step);

        public FlowVerdict Verdict(FlowOutcome outcome, RouteEntry? route, SecurityRuleAccess access = SecurityRuleAccess.Deny, EgressMethod? egress = null, string? natGateway = null, string? destination = null) => new()
        {
            Access = access,
            Outcome = outcome,
            DecidingRule = Deciding,
            SecurityDecisions = [.. Decisions],
            Route = route,
            Egress = egress,
            NatGateway = natGateway,
            DestinationResource = destination,
            Explanation = [.. _steps],
        };
    }
}
