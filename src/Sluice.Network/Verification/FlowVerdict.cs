using Sluice.Network.Model;
using Sluice.Network.Routing;

namespace Sluice.Network.Verification;

/// <summary>What happened to a flow, more precisely than allow or deny.</summary>
public enum FlowOutcome
{
    /// <summary>Reached an interface or private endpoint in the model and every security group allowed it.</summary>
    Delivered,

    /// <summary>Allowed out of the modelled networks: to the internet, on-premises, or a service over a service endpoint.</summary>
    LeftNetwork,

    /// <summary>Allowed out and handed to a virtual appliance; what the appliance does is not modelled.</summary>
    ForwardedToAppliance,

    /// <summary>A response of a connection the other side opened, which the security groups allow.</summary>
    AllowedAsReturnTraffic,

    DeniedBySecurityRule,

    /// <summary>The chosen route's next hop is None.</summary>
    DroppedByRoute,

    /// <summary>No route matches the destination (e.g. IPv6 from a network without IPv6 space).</summary>
    NoRoute,

    /// <summary>The private endpoint's connection is not approved, so the service is not reached.</summary>
    PrivateEndpointNotApproved,

    /// <summary>Internet-bound but with no outbound path (private subnet, NAT gateway for a protocol it does not carry, IPv6 without a public address).</summary>
    NoOutboundConnectivity,

    /// <summary>Routed inside a modelled network, but no interface or private endpoint has the address.</summary>
    NoResourceAtDestination,

    /// <summary>A response for which no connection can exist, because the opposite flow is not allowed.</summary>
    NoEstablishedFlow,
}

/// <summary>How internet-bound traffic leaves, in Azure's order of precedence after routing.</summary>
public enum EgressMethod
{
    NatGateway,
    InstancePublicIp,
    DefaultOutboundAccess,
}

/// <summary>Where a security group is associated.</summary>
public enum SecurityLevel
{
    Subnet,
    NetworkInterface,
}

/// <summary>
/// One security group level's verdict on a flow. With no group at the level (or, for a private endpoint, network
/// policies that exclude NSGs) the level allows and <see cref="NetworkSecurityGroup"/> is null.
/// </summary>
public sealed record SecurityDecision
{
    public required SecurityRuleDirection Direction { get; init; }

    public required SecurityLevel Level { get; init; }

    /// <summary>The subnet (<c>network/subnet</c>) or interface the level belongs to.</summary>
    public required string AssociatedWith { get; init; }

    public string? NetworkSecurityGroup { get; init; }

    public string? RuleName { get; init; }

    public int? Priority { get; init; }

    public required SecurityRuleAccess Access { get; init; }

    public bool IsDefaultRule { get; init; }

    public override string ToString() => NetworkSecurityGroup is null
        ? $"{Direction} {Level} ({AssociatedWith}): no security group, {Access}"
        : $"{Direction} {Level} ({AssociatedWith}): {NetworkSecurityGroup}/{RuleName} (priority {Priority}) {Access}";
}

/// <summary>The verdict on a flow: allowed or not, why, which rule decided, the route taken and how it leaves.</summary>
public sealed record FlowVerdict
{
    public required SecurityRuleAccess Access { get; init; }

    public required FlowOutcome Outcome { get; init; }

    /// <summary>The rule that decided: the denying rule, or the last rule that allowed; null when no group applied.</summary>
    public SecurityDecision? DecidingRule { get; init; }

    /// <summary>Every level evaluated, in order (outbound at the source, then inbound at the destination).</summary>
    public IReadOnlyList<SecurityDecision> SecurityDecisions { get; init; } = [];

    /// <summary>The route chosen at the source subnet; null for external sources or when no route matched.</summary>
    public RouteEntry? Route { get; init; }

    public EgressMethod? Egress { get; init; }

    /// <summary>The NAT gateway internet traffic leaves through, when it does.</summary>
    public string? NatGateway { get; init; }

    /// <summary>The interface or private endpoint that received the flow.</summary>
    public string? DestinationResource { get; init; }

    /// <summary>The evaluation in steps, for people.</summary>
    public required IReadOnlyList<string> Explanation { get; init; }
}

/// <summary>The security groups' verdict on a flow at one interface, as Azure's IP flow verify gives it.</summary>
public sealed record SecurityVerdict(SecurityRuleAccess Access, SecurityDecision? DecidingRule, IReadOnlyList<SecurityDecision> Decisions);

/// <summary>The next hop from a subnet to a destination, with the route and the reasoning.</summary>
public sealed record NextHopResult(NextHopType? NextHopType, System.Net.IPAddress? NextHopIpAddress, RouteEntry? Route, IReadOnlyList<string> Explanation);
