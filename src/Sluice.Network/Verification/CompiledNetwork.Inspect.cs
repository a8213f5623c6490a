using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Lint;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Rules;
using Sluice.Network.Tags;

namespace Sluice.Network.Verification;

public sealed partial class CompiledNetwork
{
    /// <summary>The rules that apply to an interface: its subnet's group and its own, tags and groups expanded, defaults included.</summary>
    public EffectiveSecurityRules EffectiveRules(string networkInterface)
    {
        var nic = Interface(networkInterface);
        var subnet = nic.Subnet;
        return new EffectiveSecurityRules(
            [Level(SecurityLevel.Subnet, subnet.Path, subnet.Inbound), Level(SecurityLevel.NetworkInterface, nic.Name, nic.Inbound)],
            [Level(SecurityLevel.NetworkInterface, nic.Name, nic.Outbound), Level(SecurityLevel.Subnet, subnet.Path, subnet.Outbound)]);
    }

    /// <summary>The rules of a subnet's group, as they apply to resources in that subnet.</summary>
    public EffectiveSecurityRules EffectiveRules(string virtualNetwork, string subnet)
    {
        var state = SubnetOf(virtualNetwork, subnet);
        return new EffectiveSecurityRules(
            [Level(SecurityLevel.Subnet, state.Path, state.Inbound)],
            [Level(SecurityLevel.Subnet, state.Path, state.Outbound)]);
    }

    /// <summary>A subnet's effective routes: system, BGP and user routes, overridden ones marked Invalid.</summary>
    public EffectiveRouteTable EffectiveRoutes(string virtualNetwork, string subnet) => SubnetOf(virtualNetwork, subnet).Routes;

    /// <summary>The next hop from an interface's subnet to a destination, as Azure Network Watcher's next hop reports it.</summary>
    public NextHopResult NextHop(string networkInterface, IPAddress destination) => NextHop(Interface(networkInterface).Subnet, destination);

    public NextHopResult NextHop(string virtualNetwork, string subnet, IPAddress destination) => NextHop(SubnetOf(virtualNetwork, subnet), destination);

    /// <summary>
    /// Checks a security group's rules for rules that can never match, duplicates, and rules that allow more than their
    /// name or description says. Tags depend on where the group is used, so the rules are checked in every scope the
    /// group is associated with; each finding lists where it holds.
    /// </summary>
    public LintReport Lint(string networkSecurityGroup)
    {
        var group = Model.FindNetworkSecurityGroup(networkSecurityGroup ?? throw new ArgumentNullException(nameof(networkSecurityGroup)))
            ?? throw new NetworkException($"No network security group is named '{networkSecurityGroup}'.");
        List<(CompiledRuleSet Rules, IReadOnlyList<string> Associations)> sets = [.. _ruleSets.Values
            .Where(s => ReferenceEquals(s.Group, group))
            .Select(s => (s, (IReadOnlyList<string>)_associations[s]))];
        if (!sets.Exists(s => s.Rules.Direction == SecurityRuleDirection.Inbound))
        {
            sets.Add((CompiledRuleSet.Compile(group, SecurityRuleDirection.Inbound, AddressScope.Unassociated, _resolver), [AddressScope.Unassociated.Description]));
            sets.Add((CompiledRuleSet.Compile(group, SecurityRuleDirection.Outbound, AddressScope.Unassociated, _resolver), [AddressScope.Unassociated.Description]));
        }

        return SecurityRuleLinter.Lint(group, sets);
    }

    private static NextHopResult NextHop(SubnetState subnet, IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (family, value) = IpAddressBits.ToBits(destination);
        var route = subnet.Routes.Select(family, value);
        if (route is null)
        {
            return new NextHopResult(null, null, null, [$"No route of subnet {subnet.Path} matches {destination}."]);
        }

        List<string> steps = [$"{route.Entry} is the route subnet {subnet.Path} uses for {destination} (longest prefix; user before BGP before system on equal prefixes)."];
        if (route.Entry.NextHopType == NextHopType.Internet && subnet.NatGateway is { } nat && family == IpFamily.IPv4)
        {
            steps.Add($"Internet-bound TCP and UDP traffic leaves through NAT gateway {nat.Name}.");
        }

        return new NextHopResult(route.Entry.NextHopType, route.Entry.NextHopIpAddress, route.Entry, steps);
    }

    private static EffectiveSecurityLevel Level(SecurityLevel level, string associatedWith, CompiledRuleSet? rules) =>
        new(level, associatedWith, rules?.Group.Name, rules is null ? [] : [.. rules.Rules.Select(Effective)]);

    private static EffectiveSecurityRule Effective(ExpandedRule rule) => new()
    {
        Name = rule.Name,
        Priority = rule.Priority,
        Access = rule.Access,
        Protocol = rule.Rule.Protocol,
        IsDefault = rule.IsDefault,
        SourceAddressPrefixes = rule.Sources.ToPrefixes(),
        SourcePortRanges = rule.SourcePorts.ToPortRanges(),
        DestinationAddressPrefixes = rule.Destinations.ToPrefixes(),
        DestinationPortRanges = rule.DestinationPorts.ToPortRanges(),
        SourceExpandedFrom = rule.SourceExpandedFrom,
        DestinationExpandedFrom = rule.DestinationExpandedFrom,
    };
}
