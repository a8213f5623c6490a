namespace Sluice.Network.Model;

/// <summary>
/// One side of a virtual network peering. A peering is connected, and has any effect, only when the remote
/// network has a peering back to this one (Azure's <c>Connected</c> state; one side alone is <c>Initiated</c>).
/// </summary>
public sealed record Peering
{
    public required string Name { get; init; }

    public required string RemoteVirtualNetwork { get; init; }

    /// <summary>
    /// When false, the remote address space is left out of this network's <c>VirtualNetwork</c> service tag, so the
    /// default rules no longer allow traffic between the two; explicit rules still can.
    /// </summary>
    public bool AllowVirtualNetworkAccess { get; init; } = true;

    /// <summary>Whether traffic forwarded by an appliance in the remote network is accepted. Recorded; single-hop evaluation does not use it.</summary>
    public bool AllowForwardedTraffic { get; init; }

    /// <summary>Lets the remote network use this network's gateway (the remote side sets <see cref="UseRemoteGateways"/>).</summary>
    public bool AllowGatewayTransit { get; init; }

    /// <summary>Use the remote network's gateway: its on-premises prefixes become BGP routes and part of the VirtualNetwork tag here.</summary>
    public bool UseRemoteGateways { get; init; }
}
