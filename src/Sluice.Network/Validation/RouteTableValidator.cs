using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Tags;

namespace Sluice.Network.Validation;

/// <summary>Route tables and their user-defined routes.</summary>
internal static class RouteTableValidator
{
    /// <summary>Azure's limit on routes whose prefix is a service tag, per route table.</summary>
    public const int MaxServiceTagRoutes = 25;

    public static void Validate(ValidationContext context)
    {
        var tables = context.Builder.RouteTables;
        for (var i = 0; i < tables.Count; i++)
        {
            var table = tables[i];
            var path = ValidationContext.Item("route_tables", table.Name, i);
            var routes = table.Routes ?? [];
            context.CheckNames(routes, r => r.Name, $"{path}.routes", "route");
            var prefixes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var tagRoutes = 0;
            for (var r = 0; r < routes.Count; r++)
            {
                var route = routes[r];
                var routePath = ValidationContext.Item($"{path}.routes", route.Name, r);
                var key = Prefix(context, route, routePath, ref tagRoutes);
                if (key is not null && !prefixes.TryAdd(key, route.Name))
                {
                    context.Error($"{routePath}.address_prefix", $"route '{prefixes[key]}' already has address prefix {key}; a route table holds one route per prefix");
                }

                NextHop(context, route, routePath);
            }

            if (tagRoutes > MaxServiceTagRoutes)
            {
                context.Error($"{path}.routes", $"{tagRoutes} routes use service tags; Azure allows at most {MaxServiceTagRoutes} per route table");
            }
        }
    }

    private static string? Prefix(ValidationContext context, Route route, string routePath, ref int tagRoutes)
    {
        var text = route.AddressPrefix?.Trim() ?? string.Empty;
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text.Contains(':', StringComparison.Ordinal)))
        {
            if (IpPrefix.TryParse(text, out var prefix, out var error))
            {
                return prefix.ToString();
            }

            context.Error($"{routePath}.address_prefix", error!);
            return null;
        }

        if (text.Length == 0)
        {
            context.Error($"{routePath}.address_prefix", "an address prefix (CIDR) or a service tag name is required");
            return null;
        }

        if (WellKnownServiceTags.IsContextual(text))
        {
            context.Error($"{routePath}.address_prefix", $"'{text}' cannot be used in a route; routes take a CIDR prefix or a service tag of Azure's published set");
            return null;
        }

        if (!context.Builder.ServiceTags.Contains(text))
        {
            context.Error($"{routePath}.address_prefix", $"'{text}' is neither a CIDR prefix nor a known service tag");
            return null;
        }

        tagRoutes++;
        return text;
    }

    private static void NextHop(ValidationContext context, Route route, string routePath)
    {
        var hopPath = $"{routePath}.next_hop_ip_address";
        switch (route.NextHopType)
        {
            case NextHopType.VirtualAppliance when string.IsNullOrWhiteSpace(route.NextHopIpAddress):
                context.Error(hopPath, "a VirtualAppliance route needs the appliance's private IP address as its next hop");
                break;
            case NextHopType.VirtualAppliance:
                if (!ValidationContext.TryParseAddress(route.NextHopIpAddress, out _, out var error))
                {
                    context.Error(hopPath, error);
                }

                break;
            case NextHopType.VirtualNetworkGateway or NextHopType.VnetLocal or NextHopType.Internet or NextHopType.None:
                if (!string.IsNullOrWhiteSpace(route.NextHopIpAddress))
                {
                    context.Error(hopPath, $"only VirtualAppliance routes take a next hop address; remove it from this {route.NextHopType} route");
                }

                break;
            default:
                context.Error($"{routePath}.next_hop_type", $"{route.NextHopType} routes are created by Azure, not by users; use VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance or None");
                break;
        }
    }
}
