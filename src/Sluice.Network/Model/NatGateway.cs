namespace Sluice.Network.Model;

/// <summary>A NAT gateway: outbound internet traffic of its subnets leaves from these public IPv4 addresses.</summary>
public sealed record NatGateway
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> PublicIpAddresses { get; init; }
}
