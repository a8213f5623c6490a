using System.Collections.Concurrent;
using Sluice.Network.Addressing;

namespace Sluice.Network.Tags;

/// <summary>
/// The service tags a network description can use, by case-insensitive name (Azure accepts <c>virtualNetwork</c>).
/// Immutable: <see cref="With(IEnumerable{ServiceTag})"/> returns a new set. Built-in tags may be replaced by published
/// or configured ones; any other name clash is an error, so a tag never silently means two things.
/// </summary>
public sealed class ServiceTagSet
{
    private readonly Dictionary<string, ServiceTag> _tags;
    private readonly ConcurrentDictionary<string, AddressSet> _sets = new(StringComparer.OrdinalIgnoreCase);

    private ServiceTagSet(Dictionary<string, ServiceTag> tags) => _tags = tags;

    /// <summary>The built-in tags only: <c>AzureLoadBalancer</c> (and the per-subnet <c>VirtualNetwork</c> and <c>Internet</c>).</summary>
    public static ServiceTagSet Default { get; } = new(new Dictionary<string, ServiceTag>(StringComparer.OrdinalIgnoreCase)
    {
        [WellKnownServiceTags.AzureLoadBalancer] = new ServiceTag
        {
            Name = WellKnownServiceTags.AzureLoadBalancer,
            AddressPrefixes = [WellKnownServiceTags.HostVirtualIp],
            Origin = ServiceTagOrigin.BuiltIn,
        },
    });

    public int Count => _tags.Count;

    public IEnumerable<ServiceTag> Tags => _tags.Values;

    /// <summary>Whether a rule or route may use the name: a tag of this set or one of the per-subnet tags.</summary>
    public bool Contains(string name) => WellKnownServiceTags.IsContextual(name) || _tags.ContainsKey(name);

    public bool TryGetTag(string name, out ServiceTag tag) => _tags.TryGetValue(name, out tag!);

    /// <summary>A new set with these tags added; throws <see cref="ArgumentException"/> listing every clash.</summary>
    public ServiceTagSet With(IEnumerable<ServiceTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var merged = new Dictionary<string, ServiceTag>(_tags, StringComparer.OrdinalIgnoreCase);
        var added = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        List<string> problems = [];
        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag.Name))
            {
                problems.Add("a service tag needs a name");
            }
            else if (WellKnownServiceTags.IsContextual(tag.Name))
            {
                problems.Add($"'{tag.Name}' is computed for each subnet and cannot be redefined");
            }
            else if (!added.Add(tag.Name) || (merged.TryGetValue(tag.Name, out var existing) && existing.Origin != ServiceTagOrigin.BuiltIn))
            {
                problems.Add($"service tag '{tag.Name}' is defined twice");
            }
            else
            {
                merged[tag.Name] = tag;
            }
        }

        return problems.Count == 0 ? new ServiceTagSet(merged) : throw new ArgumentException(string.Join("; ", problems), nameof(tags));
    }

    /// <summary>A new set with the tags of Azure's published service tags file added.</summary>
    public ServiceTagSet With(ServiceTagFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return With(file.Tags);
    }

    /// <summary>The tag's addresses as one set, computed once per tag.</summary>
    internal AddressSet AddressSetOf(ServiceTag tag) => _sets.GetOrAdd(tag.Name, static (_, t) => AddressSet.FromPrefixes(t.AddressPrefixes), tag);
}
