using System.Collections.Concurrent;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Rules;

namespace Sluice.Network.Tags;

/// <summary>
/// Expands a rule side (<c>*</c>, prefixes, a tag, or application security groups) into addresses. ASGs become the
/// addresses of their member interfaces and private endpoints, which is exactly "the rule applies to members only".
/// </summary>
internal sealed class AddressResolver
{
    private readonly ServiceTagSet _tags;
    private readonly Dictionary<string, List<IpPrefix>> _members = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, AddressSet> _memberSets = new(StringComparer.OrdinalIgnoreCase);

    public AddressResolver(NetworkModel model)
    {
        _tags = model.ServiceTags;
        foreach (var group in model.ApplicationSecurityGroups)
        {
            _members[group.Name] = [];
        }

        foreach (var nic in model.NetworkInterfaces)
        {
            foreach (var group in nic.ApplicationSecurityGroups)
            {
                _members[group].AddRange(nic.SecondaryPrivateIpAddresses.Prepend(nic.PrivateIpAddress).Select(IpPrefix.Parse));
            }
        }

        foreach (var endpoint in model.PrivateEndpoints)
        {
            foreach (var group in endpoint.ApplicationSecurityGroups)
            {
                _members[group].AddRange(endpoint.PrivateIpAddresses.Select(IpPrefix.Parse));
            }
        }
    }

    /// <summary>The side's addresses as one set; <paramref name="expandedFrom"/> collects the tags and groups used.</summary>
    public AddressSet Resolve(IReadOnlyList<string> entries, IReadOnlyList<string> groups, AddressScope scope, List<string> expandedFrom)
    {
        var set = AddressSet.Empty;
        List<IpPrefix> literal = [];
        foreach (var entry in entries)
        {
            switch (AddressEntry.Classify(entry, out var prefix, out _))
            {
                case AddressEntryKind.Any:
                    return AddressSet.All;
                case AddressEntryKind.Prefix:
                    literal.Add(prefix);
                    break;
                case AddressEntryKind.Tag:
                    set = set.Union(Tag(entry.Trim(), scope, expandedFrom));
                    break;
            }
        }

        foreach (var group in groups)
        {
            expandedFrom.Add($"asg:{group}");
            set = set.Union(_memberSets.GetOrAdd(group, g => AddressSet.FromPrefixes(_members[g])));
        }

        return literal.Count == 0 ? set : set.Union(AddressSet.FromPrefixes(literal));
    }

    /// <summary>
    /// The same expansion as plain prefixes, without set algebra except for the computed tags; what the linear
    /// reference evaluator matches against.
    /// </summary>
    public IReadOnlyList<IpPrefix> Prefixes(IReadOnlyList<string> entries, IReadOnlyList<string> groups, AddressScope scope)
    {
        List<IpPrefix> prefixes = [];
        foreach (var entry in entries)
        {
            switch (AddressEntry.Classify(entry, out var prefix, out _))
            {
                case AddressEntryKind.Any:
                    prefixes.Add(IpPrefix.AnyIPv4);
                    prefixes.Add(IpPrefix.AnyIPv6);
                    break;
                case AddressEntryKind.Prefix:
                    prefixes.Add(prefix);
                    break;
                case AddressEntryKind.Tag when string.Equals(entry.Trim(), WellKnownServiceTags.VirtualNetwork, StringComparison.OrdinalIgnoreCase):
                    prefixes.AddRange(scope.VirtualNetwork.ToPrefixes());
                    break;
                case AddressEntryKind.Tag when string.Equals(entry.Trim(), WellKnownServiceTags.Internet, StringComparison.OrdinalIgnoreCase):
                    prefixes.AddRange(scope.Internet.ToPrefixes());
                    break;
                case AddressEntryKind.Tag:
                    prefixes.AddRange(_tags.TryGetTag(entry.Trim(), out var tag) ? tag.AddressPrefixes : []);
                    break;
            }
        }

        foreach (var group in groups)
        {
            prefixes.AddRange(_members[group]);
        }

        return prefixes;
    }

    private AddressSet Tag(string name, AddressScope scope, List<string> expandedFrom)
    {
        if (string.Equals(name, WellKnownServiceTags.VirtualNetwork, StringComparison.OrdinalIgnoreCase))
        {
            expandedFrom.Add(WellKnownServiceTags.VirtualNetwork);
            return scope.VirtualNetwork;
        }

        if (string.Equals(name, WellKnownServiceTags.Internet, StringComparison.OrdinalIgnoreCase))
        {
            expandedFrom.Add(WellKnownServiceTags.Internet);
            return scope.Internet;
        }

        if (_tags.TryGetTag(name, out var tag))
        {
            expandedFrom.Add(tag.Name);
            return _tags.AddressSetOf(tag);
        }

        return AddressSet.Empty;
    }
}
