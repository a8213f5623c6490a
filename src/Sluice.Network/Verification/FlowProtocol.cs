namespace Sluice.Network.Verification;

/// <summary>The protocol of a flow. ICMP, ESP and AH carry no ports (ICMP covers ICMPv6 for IPv6 flows).</summary>
public enum FlowProtocol
{
    Tcp,
    Udp,
    Icmp,
    Esp,
    Ah,
}
