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
internal sealed class ShadowAnalysis
{
    private readonly RuleClassifier _classifier;
    private readonly int _words;

    public ShadowAnalysis(RuleClassifier classifier)
    {
        _classifier = classifier;
        _words = classifier.Words;
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

        // Fields are independent except that ICMP, ESP and AH flows carry no ports: they are searched separately,
        // with their ports fixed to "no port", and TCP/UDP with real ports only.
        (IEnumerable<ulong[]> Protocols, uint Low, uint High)[] protocolKinds =
        [
            (ProtocolClasses(0, 1), 0, PortRange.MaxPort),
            (ProtocolClasses(2, 3, 4), FlowKey.NoPort, FlowKey.NoPort),
        ];
        (object Sources, object Destinations)[] families =
        [
            (_classifier.Sources4, _classifier.Destinations4),
            (_classifier.Sources6, _classifier.Destinations6),
        ];
        foreach (var (protocols, low, high) in protocolKinds)
        {
            foreach (var (sources, destinations) in families)
            {
                List<ulong[][]> fields =
                [
                    Groups(protocols, rule, earlier),
                    Groups(Classes(sources), rule, earlier),
                    Groups(Classes(destinations), rule, earlier),
                    Groups(PortClasses(_classifier.DestinationPorts, low, high), rule, earlier),
                    Groups(PortClasses(_classifier.SourcePorts, low, high), rule, earlier),
                ];
                if (fields.Exists(f => f.Length == 0))
                {
                    continue;
                }

                anySpace = true;
                var seen = new HashSet<string>[fields.Count];
                for (var i = 0; i < seen.Length; i++)
                {
                    seen[i] = [];
                }

                var all = new ulong[_words];
                Array.Fill(all, ulong.MaxValue);
                if (Search(fields, 0, all, seen, blocking))
                {
                    return (true, []);
                }
            }
        }

        return (false, anySpace ? [.. blocking] : []);
    }

    /// <summary>True when some completion of <paramref name="running"/> leaves no earlier rule matching.</summary>
    private bool Search(List<ulong[][]> fields, int depth, ulong[] running, HashSet<string>[] seen, SortedSet<int> blocking)
    {
        if (IsZero(running))
        {
            return true;
        }

        if (depth == fields.Count)
        {
            blocking.Add(LowestBit(running));
            return false;
        }

        foreach (var group in fields[depth])
        {
            var next = new ulong[_words];
            for (var w = 0; w < _words; w++)
            {
                next[w] = running[w] & group[w];
            }

            if (!seen[depth].Add(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(next.AsSpan()))))
            {
                continue;
            }

            if (Search(fields, depth + 1, next, seen, blocking))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The distinct sets of earlier rules over the field's intervals that the rule matches.</summary>
    private ulong[][] Groups(IEnumerable<ulong[]> classes, int rule, ulong[] earlier)
    {
        var interner = new BitsetInterner(_words);
        var restricted = new ulong[_words];
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

            interner.Intern(restricted);
        }

        var flat = interner.ToArray();
        var groups = new ulong[interner.Count][];
        for (var g = 0; g < groups.Length; g++)
        {
            groups[g] = flat.AsSpan(g * _words, _words).ToArray();
        }

        return groups;
    }

    private IEnumerable<ulong[]> ProtocolClasses(params int[] protocols)
    {
        foreach (var protocol in protocols)
        {
            yield return _classifier.Protocol(protocol).ToArray();
        }
    }

    private static IEnumerable<ulong[]> PortClasses(IntervalDimension<uint> ports, uint low, uint high) =>
        ports.ClassesIn(low, high).Select(c => ports.Class(c).ToArray());

    private static IEnumerable<ulong[]> Classes(object dimension) => dimension switch
    {
        IntervalDimension<uint> d => Enumerable.Range(0, d.ClassCount).Select(c => d.Class(c).ToArray()),
        IntervalDimension<UInt128> d => Enumerable.Range(0, d.ClassCount).Select(c => d.Class(c).ToArray()),
        _ => [],
    };

    private static bool IsZero(ulong[] bits) => Array.TrueForAll(bits, b => b == 0);

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
