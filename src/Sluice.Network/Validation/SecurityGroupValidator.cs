using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Rules;

namespace Sluice.Network.Validation;

/// <summary>Network security groups and their rules.</summary>
internal static class SecurityGroupValidator
{
    public const int MinPriority = 100;
    public const int MaxPriority = 4096;

    public static void Validate(ValidationContext context)
    {
        var groups = context.Builder.NetworkSecurityGroups;
        for (var i = 0; i < groups.Count; i++)
        {
            var nsg = groups[i];
            var path = ValidationContext.Item("network_security_groups", nsg.Name, i);
            if (string.IsNullOrWhiteSpace(nsg.Location))
            {
                context.Error($"{path}.location", "a location (Azure region, e.g. westeurope) is required");
            }

            var rules = nsg.SecurityRules ?? [];
            context.CheckNames(rules, r => r.Name, $"{path}.security_rules", "security rule");
            var priorities = new Dictionary<(SecurityRuleDirection, int), string>();
            for (var r = 0; r < rules.Count; r++)
            {
                var rule = rules[r];
                var rulePath = ValidationContext.Item($"{path}.security_rules", rule.Name, r);
                if (rule.Priority is < MinPriority or > MaxPriority)
                {
                    context.Error($"{rulePath}.priority", $"{rule.Priority} is out of range; priorities are {MinPriority} to {MaxPriority} (lower numbers are processed first)");
                }
                else if (!priorities.TryAdd((rule.Direction, rule.Priority), rule.Name))
                {
                    context.Error($"{rulePath}.priority", $"priority {rule.Priority} is already used by {rule.Direction.ToString().ToLowerInvariant()} rule '{priorities[(rule.Direction, rule.Priority)]}'; each direction needs distinct priorities");
                }

                Side(context, rule.SourceAddressPrefixes, rule.SourceApplicationSecurityGroups, $"{rulePath}.source_address_prefixes", $"{rulePath}.source_application_security_groups", "source");
                Side(context, rule.DestinationAddressPrefixes, rule.DestinationApplicationSecurityGroups, $"{rulePath}.destination_address_prefixes", $"{rulePath}.destination_application_security_groups", "destination");
                Ports(context, rule.SourcePortRanges, $"{rulePath}.source_port_ranges");
                Ports(context, rule.DestinationPortRanges, $"{rulePath}.destination_port_ranges");
                GroupsInOneNetwork(context, rule, rulePath);
            }
        }
    }

    private static void Side(ValidationContext context, IReadOnlyList<string>? prefixes, IReadOnlyList<string>? groups, string prefixPath, string groupPath, string side)
    {
        prefixes ??= [];
        groups ??= [];
        if (prefixes.Count == 0 && groups.Count == 0)
        {
            context.Error(prefixPath, $"a {side} is required: '*', addresses or prefixes, a service tag, or application security groups");
            return;
        }

        if (prefixes.Count > 0 && groups.Count > 0)
        {
            context.Error(groupPath, $"a rule's {side} is either address prefixes or application security groups, not both");
        }

        for (var p = 0; p < prefixes.Count; p++)
        {
            switch (AddressEntry.Classify(prefixes[p], out _, out var error))
            {
                case AddressEntryKind.Invalid:
                    context.Error($"{prefixPath}[{p}]", error!);
                    break;
                case AddressEntryKind.Any when prefixes.Count > 1:
                    context.Error($"{prefixPath}[{p}]", "'*' already means every address; it cannot be listed with other entries");
                    break;
                case AddressEntryKind.Tag when !context.Builder.ServiceTags.Contains(prefixes[p].Trim()):
                    context.Error($"{prefixPath}[{p}]", $"unknown service tag '{prefixes[p]}'; use a tag of the service tag set (e.g. VirtualNetwork, Internet, AzureLoadBalancer, Storage.WestEurope), an address or a CIDR prefix");
                    break;
                case AddressEntryKind.Tag when prefixes.Count > 1:
                    context.Error($"{prefixPath}[{p}]", $"service tag '{prefixes[p]}' must be the only {side} entry; Azure allows one service tag per side and no addresses beside it");
                    break;
            }
        }

        for (var g = 0; g < groups.Count; g++)
        {
            if (!context.ApplicationSecurityGroups.Contains(groups[g]))
            {
                context.Error($"{groupPath}[{g}]", $"no application security group is named '{groups[g]}'");
            }
        }
    }

    private static void Ports(ValidationContext context, IReadOnlyList<string>? ranges, string path)
    {
        if (ranges is null || ranges.Count == 0)
        {
            context.Error(path, "at least one port range is required; use '*' for every port");
            return;
        }

        for (var p = 0; p < ranges.Count; p++)
        {
            if (!PortRange.TryParse(ranges[p], out _, out var error))
            {
                context.Error($"{path}[{p}]", error!);
            }
        }
    }

    private static void GroupsInOneNetwork(ValidationContext context, SecurityRule rule, string rulePath)
    {
        var networks = (rule.SourceApplicationSecurityGroups ?? []).Concat(rule.DestinationApplicationSecurityGroups ?? [])
            .Select(g => context.ApplicationSecurityGroupNetworks.GetValueOrDefault(g))
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (networks.Count > 1)
        {
            context.Error($"{rulePath}.destination_application_security_groups", $"the rule's application security groups have members in different virtual networks ({string.Join(", ", networks)}); Azure requires them all in one");
        }
    }
}
