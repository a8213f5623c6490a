using Sluice.Network.Model;
using Sluice.Network.Rules.Classification;
using Sluice.Network.Tags;

namespace Sluice.Network.Rules;

/// <summary>One direction of one security group, expanded in one scope and compiled into a classifier.</summary>
internal sealed class CompiledRuleSet
{
    private CompiledRuleSet(NetworkSecurityGroup group, SecurityRuleDirection direction, AddressScope scope, ExpandedRule[] rules)
    {
        Group = group;
        Direction = direction;
        Scope = scope;
        Rules = rules;
        Classifier = RuleClassifier.Build(rules);
    }

    public NetworkSecurityGroup Group { get; }

    public SecurityRuleDirection Direction { get; }

    public AddressScope Scope { get; }

    /// <summary>The rules in evaluation order: custom rules by priority, then Azure's default rules.</summary>
    public ExpandedRule[] Rules { get; }

    public RuleClassifier Classifier { get; }

    /// <summary>The deciding rule: the first, in priority order, that matches the flow.</summary>
    public ExpandedRule Match(in FlowKey key) => Rules[Classifier.Match(key)];

    public static CompiledRuleSet Compile(NetworkSecurityGroup group, SecurityRuleDirection direction, AddressScope scope, AddressResolver resolver)
    {
        var rules = Order(group, direction)
            .Select(r => Expand(r.Rule, r.IsDefault, scope, resolver))
            .ToArray();
        return new CompiledRuleSet(group, direction, scope, rules);
    }

    /// <summary>Custom rules of the direction by ascending priority, then the defaults.</summary>
    public static IEnumerable<(SecurityRule Rule, bool IsDefault)> Order(NetworkSecurityGroup group, SecurityRuleDirection direction) =>
        group.SecurityRules.Where(r => r.Direction == direction).OrderBy(r => r.Priority).Select(r => (r, false))
            .Concat(DefaultSecurityRules.For(direction).Select(r => (r, true)));

    public static ExpandedRule Expand(SecurityRule rule, bool isDefault, AddressScope scope, AddressResolver resolver)
    {
        List<string> sourceFrom = [];
        List<string> destinationFrom = [];
        return new ExpandedRule
        {
            Rule = rule,
            IsDefault = isDefault,
            ProtocolMask = ExpandedRule.MaskOf(rule.Protocol),
            Sources = resolver.Resolve(rule.SourceAddressPrefixes, rule.SourceApplicationSecurityGroups, scope, sourceFrom),
            Destinations = resolver.Resolve(rule.DestinationAddressPrefixes, rule.DestinationApplicationSecurityGroups, scope, destinationFrom),
            SourcePorts = ExpandedRule.Ports(rule.SourcePortRanges),
            DestinationPorts = ExpandedRule.Ports(rule.DestinationPortRanges),
            SourceExpandedFrom = sourceFrom,
            DestinationExpandedFrom = destinationFrom,
        };
    }
}
