using Sluice.Network.Addressing;

namespace Sluice.Network.Tags;

/// <summary>Sluice's own tags, usable in rules like Azure's: their prefixes come from Sluice's configuration.</summary>
public static class SluiceServiceTags
{
    /// <summary>The addresses of Sluice's control plane (servers and their load balancer).</summary>
    public const string ControlPlane = "SluiceControlPlane";

    /// <summary>The addresses Sluice manages compute nodes from.</summary>
    public const string NodeManagement = "SluiceNodeManagement";

    /// <summary>Builds Sluice's tags; throws <see cref="ArgumentException"/> naming the first malformed prefix.</summary>
    public static IReadOnlyList<ServiceTag> Create(IEnumerable<string> controlPlanePrefixes, IEnumerable<string> nodeManagementPrefixes) =>
    [
        Tag(ControlPlane, controlPlanePrefixes),
        Tag(NodeManagement, nodeManagementPrefixes),
    ];

    private static ServiceTag Tag(string name, IEnumerable<string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        List<IpPrefix> parsed = [];
        foreach (var text in prefixes)
        {
            if (!IpPrefix.TryParse(text, out var prefix, out var error))
            {
                throw new ArgumentException($"{name}: {error}", nameof(prefixes));
            }

            parsed.Add(prefix);
        }

        return new ServiceTag { Name = name, AddressPrefixes = parsed, Origin = ServiceTagOrigin.Sluice };
    }
}
