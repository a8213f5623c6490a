using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Verification;

namespace Sluice.Network.Diagnostics;

/// <summary>
/// A service firewall that denies by default must admit every compute: through a virtual network rule for its subnet
/// (with the service endpoint on the subnet), a private endpoint the nodes reach, or an IP rule for the fixed public
/// address the nodes leave from (a NAT gateway's).
/// </summary>
internal static class FirewallChecks
{
    public static void Check(DiagnosisContext context)
    {
        foreach (var service in ServiceInUse.Of(context))
        {
            if (service.Facts is not { PublicNetworkAccess: PublicNetworkAccess.Enabled, Firewall.DefaultAction: FirewallAction.Deny } facts)
            {
                continue;
            }

            foreach (var placement in context.Placements)
            {
                Admits(context, service, facts, placement);
            }
        }
    }

    private static void Admits(DiagnosisContext context, ServiceInUse service, ServiceResourceFacts facts, ComputePlacement placement)
    {
        if (placement.Probe is not null && ServiceAccess.Of(context, placement, service).Reached is not null)
        {
            return;
        }

        var kind = service.Kind;
        var ruled = facts.Firewall.VirtualNetworkRules.Any(r =>
            string.Equals(r.VirtualNetwork, placement.Network.Name, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(r.Subnet, placement.Subnet.Name, StringComparison.OrdinalIgnoreCase));
        var serviceEndpoint = placement.Subnet.ServiceEndpoints.Any(e => kind.ServiceEndpoints.Contains(e, StringComparer.OrdinalIgnoreCase));
        if (ruled && serviceEndpoint)
        {
            return;
        }

        var egress = EgressAddresses(context, facts, placement);
        var ipRules = facts.Firewall.IpRules.Select(r => IpPrefix.TryParse(r, out var p, out _) ? p : (IpPrefix?)null).OfType<IpPrefix>().ToList();
        if (egress.Exists(a => ipRules.Exists(r => r.Contains(a))))
        {
            return;
        }

        var endpointName = kind.ServiceEndpoints[0];
        var subnet = placement.Path;
        List<string> reasons =
        [
            ruled ? $"its virtual network rule for {subnet} matches only traffic that arrives over a {endpointName} service endpoint, which the subnet does not have"
                : kind == ServiceKind.Registry ? $"registries have no virtual network rules" : $"no virtual network rule names {subnet}",
            $"no approved private endpoint of it is reachable from the subnet",
            egress.Count > 0 ? $"the nodes' outbound address{(egress.Count > 1 ? "es" : string.Empty)} {string.Join(", ", egress)} {(egress.Count > 1 ? "are" : "is")} not in its IP rules"
                : "the nodes leave from addresses that are not fixed (no NAT gateway), so IP rules cannot admit them",
        ];
        var bypass = facts.Firewall.Bypass.Contains(FirewallBypass.AzureServices)
            ? " The AzureServices bypass admits trusted Azure services, not the nodes' own traffic."
            : string.Empty;
        var privateEndpoint = $"create a private endpoint in {placement.Network.Name} with target {service.Resource} and group_id {ServiceKind.GroupIdText(kind.AccessGroup)}";
        var fix = ruled
            ? $"enable the {endpointName} service endpoint on subnet {subnet}"
            : kind == ServiceKind.Registry
                ? $"{privateEndpoint}, or give subnet {subnet} a NAT gateway and add its public address to the registry's ip_rules"
                : $"add a virtual network rule for {subnet} and enable the {endpointName} service endpoint on that subnet, or {privateEndpoint}";
        context.Report(kind.Group, kind.FirewallCode, FindingLevel.Error, service.Resource,
            $"The firewall of {kind.Noun} {service.Name} denies what no rule admits (default action Deny), and nothing admits {ComputeChecks.Noun(placement.Compute)} in subnet {subnet}: {string.Join("; ", reasons)}.{bypass} Fix: {fix}.");
    }

    /// <summary>The fixed public addresses the nodes' traffic to the service leaves from: the NAT gateway's, per the engine's verdict.</summary>
    private static List<IPAddress> EgressAddresses(DiagnosisContext context, ServiceResourceFacts facts, ComputePlacement placement)
    {
        string? nat = placement.Subnet.NatGateway;
        if (placement.Probe is not null && facts.PublicAddress is not null && IPAddress.TryParse(facts.PublicAddress, out var address) &&
            context.VerifyFrom(placement, address, FlowProtocol.Tcp, ServiceAccess.Port) is { } verdict)
        {
            nat = verdict.Egress == EgressMethod.NatGateway ? verdict.NatGateway : null;
        }

        return nat is null || context.Model.FindNatGateway(nat) is not { } gateway
            ? []
            : [.. gateway.PublicIpAddresses.Select(a => IpPrefix.Parse(a).NetworkAddress)];
    }
}
