namespace Sluice.Network.Model;

/// <summary>A network interface; Sluice's compute nodes are interfaces in a subnet.</summary>
public sealed record NetworkInterface
{
    public required string Name { get; init; }

    public required string VirtualNetwork { get; init; }

    public required string Subnet { get; init; }

    public required string PrivateIpAddress { get; init; }

    /// <summary>Further private addresses, e.g. the IPv6 address of a dual-stack interface.</summary>
    public IReadOnlyList<string> SecondaryPrivateIpAddresses { get; init; } = [];

    /// <summary>An interface-level NSG, evaluated after the subnet's NSG inbound and before it outbound.</summary>
    public string? NetworkSecurityGroup { get; init; }

    public IReadOnlyList<string> ApplicationSecurityGroups { get; init; } = [];

    /// <summary>An instance-level public IP, used for outbound internet traffic when the subnet has no NAT gateway.</summary>
    public string? PublicIpAddress { get; init; }
}
