using System.Globalization;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Verification;

namespace Sluice.Network.Diagnostics;

/// <summary>What a check needs to say about a flow it asked the engine about, in words.</summary>
internal sealed record FlowDescription
{
    public required FlowProtocol Protocol { get; init; }

    /// <summary>The destination ports as a rule writes them: <c>443</c> or <c>29876-29877</c>.</summary>
    public required string Ports { get; init; }

    /// <summary>The source for a rule that would allow the flow: a tag, a prefix or <c>VirtualNetwork</c>.</summary>
    public required string RuleSource { get; init; }

    public required string RuleDestination { get; init; }

    /// <summary>The flow for people, e.g. "outbound TCP 443 to service tag Storage.WestEurope (20.60.1.0)".</summary>
    public required string Text { get; init; }
}

/// <summary>How the engine's verdict on a required flow is reported: by the rule or route that decided, with the fix.</summary>
internal static class FlowFindings
{
    /// <summary>Whether the verdict lets the flow through (delivered, or out of the modelled networks other than towards on-premises).</summary>
    public static bool IsAllowed(FlowVerdict verdict) =>
        verdict.Outcome is FlowOutcome.Delivered or FlowOutcome.AllowedAsReturnTraffic ||
        (verdict.Outcome == FlowOutcome.LeftNetwork && verdict.Route?.NextHopType != NextHopType.VirtualNetworkGateway);

    /// <summary>Handed to an appliance or a gateway: allowed as far as the model goes, but what happens next is not modelled.</summary>
    public static bool IsHandedOff(FlowVerdict verdict) =>
        verdict.Outcome == FlowOutcome.ForwardedToAppliance ||
        (verdict.Outcome == FlowOutcome.LeftNetwork && verdict.Route?.NextHopType == NextHopType.VirtualNetworkGateway);

    /// <summary>
    /// Reports a required flow the engine does not let through: a denying rule goes to network_security_rules with the
    /// rule to add; a route or missing way out goes to user_defined_routes with the route or NAT gateway to add.
    /// </summary>
    public static void ReportBlocked(DiagnosisContext context, ComputePlacement placement, string code, FindingLevel level, string subject, FlowDescription flow, FlowVerdict verdict, string consequence)
    {
        if (verdict.Outcome == FlowOutcome.DeniedBySecurityRule && verdict.DecidingRule is { NetworkSecurityGroup: { } nsg } decision)
        {
            context.Report(DiagnosisGroup.NetworkSecurityRules, code, level, $"network_security_group:{nsg}",
                $"{subject}: {flow.Text} is denied by {Describe(decision)}; {consequence}. Fix: {RuleFix(context, decision, flow)}");
            return;
        }

        var (resource, fix) = RouteFix(placement, verdict, flow);
        context.Report(DiagnosisGroup.UserDefinedRoutes, code, level, resource,
            $"{subject}: {flow.Text} does not get through: {Why(verdict)} As a result, {consequence}. Fix: {fix}");
    }

    /// <summary>"rule 'deny-all' (priority 200) of network security group nsg1 on subnet v/s".</summary>
    public static string Describe(SecurityDecision decision)
    {
        var where = decision.Level == SecurityLevel.Subnet ? "subnet" : "network interface";
        var kind = decision.IsDefaultRule ? "default rule" : "rule";
        return $"{kind} '{decision.RuleName}' (priority {decision.Priority}) of network security group {decision.NetworkSecurityGroup} on {where} {decision.AssociatedWith}";
    }

    public static string Describe(RouteEntry route) => route.ToString();

    /// <summary>The rule that would let the flow pass the deciding group, with a free priority that takes precedence.</summary>
    public static string RuleFix(DiagnosisContext context, SecurityDecision decision, FlowDescription flow)
    {
        var direction = decision.Direction.ToString().ToLowerInvariant();
        var nsg = decision.NetworkSecurityGroup!;
        var rule = $"an {direction} security rule to {nsg} that allows {Protocol(flow.Protocol)} {flow.Ports} from {flow.RuleSource} to {flow.RuleDestination}";
        var group = context.Model.FindNetworkSecurityGroup(nsg);
        var priority = group is null ? null : FreePriorityBelow(group, decision.Direction, decision.Priority ?? 4097);
        return priority is { } p
            ? $"add {rule} with priority {p.ToString(CultureInfo.InvariantCulture)} (any free priority below {decision.Priority} is processed before '{decision.RuleName}')."
            : $"add {rule} with a priority lower than {decision.Priority}; none is free, so renumber the rules of {nsg} or narrow '{decision.RuleName}'.";
    }

    /// <summary>The highest free priority below <paramref name="below"/>, preferring multiples of ten; null when 100 to below-1 are all taken.</summary>
    public static int? FreePriorityBelow(NetworkSecurityGroup group, SecurityRuleDirection direction, int below)
    {
        var taken = group.SecurityRules.Where(r => r.Direction == direction).Select(r => r.Priority).ToHashSet();
        var top = Math.Min(below - 1, 4096);
        for (var p = top - (top % 10); p >= 100; p -= 10)
        {
            if (!taken.Contains(p))
            {
                return p;
            }
        }

        for (var p = top; p >= 100; p--)
        {
            if (!taken.Contains(p))
            {
                return p;
            }
        }

        return null;
    }

    public static string Protocol(FlowProtocol protocol) => protocol.ToString().ToUpperInvariant();

    /// <summary>Why a flow that no rule denied still did not get through, from the engine's own account.</summary>
    private static string Why(FlowVerdict verdict)
    {
        var last = verdict.Explanation.Count == 0 ? verdict.Outcome.ToString() : verdict.Explanation[^1];
        return verdict.Route is { } route && verdict.Outcome is FlowOutcome.DroppedByRoute or FlowOutcome.NoResourceAtDestination
            ? $"the subnet routes it by {Describe(route)}. {last}"
            : last;
    }

    private static (string? Resource, string Fix) RouteFix(ComputePlacement placement, FlowVerdict verdict, FlowDescription flow)
    {
        var route = verdict.Route;
        switch (verdict.Outcome)
        {
            case FlowOutcome.NoOutboundConnectivity:
                return ($"subnet:{placement.Path}", $"attach a NAT gateway to subnet {placement.Path} (or give the nodes public IPs) so that they have a way to the internet.");
            case FlowOutcome.PrivateEndpointNotApproved:
                return (verdict.DestinationResource is null ? null : $"private_endpoint:{verdict.DestinationResource}", "approve the private endpoint connection on the target resource.");
            case FlowOutcome.DroppedByRoute or FlowOutcome.NoResourceAtDestination when route?.Source == RouteSource.User:
                return ($"route_table:{placement.Subnet.RouteTable}", $"remove or change user route '{route.Name}' of route table {placement.Subnet.RouteTable}, or add a more specific user route for {flow.RuleDestination} with next hop Internet (a service tag can be a route's address prefix).");
            default:
                return ($"subnet:{placement.Path}", $"add a user route for {flow.RuleDestination} that leads to it (next hop Internet for a public service, or peer the network that holds it).");
        }
    }
}
