using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Verification;

/// <summary>A rule as it is evaluated: tags and application security groups expanded to prefixes.</summary>
public sealed record EffectiveSecurityRule
{
    public required string Name { get; init; }

    public required int Priority { get; init; }

    public required SecurityRuleAccess Access { get; init; }

    public required SecurityRuleProtocol Protocol { get; init; }

    public required bool IsDefault { get; init; }

    public required IReadOnlyList<IpPrefix> SourceAddressPrefixes { get; init; }

    public required IReadOnlyList<PortRange> SourcePortRanges { get; init; }

    public required IReadOnlyList<IpPrefix> DestinationAddressPrefixes { get; init; }

    public required IReadOnlyList<PortRange> DestinationPortRanges { get; init; }

    /// <summary>Tags (<c>VirtualNetwork</c>) and groups (<c>asg:AsgWeb</c>) the source prefixes were expanded from.</summary>
    public required IReadOnlyList<string> SourceExpandedFrom { get; init; }

    public required IReadOnlyList<string> DestinationExpandedFrom { get; init; }
}

/// <summary>The rules of one level, in evaluation order; with no group at the level, all traffic passes it.</summary>
public sealed record EffectiveSecurityLevel(SecurityLevel Level, string AssociatedWith, string? NetworkSecurityGroup, IReadOnlyList<EffectiveSecurityRule> Rules);

/// <summary>
/// The rules that apply to a subnet or interface, per direction, levels in Azure's order: inbound the subnet's group
/// then the interface's; outbound the interface's then the subnet's.
/// </summary>
public sealed record EffectiveSecurityRules(IReadOnlyList<EffectiveSecurityLevel> Inbound, IReadOnlyList<EffectiveSecurityLevel> Outbound);
