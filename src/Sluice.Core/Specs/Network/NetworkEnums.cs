using System.Text.Json.Serialization;

namespace Sluice.Core.Specs.Network;

// Values are written as Azure spells them (the JSON of 'az network … show'), matched case-insensitively on input.

public enum SecurityRuleDirection
{
    [JsonStringEnumMemberName("Inbound")]
    Inbound,

    [JsonStringEnumMemberName("Outbound")]
    Outbound,
}

public enum SecurityRuleAccess
{
    [JsonStringEnumMemberName("Allow")]
    Allow,

    [JsonStringEnumMemberName("Deny")]
    Deny,
}

public enum SecurityRuleProtocol
{
    [JsonStringEnumMemberName("Tcp")]
    Tcp,

    [JsonStringEnumMemberName("Udp")]
    Udp,

    [JsonStringEnumMemberName("Icmp")]
    Icmp,

    [JsonStringEnumMemberName("Esp")]
    Esp,

    [JsonStringEnumMemberName("Ah")]
    Ah,

    /// <summary>Any protocol: Azure's <c>*</c>.</summary>
    [JsonStringEnumMemberName("*")]
    Any,
}

public enum NextHopType
{
    [JsonStringEnumMemberName("VirtualNetworkGateway")]
    VirtualNetworkGateway,

    [JsonStringEnumMemberName("VnetLocal")]
    VnetLocal,

    [JsonStringEnumMemberName("Internet")]
    Internet,

    [JsonStringEnumMemberName("VirtualAppliance")]
    VirtualAppliance,

    /// <summary>Drop the traffic.</summary>
    [JsonStringEnumMemberName("None")]
    None,
}

public enum PrivateEndpointNetworkPolicies
{
    /// <summary>Azure's default: network security groups and route tables do not apply to private endpoints in the subnet.</summary>
    [JsonStringEnumMemberName("Disabled")]
    Disabled,

    [JsonStringEnumMemberName("Enabled")]
    Enabled,

    [JsonStringEnumMemberName("NetworkSecurityGroupEnabled")]
    NetworkSecurityGroupEnabled,

    [JsonStringEnumMemberName("RouteTableEnabled")]
    RouteTableEnabled,
}

public enum PrivateLinkConnectionStatus
{
    [JsonStringEnumMemberName("Approved")]
    Approved,

    [JsonStringEnumMemberName("Pending")]
    Pending,

    [JsonStringEnumMemberName("Rejected")]
    Rejected,

    [JsonStringEnumMemberName("Disconnected")]
    Disconnected,
}

public enum NetworkRuleAction
{
    [JsonStringEnumMemberName("Allow")]
    Allow,

    [JsonStringEnumMemberName("Deny")]
    Deny,
}

public enum NetworkRuleBypass
{
    [JsonStringEnumMemberName("None")]
    None,

    [JsonStringEnumMemberName("AzureServices")]
    AzureServices,

    [JsonStringEnumMemberName("Logging")]
    Logging,

    [JsonStringEnumMemberName("Metrics")]
    Metrics,
}

public enum VirtualNetworkGatewayType
{
    [JsonStringEnumMemberName("Vpn")]
    Vpn,

    [JsonStringEnumMemberName("ExpressRoute")]
    ExpressRoute,
}

/// <summary>What a private endpoint can connect to: the kinds of resource that have a private link.</summary>
public enum PrivateLinkTargetKind
{
    Workspace,
    StorageAccount,
    SecretStore,
    Registry,
}
