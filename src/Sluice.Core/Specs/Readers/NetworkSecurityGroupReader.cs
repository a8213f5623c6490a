using System.Globalization;
using System.Net.Sockets;
using Sluice.Core.Naming;
using Sluice.Core.Specs.Network;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static class NetworkSecurityGroupReader
{
    public static NetworkSecurityGroupSpec Read(MappingReader m)
    {
        NetworkFields.Type(m, NetworkSecurityGroupSpec.TypeName);
        var rules = new List<SecurityRuleSpec>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var priorities = new Dictionary<(SecurityRuleDirection, int), (string Name, string Path)>();
        foreach (var r in NetworkFields.Mappings(m, "security_rules"))
        {
            if (ReadRule(r, names) is { } rule)
            {
                if (priorities.TryGetValue((rule.Direction, rule.Priority), out var first))
                {
                    r.Error("priority", $"{rule.Priority} is already used by {EnumNames<SecurityRuleDirection>.ToName(rule.Direction)} rule '{first.Name}' ({first.Path}); priorities are unique per direction");
                }
                else
                {
                    priorities[(rule.Direction, rule.Priority)] = (rule.Name, r.Path);
                }

                rules.Add(rule);
            }
        }

        var spec = new NetworkSecurityGroupSpec
        {
            Name = Fields.Name(m, ResourceNames.Network),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
            SecurityRules = rules,
        };
        m.Complete();
        return spec;
    }

    /// <summary>Reads one rule as Azure defines it; every problem is reported, and null returned when the rule is unusable.</summary>
    public static SecurityRuleSpec? ReadRule(MappingReader r, Dictionary<string, string> names)
    {
        var name = NetworkFields.ItemName(r, names, "rule");
        var description = r.String("description");
        if (description is { Length: > 140 })
        {
            r.Error("description", $"has {description.Length} characters; Azure allows at most 140");
        }

        var priority = r.Int32("priority", 100, 4096);
        if (priority is null && !r.IsPresent("priority"))
        {
            r.Missing("priority", "a number from 100 to 4096, unique per direction; lower numbers are evaluated first");
        }

        var direction = Required<SecurityRuleDirection>(r, "direction", "Inbound or Outbound");
        var access = Required<SecurityRuleAccess>(r, "access", "Allow or Deny");
        var protocol = Required<SecurityRuleProtocol>(r, "protocol", "Tcp, Udp, Icmp, Esp, Ah or * (any)");

        var families = new HashSet<AddressFamily>();
        var source = ReadSide(r, "source", protocol, families);
        var destination = ReadSide(r, "destination", protocol, families);
        if (families.Count > 1)
        {
            r.Context.Error(r.Node, $"{r.Path}: mixes IPv4 and IPv6 prefixes; an Azure rule covers one address family (write one rule for each)", r.Path);
        }

        r.Complete();
        return priority is null || direction is null || access is null || protocol is null
            ? null
            : new SecurityRuleSpec
            {
                Name = name,
                Description = description,
                Priority = priority.Value,
                Direction = direction.Value,
                Access = access.Value,
                Protocol = protocol.Value,
                SourceAddressPrefixes = source.Prefixes,
                SourceApplicationSecurityGroups = source.Groups,
                SourcePortRanges = source.Ports,
                DestinationAddressPrefixes = destination.Prefixes,
                DestinationApplicationSecurityGroups = destination.Groups,
                DestinationPortRanges = destination.Ports,
            };
    }

    private static TEnum? Required<TEnum>(MappingReader r, string key, string hint)
        where TEnum : struct, Enum
    {
        var value = r.Enum<TEnum>(key);
        if (value is null && !r.IsPresent(key))
        {
            r.Missing(key, hint);
        }

        return value;
    }

    private static (List<string> Prefixes, List<string> Groups, List<string> Ports) ReadSide(MappingReader r, string side, SecurityRuleProtocol? protocol, HashSet<AddressFamily> families)
    {
        var prefixKey = $"{side}_address_prefix";
        var prefixesKey = $"{side}_address_prefixes";
        var groupsKey = $"{side}_application_security_groups";
        var prefixItems = NetworkFields.OneOrMany(r, prefixKey, prefixesKey);
        var groups = NetworkFields.NameReferences(r, groupsKey);
        if (prefixItems is not null && groups.Count > 0)
        {
            r.Context.Error(r.LocateKey(groupsKey), $"{r.KeyPath(groupsKey)}: a rule names its {side} by address prefixes or by application security groups, not both", r.KeyPath(groupsKey));
        }
        else if (prefixItems is null && groups.Count == 0)
        {
            r.Missing(prefixKey, $"or {prefixesKey}, or {groupsKey}; '*' means any address");
        }

        var prefixes = new List<string>();
        foreach (var item in prefixItems ?? [])
        {
            if (NetworkAddresses.Classify(item.Text, out var form, out var canonical) is { } problem)
            {
                NetworkFields.Error(r.Context, item, problem);
                continue;
            }

            if (form is AddressPrefixForm.ServiceTag or AddressPrefixForm.Any && prefixItems!.Count > 1)
            {
                NetworkFields.Error(r.Context, item, $"'{canonical}' must be the only {side} prefix: Azure does not combine '*' or a service tag with other prefixes in one rule");
            }

            if (form is AddressPrefixForm.Address or AddressPrefixForm.Cidr)
            {
                families.Add(canonical.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            }

            canonical = form == AddressPrefixForm.ServiceTag ? ServiceTags.FindBuiltIn(canonical) ?? canonical : canonical;
            if (prefixes.Contains(canonical, StringComparer.OrdinalIgnoreCase))
            {
                NetworkFields.Error(r.Context, item, $"'{canonical}' is listed twice");
                continue;
            }

            prefixes.Add(canonical);
        }

        var portItems = NetworkFields.OneOrMany(r, $"{side}_port_range", $"{side}_port_ranges");
        var ports = new List<string>();
        if (portItems is null)
        {
            if (side == "source")
            {
                ports.Add("*");
            }
            else
            {
                r.Missing($"{side}_port_range", $"a port (443), a range (1000-2000) or '*' for any; or {side}_port_ranges");
            }
        }

        var portList = portItems ?? [];
        foreach (var item in portList)
        {
            if (Port(item.Text, out var canonical) is { } problem)
            {
                NetworkFields.Error(r.Context, item, problem);
            }
            else if (protocol is SecurityRuleProtocol.Icmp or SecurityRuleProtocol.Esp or SecurityRuleProtocol.Ah && canonical != "*")
            {
                NetworkFields.Error(r.Context, item, $"{EnumNames<SecurityRuleProtocol>.ToName(protocol.Value)} has no ports; write '*'");
            }
            else if (canonical == "*" && portList.Count > 1)
            {
                NetworkFields.Error(r.Context, item, "'*' must be the only port range");
            }
            else if (ports.Contains(canonical, StringComparer.Ordinal))
            {
                NetworkFields.Error(r.Context, item, $"'{canonical}' is listed twice");
            }
            else
            {
                ports.Add(canonical);
            }
        }

        return (prefixes, groups, ports);
    }

    /// <summary>Checks <c>*</c>, <c>N</c> or <c>N-M</c> with ports from 0 to 65535 and N ≤ M.</summary>
    public static string? Port(string text, out string canonical)
    {
        canonical = text.Trim();
        if (canonical == "*")
        {
            return null;
        }

        var parts = canonical.Split('-');
        if (parts.Length > 2 || parts.Any(p => !IsPort(p.Trim())))
        {
            return $"'{text}' is not a port range; write a port from 0 to 65535 (443), a range (1000-2000) or '*'";
        }

        var low = int.Parse(parts[0].Trim(), CultureInfo.InvariantCulture);
        var high = int.Parse(parts[^1].Trim(), CultureInfo.InvariantCulture);
        if (low > high)
        {
            return $"'{text}' is not a range: {low} is above {high}; write the lower port first ({high}-{low})";
        }

        canonical = parts.Length == 1 ? low.ToString(CultureInfo.InvariantCulture) : $"{low}-{high}";
        return null;
    }

    private static bool IsPort(string text) =>
        text.Length is >= 1 and <= 5 && text.All(char.IsAsciiDigit) && int.Parse(text, CultureInfo.InvariantCulture) <= 65535;
}
