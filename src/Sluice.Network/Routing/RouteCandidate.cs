using Sluice.Network.Model;

namespace Sluice.Network.Routing;

/// <summary>A route plus what selection needs beyond Azure's visible fields.</summary>
internal sealed class RouteCandidate
{
    public required RouteEntry Entry { get; set; }

    /// <summary>Declaration order, the last tie-breaker.</summary>
    public required int Order { get; init; }

    /// <summary>
    /// For equal prefixes among user routes: 0 an explicit prefix, then service tags: 1 regional, 2 top-level,
    /// 3 AzureCloud regional, 4 AzureCloud (Azure's documented order).
    /// </summary>
    public int TagRank { get; init; }

    /// <summary>For a private endpoint route: whether its subnet lets route tables override it.</summary>
    public bool RouteTablesApply { get; init; }

    /// <summary>For a private endpoint route: the prefix length of the endpoint's network address range.</summary>
    public int InvalidationLength { get; init; }

    public VirtualNetwork? PeerNetwork { get; init; }

    public PrivateEndpoint? PrivateEndpoint { get; init; }

    public int Length => Entry.AddressPrefix.Length;

    public int SourceRank => Entry.Source switch
    {
        RouteSource.User => 0,
        RouteSource.Bgp => 1,
        _ => 2,
    };

    /// <summary>System routes for the network itself, its peerings and service endpoints win over BGP routes, even longer ones.</summary>
    public bool IsPreferredOverBgp => Entry.Source == RouteSource.System &&
        Entry.NextHopType is NextHopType.VnetLocal or NextHopType.VNetPeering or NextHopType.VirtualNetworkServiceEndpoint;

    /// <summary>Whether this route beats <paramref name="other"/> for an address both contain.</summary>
    public bool IsBetterThan(RouteCandidate other)
    {
        if (Length != other.Length)
        {
            return Length > other.Length;
        }

        if (SourceRank != other.SourceRank)
        {
            return SourceRank < other.SourceRank;
        }

        return TagRank != other.TagRank ? TagRank < other.TagRank : Order < other.Order;
    }
}
