namespace Sluice.Network.Model;

/// <summary>
/// One rule of a network security group, shaped after Azure's <c>securityRules</c> resource.
/// Addresses are text because they may be <c>*</c>, an address, a CIDR prefix or a service tag name; each side
/// takes either address prefixes or application security groups, as in Azure.
/// </summary>
public sealed record SecurityRule
{
    public required string Name { get; init; }

    /// <summary>100–4096; lower numbers are processed first and processing stops at the first match.</summary>
    public required int Priority { get; init; }

    public required SecurityRuleDirection Direction { get; init; }

    public required SecurityRuleAccess Access { get; init; }

    public SecurityRuleProtocol Protocol { get; init; } = SecurityRuleProtocol.Any;

    /// <summary><c>*</c>, addresses, CIDR prefixes, or one service tag such as <c>VirtualNetwork</c> or <c>Storage.WestEurope</c>.</summary>
    public IReadOnlyList<string> SourceAddressPrefixes { get; init; } = [];

    /// <summary>Names of application security groups whose member interfaces are the source.</summary>
    public IReadOnlyList<string> SourceApplicationSecurityGroups { get; init; } = [];

    /// <summary><c>*</c>, ports such as <c>80</c>, or ranges such as <c>1000-2000</c>.</summary>
    public IReadOnlyList<string> SourcePortRanges { get; init; } = ["*"];

    public IReadOnlyList<string> DestinationAddressPrefixes { get; init; } = [];

    public IReadOnlyList<string> DestinationApplicationSecurityGroups { get; init; } = [];

    public IReadOnlyList<string> DestinationPortRanges { get; init; } = ["*"];

    public string? Description { get; init; }
}
