using Sluice.Network.Addressing;

namespace Sluice.Network.Tags;

/// <summary>Where a service tag's prefixes come from.</summary>
public enum ServiceTagOrigin
{
    /// <summary>Defined by this library with Azure's meaning, e.g. <c>AzureLoadBalancer</c>.</summary>
    BuiltIn,

    /// <summary>Sluice's own tags, with values from configuration (see <see cref="SluiceServiceTags"/>).</summary>
    Sluice,

    /// <summary>Defined by the user in the network description.</summary>
    UserDefined,

    /// <summary>Read from a file in the format of Azure's published service tags.</summary>
    AzurePublished,
}

/// <summary>A named set of prefixes usable in security rules and routes, e.g. <c>Storage.WestEurope</c>.</summary>
public sealed record ServiceTag
{
    public required string Name { get; init; }

    public required IReadOnlyList<IpPrefix> AddressPrefixes { get; init; }

    /// <summary>The region of a regional tag, as Azure writes it (<c>westeurope</c>); null for global tags.</summary>
    public string? Region { get; init; }

    /// <summary>Azure's service name for published tags, e.g. <c>AzureStorage</c>.</summary>
    public string? SystemService { get; init; }

    public ServiceTagOrigin Origin { get; init; } = ServiceTagOrigin.UserDefined;
}
