using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Rules;

/// <summary>A security rule with tags and groups expanded to addresses and ports normalised, in one scope.</summary>
internal sealed class ExpandedRule
{
    public required SecurityRule Rule { get; init; }

    public required bool IsDefault { get; init; }

    /// <summary>One bit per <see cref="Verification.FlowProtocol"/> value the rule matches.</summary>
    public required int ProtocolMask { get; init; }

    public required AddressSet Sources { get; init; }

    public required AddressSet Destinations { get; init; }

    public required PortSet SourcePorts { get; init; }

    public required PortSet DestinationPorts { get; init; }

    public required IReadOnlyList<string> SourceExpandedFrom { get; init; }

    public required IReadOnlyList<string> DestinationExpandedFrom { get; init; }

    public string Name => Rule.Name;

    public int Priority => Rule.Priority;

    public SecurityRuleAccess Access => Rule.Access;

    /// <summary>Whether two rules match exactly the same flows (after expansion).</summary>
    public bool SameMatch(ExpandedRule other) =>
        ProtocolMask == other.ProtocolMask && Sources.Equals(other.Sources) && Destinations.Equals(other.Destinations) &&
        SourcePorts.Equals(other.SourcePorts) && DestinationPorts.Equals(other.DestinationPorts);

    public static int MaskOf(SecurityRuleProtocol protocol) => protocol switch
    {
        SecurityRuleProtocol.Any => (1 << FlowKey.ProtocolCount) - 1,
        SecurityRuleProtocol.Tcp => 1 << 0,
        SecurityRuleProtocol.Udp => 1 << 1,
        SecurityRuleProtocol.Icmp => 1 << 2,
        SecurityRuleProtocol.Esp => 1 << 3,
        SecurityRuleProtocol.Ah => 1 << 4,
        _ => 0,
    };

    public static PortSet Ports(IReadOnlyList<string> texts) =>
        PortSet.From(texts.Select(t => PortRange.TryParse(t, out var range, out _) ? range : (PortRange?)null).OfType<PortRange>());
}
