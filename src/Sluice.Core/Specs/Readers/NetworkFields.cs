using System.Net;
using Sluice.Core.Naming;
using Sluice.Core.Specs.Network;
using Sluice.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Specs.Readers;

/// <summary>One scalar of a spec with its node and key path (<c>subnets[0].address_prefixes[1]</c>), so problems point at it.</summary>
internal readonly record struct Item(YamlNode Node, string Text, string Path);

/// <summary>Reading steps shared by the network readers: lists with positions, one-or-many keys, addresses and names.</summary>
internal static class NetworkFields
{
    public static void Error(SpecContext context, Item item, string message) => context.Error(item.Node, $"{item.Path}: {message}", item.Path);

    public static void Warning(SpecContext context, Item item, string message) => context.Warning(item.Node, $"{item.Path}: {message}", item.Path);

    /// <summary>Checks <c>type:</c> when written; the kind was already told from it, so only a near miss reaches here.</summary>
    public static void Type(MappingReader m, string typeName)
    {
        var type = m.String("type");
        if (type is not null && !string.Equals(type, typeName, StringComparison.OrdinalIgnoreCase))
        {
            m.Error("type", $"'{type}' is not this kind's type; write 'type: {typeName}' or omit it");
        }
    }

    public static Item? Scalar(MappingReader m, string key)
    {
        var text = m.String(key);
        return text is null ? null : new Item(m.Locate(key), text, m.KeyPath(key));
    }

    /// <summary>The items of a list of text values; a single value written without brackets is taken as a list of one.</summary>
    public static List<Item> Scalars(MappingReader m, string key)
    {
        var items = new List<Item>();
        var node = m.Get(key);
        switch (node)
        {
            case null:
                break;
            case YamlScalarNode { Value: { } single }:
                items.Add(new Item(node, single, m.KeyPath(key)));
                break;
            case YamlSequenceNode sequence:
                var index = 0;
                foreach (var child in sequence)
                {
                    var path = $"{m.KeyPath(key)}[{index++}]";
                    if (child is YamlScalarNode { Value: { } text } && !YamlScalars.IsNull(child))
                    {
                        items.Add(new Item(child, text, path));
                    }
                    else
                    {
                        m.Context.Error(child, $"{path}: expected a text value, got {YamlScalars.Describe(child)}", path);
                    }
                }

                break;
            default:
                m.Error(key, $"expected a list, got {YamlScalars.Describe(node)}");
                break;
        }

        return items;
    }

    /// <summary>
    /// Azure's paired keys (<c>address_prefix</c> / <c>address_prefixes</c>): either, not both. Null when neither is
    /// written (or only as an empty list), so the caller decides whether that is an error.
    /// </summary>
    public static List<Item>? OneOrMany(MappingReader m, string single, string plural)
    {
        var one = m.Has(single);
        var many = m.Has(plural);
        if (one && many)
        {
            m.Context.Error(m.LocateKey(plural), $"{m.KeyPath(plural)}: give {single} or {plural}, not both", m.KeyPath(plural));
        }

        if (one)
        {
            return Scalar(m, single) is { } item ? [item] : [];
        }

        var items = Scalars(m, plural);
        return items.Count == 0 ? null : items;
    }

    /// <summary>Reads a list of mappings (<c>subnets:</c>), each with its indexed path; the caller completes each reader.</summary>
    public static List<MappingReader> Mappings(MappingReader m, string key)
    {
        var readers = new List<MappingReader>();
        var sequence = m.Sequence(key);
        if (sequence is null)
        {
            return readers;
        }

        var index = 0;
        foreach (var child in sequence)
        {
            var path = $"{m.KeyPath(key)}[{index++}]";
            if (child is YamlMappingNode mapping)
            {
                readers.Add(new MappingReader(m.Context, mapping, path));
            }
            else
            {
                m.Context.Error(child, $"{path}: expected a mapping, got {YamlScalars.Describe(child)}", path);
            }
        }

        return readers;
    }

    /// <summary>Reads each item's <c>name</c> and reports names used twice in the list.</summary>
    public static string ItemName(MappingReader item, Dictionary<string, string> seen, string what)
    {
        var name = item.RequiredString("name");
        if (name is null)
        {
            return string.Empty;
        }

        if (ResourceNames.Network(name) is { } problem)
        {
            item.Error("name", problem);
        }
        else if (seen.TryGetValue(name, out var first))
        {
            item.Error("name", $"another {what} is already named '{name}' ({first}); names must be unique");
        }
        else
        {
            seen[name] = item.Path;
        }

        return name;
    }

    public static IPNetwork? Cidr(SpecContext context, Item item)
    {
        if (NetworkAddresses.TryParseCidr(item.Text, out var network) is { } problem)
        {
            Error(context, item, problem);
            return null;
        }

        return network;
    }

    public static IPAddress? Address(SpecContext context, Item item)
    {
        if (NetworkAddresses.TryParseAddress(item.Text, out var address) is { } problem)
        {
            Error(context, item, problem);
            return null;
        }

        return address;
    }

    /// <summary>An address that must be reachable from the internet (a NAT gateway's, a service's).</summary>
    public static IPAddress? PublicAddress(SpecContext context, Item item)
    {
        var address = Address(context, item);
        if (address is not null && NetworkAddresses.IsNonPublic(address))
        {
            Error(context, item, $"{address} is a private or reserved address; a public address is needed here (203.0.113.0/24 and 198.51.100.0/24 are documentation ranges for examples)");
            return null;
        }

        return address;
    }

    /// <summary>The name of another network resource, checked against the naming rule.</summary>
    public static string? NameReference(MappingReader m, string key)
    {
        var name = m.String(key);
        if (name is not null && ResourceNames.Network(ArmIds.LastSegment(name)) is { } problem)
        {
            m.Error(key, problem);
            return null;
        }

        return name is null ? null : ArmIds.LastSegment(name);
    }

    /// <summary>A list of names of other resources, each checked, none twice.</summary>
    public static List<string> NameReferences(MappingReader m, string key)
    {
        var names = new List<string>();
        foreach (var item in Scalars(m, key))
        {
            var name = ArmIds.LastSegment(item.Text);
            if (ResourceNames.Network(name) is { } problem)
            {
                Error(m.Context, item, problem);
            }
            else if (names.Contains(name, StringComparer.Ordinal))
            {
                Error(m.Context, item, $"'{name}' is listed twice");
            }
            else
            {
                names.Add(name);
            }
        }

        return names;
    }

    public static SubnetReference? Subnet(SpecContext context, Item item)
    {
        if (!SubnetReference.TryParse(item.Text, out var reference, out var problem))
        {
            Error(context, item, problem);
            return null;
        }

        return reference;
    }

    public static SubnetReference? RequiredSubnet(MappingReader m, string key)
    {
        if (Scalar(m, key) is { } item)
        {
            return Subnet(m.Context, item);
        }

        m.Missing(key, "the subnet as <virtual_network>/<subnet>, e.g. vnet1/compute");
        return null;
    }

    /// <summary>Reports an overlap of <paramref name="network"/> with any block already seen, then remembers it.</summary>
    public static void NoOverlap(SpecContext context, Item item, IPNetwork network, List<(IPNetwork Network, string Where)> seen, string rule)
    {
        foreach (var (other, where) in seen)
        {
            if (NetworkAddresses.Overlaps(network, other))
            {
                Error(context, item, $"{network} overlaps {other} ({where}); {rule}");
                break;
            }
        }

        seen.Add((network, item.Path));
    }
}
