using Sluice.Core.Naming;
using Sluice.Core.Specs.Network;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static class RouteTableReader
{
    public static RouteTableSpec Read(MappingReader m)
    {
        NetworkFields.Type(m, RouteTableSpec.TypeName);
        var routes = new List<RouteSpec>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in NetworkFields.Mappings(m, "routes"))
        {
            var name = NetworkFields.ItemName(r, names, "route");
            var prefix = AddressPrefix(r);
            if (prefix is not null && prefixes.TryGetValue(prefix, out var first))
            {
                r.Error("address_prefix", $"{prefix} already has a route ({first}); a route table holds one route per prefix");
                prefix = null;
            }
            else if (prefix is not null)
            {
                prefixes[prefix] = r.Path;
            }

            var hop = r.Enum<NextHopType>("next_hop_type");
            if (hop is null && !r.IsPresent("next_hop_type"))
            {
                r.Missing("next_hop_type", $"one of: {string.Join(", ", EnumNames<NextHopType>.All)}");
            }

            string? hopAddress = null;
            if (hop == NextHopType.VirtualAppliance)
            {
                if (NetworkFields.Scalar(r, "next_hop_ip_address") is { } item)
                {
                    hopAddress = NetworkFields.Address(r.Context, item)?.ToString();
                }
                else
                {
                    r.Missing("next_hop_ip_address", "the appliance's private address, e.g. a firewall at 10.0.0.4");
                }
            }
            else if (hop is not null)
            {
                r.Forbid("next_hop_ip_address", $"only a VirtualAppliance hop has an address; remove it or set next_hop_type: VirtualAppliance");
            }
            else
            {
                r.Ignore("next_hop_ip_address");
            }

            if (name.Length > 0 && prefix is not null && hop is not null)
            {
                routes.Add(new RouteSpec { Name = name, AddressPrefix = prefix, NextHopType = hop.Value, NextHopIpAddress = hopAddress });
            }

            r.Complete();
        }

        var spec = new RouteTableSpec
        {
            Name = Fields.Name(m, ResourceNames.Network),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Location = m.String("location"),
            DisableBgpRoutePropagation = m.Boolean("disable_bgp_route_propagation") ?? false,
            Routes = routes,
        };
        m.Complete();
        return spec;
    }

    private static string? AddressPrefix(MappingReader r)
    {
        if (NetworkFields.Scalar(r, "address_prefix") is not { } item)
        {
            if (!r.IsPresent("address_prefix"))
            {
                r.Missing("address_prefix", "a CIDR block (0.0.0.0/0 for every address) or a service tag name");
            }

            return null;
        }

        if (NetworkAddresses.Classify(item.Text, out var form, out var canonical) is { } problem)
        {
            NetworkFields.Error(r.Context, item, problem);
            return null;
        }

        switch (form)
        {
            case AddressPrefixForm.Any:
                NetworkFields.Error(r.Context, item, "'*' is not a route prefix; write 0.0.0.0/0 for every IPv4 address");
                return null;
            case AddressPrefixForm.Address:
                NetworkFields.Error(r.Context, item, $"a route needs a CIDR block; did you mean {canonical}/{(canonical.Contains(':', StringComparison.Ordinal) ? 128 : 32)}?");
                return null;
            case AddressPrefixForm.ServiceTag:
                return ServiceTags.FindBuiltIn(canonical) ?? canonical;
            default:
                return canonical;
        }
    }
}
