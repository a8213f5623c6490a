using Sluice.Network.Model;
using Sluice.Network.Tags;

namespace Sluice.Network.Rules;

/// <summary>
/// The rules Azure puts in every network security group, after all custom rules (priorities 65000–65500). They
/// cannot be removed, only overridden by custom rules, which always come first.
/// </summary>
public static class DefaultSecurityRules
{
    public static IReadOnlyList<SecurityRule> Inbound { get; } =
    [
        Rule("AllowVnetInBound", 65000, SecurityRuleDirection.Inbound, SecurityRuleAccess.Allow, WellKnownServiceTags.VirtualNetwork, WellKnownServiceTags.VirtualNetwork),
        Rule("AllowAzureLoadBalancerInBound", 65001, SecurityRuleDirection.Inbound, SecurityRuleAccess.Allow, WellKnownServiceTags.AzureLoadBalancer, "*"),
        Rule("DenyAllInBound", 65500, SecurityRuleDirection.Inbound, SecurityRuleAccess.Deny, "*", "*"),
    ];

    public static IReadOnlyList<SecurityRule> Outbound { get; } =
    [
        Rule("AllowVnetOutBound", 65000, SecurityRuleDirection.Outbound, SecurityRuleAccess.Allow, WellKnownServiceTags.VirtualNetwork, WellKnownServiceTags.VirtualNetwork),
        Rule("AllowInternetOutBound", 65001, SecurityRuleDirection.Outbound, SecurityRuleAccess.Allow, "*", WellKnownServiceTags.Internet),
        Rule("DenyAllOutBound", 65500, SecurityRuleDirection.Outbound, SecurityRuleAccess.Deny, "*", "*"),
    ];

    public static IReadOnlyList<SecurityRule> For(SecurityRuleDirection direction) =>
        direction == SecurityRuleDirection.Inbound ? Inbound : Outbound;

    private static SecurityRule Rule(string name, int priority, SecurityRuleDirection direction, SecurityRuleAccess access, string source, string destination) => new()
    {
        Name = name,
        Priority = priority,
        Direction = direction,
        Access = access,
        Protocol = SecurityRuleProtocol.Any,
        SourceAddressPrefixes = [source],
        DestinationAddressPrefixes = [destination],
    };
}
