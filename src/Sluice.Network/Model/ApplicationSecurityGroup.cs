namespace Sluice.Network.Model;

/// <summary>A named group of network interfaces that security rules can use instead of addresses.</summary>
public sealed record ApplicationSecurityGroup
{
    public required string Name { get; init; }
}
