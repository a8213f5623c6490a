using System.Numerics;
using Sluice.Network.Addressing;

namespace Sluice.Network.Rules.Classification;

/// <summary>
/// The bit-vector classifier for one ordered rule list (one NSG direction in one scope). Each 5-tuple field is an
/// <see cref="IntervalDimension{T}"/>; a lookup does one binary search per field, ANDs the five bitsets word by word
/// and returns the lowest set bit: the first rule, in priority order, that matches every field. The default
/// DenyAll rule matches everything, so a lookup always finds a rule.
/// </summary>
internal sealed class RuleClassifier
{
    private readonly int _words;
    private readonly ulong[] _protocols;

    private RuleClassifier(int ruleCount, int words, ulong[] protocols, IntervalDimension<uint> sources4, IntervalDimension<uint> destinations4,
        IntervalDimension<UInt128> sources6, IntervalDimension<UInt128> destinations6, IntervalDimension<uint> sourcePorts, IntervalDimension<uint> destinationPorts)
    {
        RuleCount = ruleCount;
        _words = words;
        _protocols = protocols;
        Sources4 = sources4;
        Destinations4 = destinations4;
        Sources6 = sources6;
        Destinations6 = destinations6;
        SourcePorts = sourcePorts;
        DestinationPorts = destinationPorts;
    }

    public int RuleCount { get; }

    public int Words => _words;

    internal IntervalDimension<uint> Sources4 { get; }

    internal IntervalDimension<uint> Destinations4 { get; }

    internal IntervalDimension<UInt128> Sources6 { get; }

    internal IntervalDimension<UInt128> Destinations6 { get; }

    internal IntervalDimension<uint> SourcePorts { get; }

    internal IntervalDimension<uint> DestinationPorts { get; }

    internal ReadOnlySpan<ulong> Protocol(int protocol) => new(_protocols, protocol * _words, _words);

    public static RuleClassifier Build(IReadOnlyList<ExpandedRule> rules)
    {
        var words = Math.Max(1, (rules.Count + 63) / 64);
        var protocols = new ulong[FlowKey.ProtocolCount * words];
        for (var rule = 0; rule < rules.Count; rule++)
        {
            for (var protocol = 0; protocol < FlowKey.ProtocolCount; protocol++)
            {
                if ((rules[rule].ProtocolMask & (1 << protocol)) != 0)
                {
                    protocols[(protocol * words) + (rule >> 6)] |= 1UL << (rule & 63);
                }
            }
        }

        // Rules that use the same tag or port list share one range array, so the dimensions sweep it once.
        var v4 = new Dictionary<AddressSet, (uint, uint)[]>();
        var v6 = new Dictionary<AddressSet, (UInt128, UInt128)[]>();
        var ports = new Dictionary<PortSet, (uint, uint)[]>();
        (uint, uint)[] V4Of(AddressSet set) => v4.TryGetValue(set, out var ranges) ? ranges : v4[set] = V4(set);
        (UInt128, UInt128)[] V6Of(AddressSet set) => v6.TryGetValue(set, out var ranges) ? ranges : v6[set] = V6(set);
        (uint, uint)[] PortsOf(PortSet set) => ports.TryGetValue(set, out var ranges) ? ranges : ports[set] = Ports(set);
        return new RuleClassifier(
            rules.Count,
            words,
            protocols,
            IntervalDimension<uint>.Build([.. rules.Select(r => V4Of(r.Sources))], words),
            IntervalDimension<uint>.Build([.. rules.Select(r => V4Of(r.Destinations))], words),
            IntervalDimension<UInt128>.Build([.. rules.Select(r => V6Of(r.Sources))], words),
            IntervalDimension<UInt128>.Build([.. rules.Select(r => V6Of(r.Destinations))], words),
            IntervalDimension<uint>.Build([.. rules.Select(r => PortsOf(r.SourcePorts))], words),
            IntervalDimension<uint>.Build([.. rules.Select(r => PortsOf(r.DestinationPorts))], words));
    }

    /// <summary>The index of the first matching rule, or -1 when none matches.</summary>
    public int Match(in FlowKey key)
    {
        ReadOnlySpan<ulong> sources, destinations;
        if (key.Family == IpFamily.IPv4)
        {
            sources = Sources4.Lookup((uint)key.Source);
            destinations = Destinations4.Lookup((uint)key.Destination);
        }
        else
        {
            sources = Sources6.Lookup(key.Source);
            destinations = Destinations6.Lookup(key.Destination);
        }

        var protocol = Protocol(key.Protocol);
        var sourcePorts = SourcePorts.Lookup((uint)key.SourcePort);
        var destinationPorts = DestinationPorts.Lookup((uint)key.DestinationPort);
        for (var word = 0; word < _words; word++)
        {
            var bits = protocol[word] & destinations[word] & destinationPorts[word] & sources[word] & sourcePorts[word];
            if (bits != 0)
            {
                return (word << 6) + BitOperations.TrailingZeroCount(bits);
            }
        }

        return -1;
    }

    private static (uint, uint)[] V4(AddressSet set)
    {
        var ranges = set.Ranges(IpFamily.IPv4);
        var result = new (uint, uint)[ranges.Length];
        for (var i = 0; i < ranges.Length; i++)
        {
            result[i] = ((uint)ranges[i].Start, (uint)ranges[i].End);
        }

        return result;
    }

    private static (UInt128, UInt128)[] V6(AddressSet set)
    {
        var ranges = set.Ranges(IpFamily.IPv6);
        var result = new (UInt128, UInt128)[ranges.Length];
        for (var i = 0; i < ranges.Length; i++)
        {
            result[i] = (ranges[i].Start, ranges[i].End);
        }

        return result;
    }

    private static (uint, uint)[] Ports(PortSet ports) => [.. ports.Ranges.Select(r => ((uint)r.Start, (uint)r.End))];
}
