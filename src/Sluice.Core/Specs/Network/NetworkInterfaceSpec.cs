namespace Sluice.Core.Specs.Network;

/// <summary>A network interface (<c>az network nic</c>): an addressable machine in a subnet.</summary>
public sealed record NetworkInterfaceSpec : NetworkResourceSpec
{
    public const string TypeName = "network_interface";


    public required SubnetReference Subnet { get; init; }

    /// <summary>The interface's address in the subnet; when omitted the server assigns the lowest free one (Azure's dynamic allocation) and keeps it.</summary>
    public string? PrivateIpAddress { get; init; }

    /// <summary>A public address the machine is reachable on from the internet, if any.</summary>
    public string? PublicIpAddress { get; init; }

    /// <summary>The name of a <c>network_security_group</c> applied to this interface (besides its subnet's).</summary>
    public string? NetworkSecurityGroup { get; init; }

    /// <summary>Names of <c>application_security_group</c> resources the interface joins.</summary>
    public IReadOnlyList<string> ApplicationSecurityGroups { get; init; } = [];

    /// <summary>Whether the machine may forward traffic not addressed to it (a network virtual appliance).</summary>
    public bool EnableIpForwarding { get; init; }
}
