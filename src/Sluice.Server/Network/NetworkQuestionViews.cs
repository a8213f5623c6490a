using System.Text.Json.Nodes;
using Sluice.Core.Yaml;
using Sluice.Network.Lint;
using Sluice.Network.Model;
using Sluice.Network.Routing;
using Sluice.Network.Verification;

namespace Sluice.Server.Network;

/// <summary>
/// The JSON answers of the network questions, snake_case like the rest of the API. Azure's own values keep Azure's
/// spelling (<c>Allow</c>, <c>Tcp</c>, <c>VirtualAppliance</c>); Sluice's own words are snake_case (<c>subnet</c>,
/// <c>nic</c>, <c>user</c>, <c>unreachable</c>).
/// </summary>
internal static class NetworkQuestionViews
{
    public static JsonObject Source(FlowSource source) => new()
    {
        ["input"] = source.Input,
        ["network_interface"] = source.NetworkInterface,
        ["subnet"] = source.SubnetPath,
        ["compute"] = source.Compute,
        ["ip_address"] = source.Address?.ToString(),
        ["external"] = source.IsExternal,
    };

    public static JsonObject Destination(FlowDestination destination) => new()
    {
        ["input"] = destination.Input,
        ["ip_address"] = destination.Address.ToString(),
        ["resolved_via"] = destination.ResolvedVia,
        ["network_interface"] = destination.NetworkInterface,
        ["private_endpoint"] = destination.PrivateEndpoint,
        ["resource"] = destination.Resource?.ToString(),
        ["group_id"] = destination.GroupId,
        ["fqdn"] = destination.Fqdn,
    };

    public static JsonObject? Decision(SecurityDecision? decision) => decision is null ? null : new JsonObject
    {
        ["direction"] = decision.Direction.ToString(),
        ["level"] = Level(decision.Level),
        ["associated_with"] = decision.AssociatedWith,
        ["network_security_group"] = decision.NetworkSecurityGroup,
        ["rule"] = decision.RuleName,
        ["priority"] = decision.Priority,
        ["access"] = decision.Access.ToString(),
        ["is_default"] = decision.IsDefaultRule,
    };

    public static JsonArray Decisions(IEnumerable<SecurityDecision> decisions) => [.. decisions.Select(d => (JsonNode?)Decision(d))];

    public static JsonObject? Route(RouteEntry? route, bool? chosen = null)
    {
        if (route is null)
        {
            return null;
        }

        var view = new JsonObject
        {
            ["address_prefix"] = route.AddressPrefix.ToString(),
            ["next_hop_type"] = route.NextHopType.ToString(),
            ["next_hop_ip_address"] = route.NextHopIpAddress?.ToString(),
            ["source"] = route.Source.ToString().ToLowerInvariant(),
            ["state"] = route.State.ToString(),
            ["invalid_reason"] = route.InvalidReason,
            ["name"] = route.Name,
            ["service_tag"] = route.ServiceTag,
            ["target"] = route.Target,
        };
        if (chosen is { } isChosen)
        {
            view["chosen"] = isChosen;
        }

        return view;
    }

    public static JsonArray Routes(IEnumerable<RouteEntry> routes) => [.. routes.Select(r => (JsonNode?)Route(r))];

    /// <summary>Routes with <c>chosen</c> marking the one a next hop used (none when no route matched).</summary>
    public static JsonArray Routes(IEnumerable<RouteEntry> routes, RouteEntry? chosen) =>
        [.. routes.Select(r => (JsonNode?)Route(r, chosen is not null && ReferenceEquals(r, chosen)))];

    public static JsonArray Levels(IEnumerable<EffectiveSecurityLevel> levels) => [.. levels.Select(l => (JsonNode)new JsonObject
    {
        ["level"] = Level(l.Level),
        ["associated_with"] = l.AssociatedWith,
        ["network_security_group"] = l.NetworkSecurityGroup,
        ["rules"] = new JsonArray([.. l.Rules.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name,
            ["priority"] = r.Priority,
            ["access"] = r.Access.ToString(),
            ["protocol"] = r.Protocol == SecurityRuleProtocol.Any ? "*" : r.Protocol.ToString(),
            ["is_default"] = r.IsDefault,
            ["source_address_prefixes"] = Texts(r.SourceAddressPrefixes),
            ["source_port_ranges"] = Texts(r.SourcePortRanges),
            ["destination_address_prefixes"] = Texts(r.DestinationAddressPrefixes),
            ["destination_port_ranges"] = Texts(r.DestinationPortRanges),
            ["source_expanded_from"] = Texts(r.SourceExpandedFrom),
            ["destination_expanded_from"] = Texts(r.DestinationExpandedFrom),
        })]),
    })];

    public static JsonObject Lint(LintReport report) => new()
    {
        ["network_security_group"] = report.NetworkSecurityGroup,
        ["finding_count"] = report.Findings.Count,
        ["findings"] = new JsonArray([.. report.Findings.Select(f => (JsonNode)new JsonObject
        {
            ["kind"] = SnakeCase.From(f.Kind.ToString()),
            ["direction"] = f.Direction.ToString(),
            ["rule"] = f.RuleName,
            ["priority"] = f.Priority,
            ["blocking_rules"] = Texts(f.BlockingRules),
            ["reason"] = f.Reason,
            ["scopes"] = Texts(f.Scopes),
        })]),
    };

    public static JsonArray Texts<T>(IEnumerable<T> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v?.ToString()))];

    /// <summary>Where a group applies: <c>subnet</c> or <c>nic</c>, as <c>az network nic list-effective-nsg</c> says "Subnet" and "NetworkInterface".</summary>
    private static string Level(SecurityLevel level) => level == SecurityLevel.Subnet ? "subnet" : "nic";
}
