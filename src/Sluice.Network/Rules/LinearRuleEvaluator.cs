using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Tags;
using Sluice.Network.Verification;

namespace Sluice.Network.Rules;

/// <summary>
/// The straightforward reading of Azure's rule processing, kept as the reference the compiled classifier is checked
/// against (and measured against): walk the rules in priority order and stop at the first whose protocol, addresses
/// and ports all match. It shares only tag lookup with the compiled path: prefixes are matched one by one, with no
/// set algebra and no intervals.
/// </summary>
internal sealed class LinearRuleEvaluator
{
    private readonly LinearRule[] _rules;

    private LinearRuleEvaluator(LinearRule[] rules) => _rules = rules;

    public int RuleCount => _rules.Length;

    public static LinearRuleEvaluator Create(NetworkSecurityGroup group, SecurityRuleDirection direction, AddressScope scope, AddressResolver resolver) =>
        new([.. CompiledRuleSet.Order(group, direction).Select(r =>
        {
            PortRange[] sourcePorts = [.. r.Rule.SourcePortRanges.Select(PortRange.Parse)];
            PortRange[] destinationPorts = [.. r.Rule.DestinationPortRanges.Select(PortRange.Parse)];
            return new LinearRule(
                r.Rule.Name,
                r.Rule.Protocol,
                [.. resolver.Prefixes(r.Rule.SourceAddressPrefixes, r.Rule.SourceApplicationSecurityGroups, scope)],
                [.. resolver.Prefixes(r.Rule.DestinationAddressPrefixes, r.Rule.DestinationApplicationSecurityGroups, scope)],
                sourcePorts,
                destinationPorts,
                CoversEveryPort(sourcePorts),
                CoversEveryPort(destinationPorts));
        })]);

    /// <summary>The index of the first matching rule (custom rules by priority, then defaults), or -1.</summary>
    public int Match(IpFamily family, UInt128 source, UInt128 destination, FlowProtocol protocol, int sourcePort, int destinationPort)
    {
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (ProtocolMatches(rule.Protocol, protocol) &&
                AnyContains(rule.Sources, family, source) &&
                AnyContains(rule.Destinations, family, destination) &&
                PortsMatch(rule.SourcePorts, rule.SourceCoversEveryPort, protocol, sourcePort) &&
                PortsMatch(rule.DestinationPorts, rule.DestinationCoversEveryPort, protocol, destinationPort))
            {
                return i;
            }
        }

        return -1;
    }

    public string RuleName(int index) => _rules[index].Name;

    private static bool ProtocolMatches(SecurityRuleProtocol rule, FlowProtocol flow) =>
        rule == SecurityRuleProtocol.Any || (int)rule == (int)flow;

    private static bool AnyContains(IpPrefix[] prefixes, IpFamily family, UInt128 address)
    {
        foreach (var prefix in prefixes)
        {
            if (prefix.Contains(family, address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Protocols without ports match only a rule whose ranges cover every port.</summary>
    private static bool PortsMatch(PortRange[] ranges, bool coversEveryPort, FlowProtocol protocol, int port)
    {
        if (!FlowKey.HasPorts(protocol))
        {
            return coversEveryPort;
        }

        foreach (var range in ranges)
        {
            if (range.Contains(port))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CoversEveryPort(PortRange[] ranges)
    {
        var covered = new bool[PortRange.MaxPort + 1];
        foreach (var range in ranges)
        {
            Array.Fill(covered, true, range.Start, range.End - range.Start + 1);
        }

        return Array.TrueForAll(covered, c => c);
    }

    private sealed record LinearRule(
        string Name,
        SecurityRuleProtocol Protocol,
        IpPrefix[] Sources,
        IpPrefix[] Destinations,
        PortRange[] SourcePorts,
        PortRange[] DestinationPorts,
        bool SourceCoversEveryPort,
        bool DestinationCoversEveryPort);
}
