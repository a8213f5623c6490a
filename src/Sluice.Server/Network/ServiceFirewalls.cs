using System.Net;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Data.Network;
using Sluice.Network.Addressing;
using CorePrivateLinkTarget = Sluice.Core.Specs.Network.PrivateLinkTarget;

namespace Sluice.Server.Network;

/// <summary>How a flow arrives at a service's public face: from a subnet over its service endpoint, or from a public address.</summary>
internal sealed record ServiceArrival
{
    /// <summary>The subnet (<c>vnet/subnet</c>) when the flow comes over the subnet's service endpoint.</summary>
    public string? ServiceEndpointSubnet { get; init; }

    /// <summary>The public addresses the flow may come from (a NAT gateway has several); empty when unknown.</summary>
    public IReadOnlyList<IPAddress> PublicAddresses { get; init; } = [];

    /// <summary>Why no public address is known, when none is.</summary>
    public string? UnknownAddressReason { get; init; }

    public string Describe() => ServiceEndpointSubnet is not null
        ? $"over the service endpoint of subnet {ServiceEndpointSubnet}"
        : PublicAddresses.Count > 0 ? $"from {string.Join(", ", PublicAddresses)}" : "from an address no rule can name";
}

/// <summary>The service's own verdict on a flow that reaches its public face.</summary>
internal sealed record ServiceDecision(CorePrivateLinkTarget Resource, bool Allowed, string Reason);

/// <summary>
/// A service's firewall, as Azure applies it to traffic arriving at the public endpoint: public network access
/// first, then the default action, virtual network rules (for traffic over a service endpoint) and IP rules (for
/// traffic from public addresses). Traffic through a private endpoint never meets it.
/// </summary>
internal static class ServiceFirewalls
{
    public static ServiceDecision Check(WorkspaceNetwork specs, CorePrivateLinkTarget target, ServiceArrival arrival)
    {
        var spec = specs.Find(target.ResourceKind, target.Name);
        var description = FlowTargets.Describe(target);
        var who = char.ToUpperInvariant(description[0]) + description[1..];
        var (access, rules) = spec switch
        {
            StorageAccountSpec s => (s.PublicNetworkAccess, s.NetworkRuleSet),
            SecretStoreSpec s => (s.PublicNetworkAccess, s.NetworkAcls),
            RegistrySpec s => (s.PublicNetworkAccess, s.NetworkRuleSet),
            WorkspaceSpec w => (w.PublicNetworkAccess, null),
            _ => (PublicNetworkAccess.Enabled, null),
        };

        if (access == PublicNetworkAccess.Disabled)
        {
            return new ServiceDecision(target, false, $"{who} has public network access disabled: only private endpoints reach it, and this flow arrives at its public endpoint {arrival.Describe()}.");
        }

        if (rules is null || rules.DefaultAction == NetworkRuleAction.Allow)
        {
            return new ServiceDecision(target, true, $"{who} accepts traffic from all networks (public network access enabled, default action Allow).");
        }

        if (arrival.ServiceEndpointSubnet is { } subnet)
        {
            var admitted = rules.VirtualNetworkRules.Any(r => string.Equals(r.ToString(), subnet, StringComparison.OrdinalIgnoreCase));
            return admitted
                ? new ServiceDecision(target, true, $"{who}'s firewall admits subnet {subnet}, which the flow comes from over its service endpoint (virtual network rule).")
                : new ServiceDecision(target, false, $"{who}'s firewall denies by default and has no virtual network rule for subnet {subnet}, which the flow comes from over its service endpoint{(rules.VirtualNetworkRules.Count == 0 ? string.Empty : $" (its rules: {string.Join(", ", rules.VirtualNetworkRules)})")}.");
        }

        if (arrival.PublicAddresses.Count == 0)
        {
            return new ServiceDecision(target, false, $"{who}'s firewall denies by default and admits only listed addresses and subnets; {arrival.UnknownAddressReason ?? "the flow's public address is not known"}.");
        }

        var ipRules = rules.IpRules.Select(r => (Text: r, Prefix: IpPrefix.Parse(r))).ToList();
        var outside = arrival.PublicAddresses.Where(a => !ipRules.Exists(r => r.Prefix.Contains(a))).ToList();
        if (outside.Count == 0)
        {
            var matched = ipRules.Where(r => arrival.PublicAddresses.Any(a => r.Prefix.Contains(a))).Select(r => r.Text);
            return new ServiceDecision(target, true, $"{who}'s firewall admits {string.Join(", ", arrival.PublicAddresses)} (IP rule {string.Join(", ", matched)}).");
        }

        return new ServiceDecision(target, false, $"{who}'s firewall denies by default and no IP rule admits {string.Join(", ", outside)}{(ipRules.Count == 0 ? " (it has no IP rules)" : $" (its IP rules: {string.Join(", ", ipRules.Select(r => r.Text))})")}.");
    }
}
