using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Validation;

/// <summary>What the validators share: the resources by name and the one list every problem is appended to.</summary>
internal sealed class ValidationContext(NetworkModelBuilder builder)
{
    public NetworkModelBuilder Builder { get; } = builder;

    public List<NetworkModelError> Errors { get; } = [];

    public Dictionary<string, VirtualNetwork> VirtualNetworks { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, NetworkSecurityGroup> SecurityGroups { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, RouteTable> RouteTables { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, NatGateway> NatGateways { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> ApplicationSecurityGroups { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The parsed address space of each network whose space is valid, for containment checks.</summary>
    public Dictionary<string, IReadOnlyList<IpPrefix>> AddressSpaces { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The virtual network each application security group's members are in (the first member decides).</summary>
    public Dictionary<string, string> ApplicationSecurityGroupNetworks { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Error(string path, string message) => Errors.Add(new NetworkModelError(path, message));

    public static string Item(string collection, string? name, int index) =>
        string.IsNullOrWhiteSpace(name) ? $"{collection}[{index}]" : $"{collection}[{name}]";

    /// <summary>Checks names are present and unique (case-insensitively, as Azure's are); returns the items worth indexing.</summary>
    public void CheckNames<T>(IReadOnlyList<T> items, Func<T, string?> name, string collection, string kind, IDictionary<string, T>? index = null)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var itemName = name(items[i]);
            if (string.IsNullOrWhiteSpace(itemName))
            {
                Error($"{collection}[{i}].name", $"a {kind} needs a name");
            }
            else if (!seen.Add(itemName))
            {
                Error($"{Item(collection, itemName, i)}.name", $"'{itemName}' names another {kind} too; names must be unique (ignoring case)");
            }
            else
            {
                index?.Add(itemName, items[i]);
            }
        }
    }

    /// <summary>Parses a list of prefixes, reporting each malformed one at its index; returns the valid ones.</summary>
    public List<IpPrefix> ParsePrefixes(IReadOnlyList<string>? texts, string path)
    {
        List<IpPrefix> prefixes = [];
        if (texts is null)
        {
            return prefixes;
        }

        for (var i = 0; i < texts.Count; i++)
        {
            if (IpPrefix.TryParse(texts[i], out var prefix, out var error))
            {
                prefixes.Add(prefix);
            }
            else
            {
                Error($"{path}[{i}]", error!);
            }
        }

        return prefixes;
    }

    public static bool TryParseAddress(string? text, out IPAddress address, out string error)
    {
        address = IPAddress.None;
        if (IpPrefix.TryParse(text, out var prefix, out var parseError) && prefix.IsHost)
        {
            address = prefix.NetworkAddress;
            error = string.Empty;
            return true;
        }

        error = parseError is null ? $"'{text}' is a prefix; a single address is expected" : parseError.Replace("address prefix", "address", StringComparison.Ordinal);
        return false;
    }
}
