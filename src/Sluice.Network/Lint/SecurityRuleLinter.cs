using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Rules;

namespace Sluice.Network.Lint;

/// <summary>Runs the checks of <see cref="Verification.CompiledNetwork.Lint"/> and merges findings across scopes.</summary>
internal static class SecurityRuleLinter
{
    public static LintReport Lint(NetworkSecurityGroup group, IReadOnlyList<(CompiledRuleSet Rules, IReadOnlyList<string> Associations)> sets)
    {
        var findings = new Dictionary<(LintFindingKind, SecurityRuleDirection, string), LintFinding>();
        foreach (var (rules, associations) in sets)
        {
            var analysis = new ShadowAnalysis(rules.Classifier);
            for (var index = 0; index < rules.Rules.Length; index++)
            {
                var rule = rules.Rules[index];
                if (rule.IsDefault)
                {
                    continue;
                }

                if (Check(rules.Rules, index, analysis) is { } finding)
                {
                    var key = (finding.Kind, rules.Direction, rule.Name);
                    findings[key] = findings.TryGetValue(key, out var existing)
                        ? existing with { Scopes = [.. existing.Scopes, .. associations], BlockingRules = [.. existing.BlockingRules.Union(finding.BlockingRules)] }
                        : finding with { Direction = rules.Direction, Scopes = associations };
                }
            }
        }

        foreach (var rule in group.SecurityRules)
        {
            if (BroaderThanName(rule) is { } finding)
            {
                findings[(finding.Kind, rule.Direction, rule.Name)] = finding;
            }
        }

        return new LintReport(group.Name, [.. findings.Values.OrderBy(f => f.Direction).ThenBy(f => f.Priority).ThenBy(f => f.Kind)]);
    }

    private static LintFinding? Check(ExpandedRule[] rules, int index, ShadowAnalysis analysis)
    {
        var rule = rules[index];
        for (var earlier = 0; earlier < index; earlier++)
        {
            if (rules[earlier].Access == rule.Access && rules[earlier].SameMatch(rule))
            {
                return Finding(LintFindingKind.Duplicate, rule, [rules[earlier].Name],
                    $"matches exactly the flows of earlier rule '{rules[earlier].Name}' ({rules[earlier].Priority}) with the same access; remove one");
            }
        }

        var (reachable, blocking) = analysis.Analyze(index);
        if (reachable)
        {
            return null;
        }

        if (blocking.Count == 0)
        {
            return Finding(LintFindingKind.MatchesNothing, rule, [],
                "matches no flow here (its addresses expand to nothing, or it limits ports for a protocol that has none)");
        }

        var blockers = blocking.Select(b => rules[b]).ToList();
        var names = blockers.Select(b => b.Name).ToList();
        var cover = blockers.Count == 1 ? $"earlier rule '{names[0]}' ({blockers[0].Priority}) matches every flow it matches" : $"the union of earlier rules {string.Join(", ", names.Select(n => $"'{n}'"))} matches every flow it matches";
        var effect = blockers.TrueForAll(b => b.Access == rule.Access)
            ? $"it is redundant: those flows are already {Verb(rule.Access)}"
            : $"its intent is overridden: some of the flows it would {Verb(rule.Access, past: false)} are {Verb(Opposite(rule.Access))} first";
        return Finding(LintFindingKind.Unreachable, rule, names, $"never matches: {cover}, so {effect}");
    }

    /// <summary>An allow rule whose name or description names services, ports or protocols, but which allows more.</summary>
    private static LintFinding? BroaderThanName(SecurityRule rule)
    {
        if (rule.Access != SecurityRuleAccess.Allow)
        {
            return null;
        }

        var words = NameTokenizer.Words(rule.Name).Concat(NameTokenizer.Words(rule.Description)).ToList();
        List<PortRange> ports = [];
        HashSet<SecurityRuleProtocol> protocols = [];
        List<string> mentions = [];
        foreach (var word in words)
        {
            if (WellKnownServices.ByWord.TryGetValue(word, out var service))
            {
                ports.AddRange(service.Ports);
                protocols.UnionWith(service.Protocols);
                mentions.Add($"{word} ({string.Join("/", service.Protocols).ToUpperInvariant()} {string.Join(",", service.Ports)})");
            }
            else if (word is "tcp" or "udp" or "icmp" or "esp" or "ah" or "ping")
            {
                protocols.Add(word switch
                {
                    "tcp" => SecurityRuleProtocol.Tcp,
                    "udp" => SecurityRuleProtocol.Udp,
                    "esp" => SecurityRuleProtocol.Esp,
                    "ah" => SecurityRuleProtocol.Ah,
                    _ => SecurityRuleProtocol.Icmp,
                });
                mentions.Add(word);
            }
            else if (int.TryParse(word, out var port) && port is > 0 and <= PortRange.MaxPort && port != rule.Priority)
            {
                ports.Add(new PortRange(port, port));
                mentions.Add(word);
            }
        }

        if (mentions.Count == 0)
        {
            return null;
        }

        List<string> problems = [];
        if (protocols.Count > 0 && (rule.Protocol == SecurityRuleProtocol.Any || !protocols.Contains(rule.Protocol)))
        {
            problems.Add($"it allows protocol {(rule.Protocol == SecurityRuleProtocol.Any ? "Any (*)" : rule.Protocol.ToString().ToUpperInvariant())}");
        }

        var expected = PortSet.From(ports);
        var actual = ExpandedRule.Ports(rule.DestinationPortRanges);
        var protocolHasPorts = rule.Protocol is SecurityRuleProtocol.Tcp or SecurityRuleProtocol.Udp or SecurityRuleProtocol.Any;
        if (ports.Count > 0 && protocolHasPorts && Extra(actual, expected) is { Count: > 0 } extra)
        {
            problems.Add($"its destination ports include {string.Join(", ", extra)}");
        }

        return problems.Count == 0
            ? null
            : Finding(LintFindingKind.BroaderThanName, (rule.Name, rule.Priority), [], $"its name or description mentions {string.Join(", ", mentions.Distinct())} but {string.Join(" and ", problems)}") with
            {
                Direction = rule.Direction,
            };
    }

    /// <summary>The real ports in <paramref name="actual"/> that are not in <paramref name="expected"/>.</summary>
    private static List<PortRange> Extra(PortSet actual, PortSet expected)
    {
        List<PortRange> extra = [];
        foreach (var (start, end) in actual.Ranges)
        {
            var from = start;
            foreach (var (expectedStart, expectedEnd) in expected.Ranges)
            {
                if (expectedEnd < from || expectedStart > end)
                {
                    continue;
                }

                if (expectedStart > from)
                {
                    extra.Add(new PortRange(from, expectedStart - 1));
                }

                from = expectedEnd + 1;
            }

            if (from <= Math.Min(end, PortRange.MaxPort))
            {
                extra.Add(new PortRange(from, Math.Min(end, PortRange.MaxPort)));
            }
        }

        return extra;
    }

    private static LintFinding Finding(LintFindingKind kind, ExpandedRule rule, IReadOnlyList<string> blocking, string reason) =>
        Finding(kind, (rule.Name, rule.Priority), blocking, reason) with { Direction = rule.Rule.Direction };

    private static LintFinding Finding(LintFindingKind kind, (string Name, int Priority) rule, IReadOnlyList<string> blocking, string reason) => new()
    {
        Kind = kind,
        Direction = SecurityRuleDirection.Inbound,
        RuleName = rule.Name,
        Priority = rule.Priority,
        BlockingRules = blocking,
        Reason = reason,
    };

    private static SecurityRuleAccess Opposite(SecurityRuleAccess access) =>
        access == SecurityRuleAccess.Allow ? SecurityRuleAccess.Deny : SecurityRuleAccess.Allow;

    private static string Verb(SecurityRuleAccess access, bool past = true) => (access, past) switch
    {
        (SecurityRuleAccess.Allow, true) => "allowed",
        (SecurityRuleAccess.Deny, true) => "denied",
        (SecurityRuleAccess.Allow, false) => "allow",
        _ => "deny",
    };
}
