namespace Sluice.Network.Model;

/// <summary>A network security group: custom rules in both directions; Azure's default rules are added by the engine.</summary>
public sealed record NetworkSecurityGroup
{
    public required string Name { get; init; }

    /// <summary>The region; an NSG can only be associated with subnets and interfaces of virtual networks in the same region.</summary>
    public required string Location { get; init; }

    public IReadOnlyList<SecurityRule> SecurityRules { get; init; } = [];
}
