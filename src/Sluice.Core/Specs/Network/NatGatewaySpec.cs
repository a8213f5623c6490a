namespace Sluice.Core.Specs.Network;

/// <summary>A NAT gateway (<c>az network nat gateway</c>): outbound internet traffic of its subnets leaves from its public addresses.</summary>
public sealed record NatGatewaySpec : NetworkResourceSpec
{
    public const string TypeName = "nat_gateway";


    /// <summary>Public IPv4 addresses that outbound connections appear to come from.</summary>
    public IReadOnlyList<string> PublicIpAddresses { get; init; } = [];

    /// <summary>Minutes an idle TCP flow is kept (Azure: 4–120, default 4).</summary>
    public int IdleTimeoutInMinutes { get; init; } = 4;
}

/// <summary>An application security group (<c>az network asg</c>): a name that security rules use for the network interfaces that join it.</summary>
public sealed record ApplicationSecurityGroupSpec : NetworkResourceSpec
{
    public const string TypeName = "application_security_group";

}
