using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Rules;
using Sluice.Network.Tags;

namespace Sluice.Network.Verification;

/// <summary>An address of an interface or endpoint, as text, integer and family.</summary>
internal readonly record struct HostAddress(IpFamily Family, UInt128 Value, IPAddress Address)
{
    public static HostAddress Parse(string text)
    {
        var address = IpPrefix.Parse(text).NetworkAddress;
        var (family, value) = IpAddressBits.ToBits(address);
        return new HostAddress(family, value, address);
    }
}

/// <summary>A subnet, compiled: its scope, routes and the subnet-level rules.</summary>
internal sealed class SubnetState
{
    public required VirtualNetwork Network { get; init; }

    public required Subnet Subnet { get; init; }

    public required AddressScope Scope { get; init; }

    public required EffectiveRouteTable Routes { get; init; }

    public NatGateway? NatGateway { get; init; }

    public CompiledRuleSet? Inbound { get; init; }

    public CompiledRuleSet? Outbound { get; init; }

    public string Path => $"{Network.Name}/{Subnet.Name}";
}

/// <summary>An interface, compiled: its subnet, addresses and interface-level rules.</summary>
internal sealed class InterfaceState
{
    public required NetworkInterface Interface { get; init; }

    public required SubnetState Subnet { get; init; }

    public required HostAddress[] Addresses { get; init; }

    public IPAddress? PublicIpAddress { get; init; }

    public CompiledRuleSet? Inbound { get; init; }

    public CompiledRuleSet? Outbound { get; init; }

    public string Name => Interface.Name;
}

/// <summary>A private endpoint, compiled: its subnet and addresses.</summary>
internal sealed class EndpointState
{
    public required PrivateEndpoint Endpoint { get; init; }

    public required SubnetState Subnet { get; init; }

    public required HostAddress[] Addresses { get; init; }

    /// <summary>Whether the subnet's NSG applies to the endpoint (policies Enabled or NetworkSecurityGroupEnabled).</summary>
    public bool SecurityGroupsApply => Subnet.Subnet.PrivateEndpointNetworkPolicies is PrivateEndpointNetworkPolicies.Enabled or PrivateEndpointNetworkPolicies.NetworkSecurityGroupEnabled;

    public string Name => Endpoint.Name;
}
