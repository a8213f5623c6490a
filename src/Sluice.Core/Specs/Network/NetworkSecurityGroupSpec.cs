namespace Sluice.Core.Specs.Network;

/// <summary>A network security group (<c>az network nsg</c>): prioritized allow/deny rules for a subnet or a network interface.</summary>
public sealed record NetworkSecurityGroupSpec : NetworkResourceSpec
{
    public const string TypeName = "network_security_group";


    /// <summary>The user's rules. Azure's default rules (priorities 65000–65500) are implicit and not listed.</summary>
    public IReadOnlyList<SecurityRuleSpec> SecurityRules { get; init; } = [];
}

/// <summary>
/// One security rule. Each side names its addresses by exactly one of: prefixes (<c>*</c>, IP addresses, CIDRs, or a
/// single service tag) or application security groups. Lists are canonical: singular keys on input become one-item lists.
/// </summary>
public sealed record SecurityRuleSpec
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>100–4096, unique per direction within the group; lower numbers are evaluated first.</summary>
    public required int Priority { get; init; }

    public required SecurityRuleDirection Direction { get; init; }

    public required SecurityRuleAccess Access { get; init; }

    public required SecurityRuleProtocol Protocol { get; init; }

    /// <summary><c>*</c>, IP addresses, CIDRs, or one service tag name; empty when the side uses application security groups.</summary>
    public IReadOnlyList<string> SourceAddressPrefixes { get; init; } = [];

    /// <summary>Names of <c>application_security_group</c> resources.</summary>
    public IReadOnlyList<string> SourceApplicationSecurityGroups { get; init; } = [];

    /// <summary><c>*</c>, a port (<c>80</c>) or a range (<c>1000-2000</c>).</summary>
    public IReadOnlyList<string> SourcePortRanges { get; init; } = [];

    public IReadOnlyList<string> DestinationAddressPrefixes { get; init; } = [];

    public IReadOnlyList<string> DestinationApplicationSecurityGroups { get; init; } = [];

    public IReadOnlyList<string> DestinationPortRanges { get; init; } = [];
}
