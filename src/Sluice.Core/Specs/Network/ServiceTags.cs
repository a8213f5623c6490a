using System.Text.RegularExpressions;

namespace Sluice.Core.Specs.Network;

/// <summary>Service tag names: the built-in ones and the rule every name follows.</summary>
public static partial class ServiceTags
{
    /// <summary>The workspace's virtual networks, peered networks and on-premises prefixes learned through a gateway.</summary>
    public const string VirtualNetwork = "VirtualNetwork";

    /// <summary>Addresses outside every virtual network of the workspace.</summary>
    public const string Internet = "Internet";

    /// <summary>Azure's load balancer health probes.</summary>
    public const string AzureLoadBalancer = "AzureLoadBalancer";

    /// <summary>The Sluice server's addresses: what compute nodes must reach and be reached from.</summary>
    public const string SluiceControlPlane = "SluiceControlPlane";

    /// <summary>Tags every workspace knows without importing or defining them.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [VirtualNetwork, Internet, AzureLoadBalancer, SluiceControlPlane];

    /// <summary>The built-in tag with this name in its canonical spelling (names match case-insensitively), or null.</summary>
    public static string? FindBuiltIn(string name) => BuiltIn.FirstOrDefault(b => string.Equals(b, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when the text can be a service tag name, else a sentence saying why not.</summary>
    public static string? CheckName(string name) =>
        NamePattern().IsMatch(name)
            ? null
            : $"'{name}' is neither an IP address, a CIDR block, '*' nor a service tag name (a service tag name starts with a letter and has letters, digits, '.', '-' and '_')";

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9._\-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
