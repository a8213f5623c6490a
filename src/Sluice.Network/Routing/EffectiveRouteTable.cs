using System.Net;
using Sluice.Network.Addressing;
using Sluice.Network.Model;

namespace Sluice.Network.Routing;

/// <summary>
/// A subnet's routes (system, BGP and user) and Azure's selection among them:
/// <list type="number">
/// <item>Only routes whose prefix contains the destination are candidates.</item>
/// <item>BGP routes are set aside when a system route for the network itself, a peering or a service endpoint also
/// matches: Azure prefers those "even if BGP routes are more specific".</item>
/// <item>A private endpoint's /32 (/128) route is set aside when its subnet lets route tables apply
/// (<c>RouteTableEnabled</c> or <c>Enabled</c>) and a matching user route is at least as long as the endpoint's
/// network address range; a 0.0.0.0/0 route never is. With policies disabled only an equally long (/32) user route
/// overrides it, by the equal-prefix rule below (the workaround Azure documented before network policies).</item>
/// <item>The longest prefix wins; for equal prefixes a user route beats a BGP route, which beats a system route;
/// among equal user routes an explicit prefix beats a service tag, and regional tags beat global ones.</item>
/// </list>
/// </summary>
public sealed class EffectiveRouteTable
{
    private readonly RouteCandidate[] _candidates;
    private readonly Dictionary<UInt128, List<RouteCandidate>>?[] _v4ByLength = new Dictionary<UInt128, List<RouteCandidate>>?[33];
    private readonly Dictionary<UInt128, List<RouteCandidate>>?[] _v6ByLength = new Dictionary<UInt128, List<RouteCandidate>>?[129];

    internal EffectiveRouteTable(IReadOnlyList<RouteCandidate> candidates)
    {
        _candidates = [.. candidates];
        foreach (var candidate in _candidates)
        {
            var prefix = candidate.Entry.AddressPrefix;
            var byLength = prefix.Family == IpFamily.IPv4 ? _v4ByLength : _v6ByLength;
            var bucket = byLength[prefix.Length] ??= [];
            if (!bucket.TryGetValue(prefix.First, out var list))
            {
                bucket[prefix.First] = list = [];
            }

            list.Add(candidate);
        }

        MarkInvalid();
        Routes = [.. _candidates.Select(c => c.Entry)];
    }

    /// <summary>Every route, in the order Azure lists them (system, then BGP, then user), with overridden ones Invalid.</summary>
    public IReadOnlyList<RouteEntry> Routes { get; }

    /// <summary>The route traffic to <paramref name="destination"/> takes, or null when no route matches.</summary>
    public RouteEntry? Lookup(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (family, value) = IpAddressBits.ToBits(destination);
        return Select(family, value)?.Entry;
    }

    internal RouteCandidate? Select(IpFamily family, UInt128 destination)
    {
        var byLength = family == IpFamily.IPv4 ? _v4ByLength : _v6ByLength;
        List<RouteCandidate> matches = [];
        for (var length = byLength.Length - 1; length >= 0; length--)
        {
            if (byLength[length] is { } bucket &&
                bucket.TryGetValue(destination & ~IpAddressBits.HostMask(family, length), out var list))
            {
                matches.AddRange(list);
            }
        }

        var preferredOverBgp = matches.Exists(m => m.IsPreferredOverBgp);
        RouteCandidate? best = null;
        foreach (var match in matches)
        {
            if ((preferredOverBgp && match.Entry.Source == RouteSource.Bgp) || IsOverriddenEndpointRoute(match, matches))
            {
                continue;
            }

            if (best is null || match.IsBetterThan(best))
            {
                best = match;
            }
        }

        return best;
    }

    private static bool IsOverriddenEndpointRoute(RouteCandidate route, IEnumerable<RouteCandidate> matches) =>
        route.Entry.NextHopType == NextHopType.InterfaceEndpoint && route.RouteTablesApply &&
        matches.Any(m => m.Entry.Source == RouteSource.User && m.Length >= route.InvalidationLength);

    /// <summary>Marks routes that can never be chosen, as Azure's effective routes show them.</summary>
    private void MarkInvalid()
    {
        foreach (var candidate in _candidates)
        {
            var prefix = candidate.Entry.AddressPrefix;
            string? reason = null;
            var samePrefix = (prefix.Family == IpFamily.IPv4 ? _v4ByLength : _v6ByLength)[prefix.Length]![prefix.First];
            if (samePrefix.Find(other => other != candidate && other.IsBetterThan(candidate)) is { } winner)
            {
                reason = $"overridden by {winner.Entry.Source.ToString().ToLowerInvariant()} route {winner.Entry.AddressPrefix}{(winner.Entry.Name is null ? string.Empty : $" '{winner.Entry.Name}'")}";
            }
            else if (candidate.Entry.Source == RouteSource.Bgp &&
                Array.Find(_candidates, c => c.IsPreferredOverBgp && c.Entry.AddressPrefix.Contains(prefix)) is { } covering)
            {
                reason = $"system route {covering.Entry.AddressPrefix} ({covering.Entry.NextHopType}) is preferred over BGP routes";
            }
            else if (candidate.Entry.NextHopType == NextHopType.InterfaceEndpoint && candidate.RouteTablesApply &&
                Array.Find(_candidates, c => c.Entry.Source == RouteSource.User && c.Length >= candidate.InvalidationLength && c.Entry.AddressPrefix.Contains(prefix)) is { } user)
            {
                reason = $"user route {user.Entry.AddressPrefix}{(user.Entry.Name is null ? string.Empty : $" '{user.Entry.Name}'")} invalidates the private endpoint route (route table policies are enabled on the endpoint's subnet)";
            }

            if (reason is not null)
            {
                candidate.Entry = candidate.Entry with { State = RouteState.Invalid, InvalidReason = reason };
            }
        }
    }
}
