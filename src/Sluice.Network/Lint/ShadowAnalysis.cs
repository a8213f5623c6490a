using System.Numerics;
using Sluice.Network.Addressing;
using Sluice.Network.Rules;
using Sluice.Network.Rules.Classification;

namespace Sluice.Network.Lint;

/// <summary>
/// Decides exactly whether a rule can ever be the first match, on the compiled classifier. A rule's match space is a
/// product of elementary intervals, one per field; the rule is reachable iff some combination of its intervals has no
/// earlier rule matching in every field. Intervals are grouped per field by the set of earlier rules that match there
/// (usually few groups), and a depth-first search over the fields ANDs those sets: an empty AND is a flow the rule
/// decides. Partial ANDs are memoised per field, so shadowing by the union of several earlier rules is found without
/// enumerating flows. When the rule is unreachable, the lowest rule of every full AND is a rule that takes some of its
/// traffic: those are the blocking rules.
/// </summary>
/// <remarks>
/// Fields are independent except two ways, handled by searching each combination separately: source and destination
/// are of one address family, and ICMP, ESP and AH flows carry no ports (their ports are fixed to "no port", while
/// TCP and UDP take real ports only).
/// </remarks>
internal sealed class ShadowAnalysis
{
    private readonly int _words;
    private readonly List<ulong[][][]> _spaces = [];

    public ShadowAnalysis(RuleClassifier classifier)
    {
        _words = classifier.Words;
        ulong[][] portful = [classifier.Protocol(0).ToArray(), classifier.Protocol(1).ToArray()];
        ulong[][] portless = [classifier.Protocol(2).ToArray(), classifier.Protocol(3).ToArray(), classifier.Protocol(4).ToArray()];
        var realPorts = (Ports(classifier.DestinationPorts, 0, PortRange.MaxPort), Ports(classifier.SourcePorts, 0, PortRange.MaxPort));
        var noPorts = (Ports(classifier.DestinationPorts, FlowKey.NoPort, FlowKey.NoPort), Ports(classifier.SourcePorts, FlowKey.NoPort, FlowKey.NoPort));
        var v4 = (All(classifier.Sources4), All(classifier.Destinations4));
        var v6 = (All(classifier.Sources6), All(classifier.Destinations6));
        foreach (var (protocols, (destinationPorts, sourcePorts)) in new[] { (portful, realPorts), (portless, noPorts) })
        {
            foreach (var (sources, destinations) in new[] { v4, v6 })
            {
                _spaces.Add([protocols, sources, destinations, destinationPorts, sourcePorts]);
            }
        }
    }

    public (bool Reachable, IReadOnlyList<int> Blocking) Analyze(int rule)
    {
        var earlier = new ulong[_words];
        for (var i = 0; i < rule; i++)
        {
            earlier[i >> 6] |= 1UL << (i & 63);
        }

        var blocking = new SortedSet<int>();
        var anySpace = false;
        foreach (var space in _spaces)
        {
            var fields = space.Select(classes => Groups(classes, rule, earlier)).ToArray();
            if (Array.Exists(fields, f => f.Length == 0))
            {
                continue;
            }

            anySpace = true;
            var seen = fields.Select(_ => new BitsetInterner(_words)).ToArray();
            var all = new ulong[_words];
            Array.Fill(all, ulong.MaxValue);
            if (Search(fields, 0, all, seen, blocking))
            {
                return (true, []);
            }
        }

        return (false, anySpace ? [.. blocking] : []);
    }

    /// <summary>True when some completion of <paramref name="running"/> leaves no earlier rule matching.</summary>
    private bool Search(ulong[][][] fields, int depth, ulong[] running, BitsetInterner[] seen, SortedSet<int> blocking)
    {
        if (Array.TrueForAll(running, b => b == 0))
        {
            return true;
        }

        if (depth == fields.Length)
        {
            blocking.Add(LowestBit(running));
            return false;
        }

        var next = new ulong[_words];
        foreach (var group in fields[depth])
        {
            for (var w = 0; w < _words; w++)
            {
                next[w] = running[w] & group[w];
            }

            seen[depth].Intern(next, out var added);
            if (added && Search(fields, depth + 1, (ulong[])next.Clone(), seen, blocking))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The distinct sets of earlier rules over the field's classes that the rule matches.</summary>
    private ulong[][] Groups(ulong[][] classes, int rule, ulong[] earlier)
    {
        var interner = new BitsetInterner(_words);
        var restricted = new ulong[_words];
        List<ulong[]> groups = [];
        foreach (var cls in classes)
        {
            if ((cls[rule >> 6] & (1UL << (rule & 63))) == 0)
            {
                continue;
            }

            for (var w = 0; w < _words; w++)
            {
                restricted[w] = cls[w] & earlier[w];
            }

            interner.Intern(restricted, out var added);
            if (added)
            {
                groups.Add((ulong[])restricted.Clone());
            }
        }

        return [.. groups];
    }

    private static ulong[][] All<T>(IntervalDimension<T> dimension)
        where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T> =>
        [.. Enumerable.Range(0, dimension.ClassCount).Select(c => dimension.Class(c).ToArray())];

    private static ulong[][] Ports(IntervalDimension<uint> ports, uint low, uint high) =>
        [.. ports.ClassesIn(low, high).Select(c => ports.Class(c).ToArray())];

    private static int LowestBit(ulong[] bits)
    {
        for (var w = 0; w < bits.Length; w++)
        {
            if (bits[w] != 0)
            {
                return (w << 6) + BitOperations.TrailingZeroCount(bits[w]);
            }
        }

        return -1;
    }
}
