using Sluice.Network.Addressing;
using Sluice.Network.Verification;

namespace Sluice.Network.Rules;

/// <summary>
/// A flow's 5-tuple as the classifier reads it. Portless protocols (ICMP, ESP, AH) carry <see cref="NoPort"/> in both
/// port fields: only a rule whose ports cover every port (<c>*</c> or <c>0-65535</c>) matches them, as the default
/// rules must.
/// </summary>
internal readonly record struct FlowKey(IpFamily Family, UInt128 Source, UInt128 Destination, int Protocol, int SourcePort, int DestinationPort)
{
    /// <summary>One past the last real port: the value portless flows carry.</summary>
    public const int NoPort = PortRange.MaxPort + 1;

    public const int ProtocolCount = 5;

    public static bool HasPorts(FlowProtocol protocol) => protocol is FlowProtocol.Tcp or FlowProtocol.Udp;

    public static FlowKey Create(IpFamily family, UInt128 source, UInt128 destination, FlowProtocol protocol, int sourcePort, int destinationPort) =>
        HasPorts(protocol)
            ? new FlowKey(family, source, destination, (int)protocol, sourcePort, destinationPort)
            : new FlowKey(family, source, destination, (int)protocol, NoPort, NoPort);
}
