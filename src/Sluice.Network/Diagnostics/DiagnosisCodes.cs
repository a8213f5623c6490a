using Sluice.Network.Model;

namespace Sluice.Network.Diagnostics;

/// <summary>
/// The stable codes of <see cref="DiagnosisFinding.Code"/>. Codes never change meaning; new problems get new codes.
/// Codes with a suffix (<c>PrivateEndpointMissing.Blob</c>, <c>RequiredOutboundBlocked.Storage</c>) name what is missing.
/// </summary>
public static class DiagnosisCodes
{
    // user_defined_routes

    /// <summary>A 0.0.0.0/0 route sends management traffic (BatchNodeManagement, AzureMachineLearning) to an appliance or gateway.</summary>
    public const string ForcedTunnelingWithoutInternetForManagement = nameof(ForcedTunnelingWithoutInternetForManagement);

    /// <summary>Required outbound traffic goes to a virtual appliance or gateway, whose rules are not modelled.</summary>
    public const string RequiredOutboundViaAppliance = nameof(RequiredOutboundViaAppliance);

    // network_security_rules

    public const string NodeManagementInboundBlocked = nameof(NodeManagementInboundBlocked);

    /// <summary>Prefix of the codes for required outbound traffic that is denied or dropped; the suffix names the destination.</summary>
    public const string RequiredOutboundBlocked = nameof(RequiredOutboundBlocked);

    /// <summary>A service tag a check needs is not loaded (or has no IPv4 prefixes), so the check could not run.</summary>
    public const string ServiceTagNotLoaded = nameof(ServiceTagNotLoaded);

    // dns_resolution

    public const string PrivateEndpointDnsRecordsMissing = nameof(PrivateEndpointDnsRecordsMissing);

    /// <summary>Two private endpoints answer for the same name; one private DNS zone holds only one of them.</summary>
    public const string PrivateEndpointDnsConflict = nameof(PrivateEndpointDnsConflict);

    // storage_account, key_vault, container_registry

    /// <summary>Prefix: a private workspace's storage account lacks the private endpoint of a group (<c>.Blob</c>, <c>.File</c>, <c>.Queue</c>, <c>.Table</c>).</summary>
    public const string PrivateEndpointMissing = nameof(PrivateEndpointMissing);

    public const string PrivateEndpointNotApproved = nameof(PrivateEndpointNotApproved);

    /// <summary>A private workspace's service is reachable only over its public endpoint.</summary>
    public const string ReachableOnlyPublicly = nameof(ReachableOnlyPublicly);

    /// <summary>A service with public access disabled has no approved private endpoint the workspace's networks reach.</summary>
    public const string ServiceUnreachable = nameof(ServiceUnreachable);

    /// <summary>The service has approved private endpoints, but none is routed from a compute's subnet, and public access is disabled.</summary>
    public const string PrivateEndpointNotReachableFromCompute = nameof(PrivateEndpointNotReachableFromCompute);

    public const string StorageFirewallExcludesCompute = nameof(StorageFirewallExcludesCompute);

    public const string SecretStoreFirewallExcludesCompute = nameof(SecretStoreFirewallExcludesCompute);

    public const string RegistryFirewallExcludesCompute = nameof(RegistryFirewallExcludesCompute);

    public const string RegistryQuarantineUnsupported = nameof(RegistryQuarantineUnsupported);

    /// <summary>The workspace names a service the input does not describe, so it was not checked.</summary>
    public const string ServiceNotDescribed = nameof(ServiceNotDescribed);

    /// <summary>Sluice: a service's address is unknown (no public address, no private endpoint), so reaching it was not checked.</summary>
    public const string ServiceAddressUnknown = nameof(ServiceAddressUnknown);

    // other

    public const string WorkspacePrivateEndpointMissing = nameof(WorkspacePrivateEndpointMissing);

    public const string WorkspaceUnreachableFromCompute = nameof(WorkspaceUnreachableFromCompute);

    public const string ComputeWithoutVirtualNetwork = nameof(ComputeWithoutVirtualNetwork);

    public const string ComputeSubnetNotFound = nameof(ComputeSubnetNotFound);

    public const string SubnetTooSmall = nameof(SubnetTooSmall);

    public const string SubnetDelegated = nameof(SubnetDelegated);

    public const string ComputeRegionMismatch = nameof(ComputeRegionMismatch);

    public const string ComputeVirtualNetworkRegionMismatch = nameof(ComputeVirtualNetworkRegionMismatch);

    public const string KubernetesNetworkInvalid = nameof(KubernetesNetworkInvalid);

    public const string KubernetesServiceCidrOverlapsSubnet = nameof(KubernetesServiceCidrOverlapsSubnet);

    public const string KubernetesDnsServiceIpOutsideServiceCidr = nameof(KubernetesDnsServiceIpOutsideServiceCidr);

    public const string KubernetesDockerBridgeOverlaps = nameof(KubernetesDockerBridgeOverlaps);

    public const string EndpointNetworkModeDiffers = nameof(EndpointNetworkModeDiffers);

    /// <summary>The traffic of a compute could not be evaluated (e.g. its subnet has no free address to evaluate from).</summary>
    public const string ComputeTrafficNotChecked = nameof(ComputeTrafficNotChecked);

    /// <summary><c>PrivateEndpointMissing.Blob</c> and so on.</summary>
    public static string PrivateEndpointMissingFor(PrivateEndpointGroupId group) => $"{PrivateEndpointMissing}.{group}";

    /// <summary><c>RequiredOutboundBlocked.Storage</c> and so on.</summary>
    public static string RequiredOutboundBlockedFor(string destination) => $"{RequiredOutboundBlocked}.{destination}";
}
