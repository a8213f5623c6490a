using System.Net;

namespace Sluice.Network.Verification;

/// <summary>
/// A flow to verify: from a network interface (by name, or by an address that belongs to exactly one interface) or
/// from an address outside the modelled networks, to a destination address.
/// </summary>
public sealed record FlowRequest
{
    /// <summary>The interface the flow starts from; when null, <see cref="SourceAddress"/> decides.</summary>
    public string? SourceNetworkInterface { get; init; }

    /// <summary>
    /// The source address. With <see cref="SourceNetworkInterface"/> it must be one of the interface's addresses
    /// (default: its address of the destination's family); alone, it is looked up among interfaces, and an address
    /// no interface has is an external source (the internet or on-premises).
    /// </summary>
    public IPAddress? SourceAddress { get; init; }

    public required IPAddress DestinationAddress { get; init; }

    /// <summary>Names the destination interface when the address alone is ambiguous (networks that are not peered may overlap).</summary>
    public string? DestinationNetworkInterface { get; init; }

    public FlowProtocol Protocol { get; init; } = FlowProtocol.Tcp;

    public int SourcePort { get; init; } = 49152;

    public int DestinationPort { get; init; }

    /// <summary>
    /// The packet is a response within a connection the destination opened. Security groups are stateful, so it is
    /// allowed exactly when the opposite flow (destination to source, ports swapped) is allowed as a new connection.
    /// </summary>
    public bool IsReturnTraffic { get; init; }
}
