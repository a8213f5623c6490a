namespace Sluice.Network.Model;

/// <summary>Which traffic a security rule filters, seen from the resource the NSG protects.</summary>
public enum SecurityRuleDirection
{
    Inbound,
    Outbound,
}

public enum SecurityRuleAccess
{
    Allow,
    Deny,
}

/// <summary>The protocol a security rule matches; <see cref="Any"/> is Azure's <c>*</c> and matches every protocol.</summary>
public enum SecurityRuleProtocol
{
    Tcp,
    Udp,
    Icmp,
    Esp,
    Ah,
    Any,
}
