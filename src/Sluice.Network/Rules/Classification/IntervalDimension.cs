using System.Numerics;

namespace Sluice.Network.Rules.Classification;

/// <summary>
/// One field of the 5-tuple (an address family's addresses, or ports) split into elementary intervals at every rule
/// boundary. Each interval points at the bitset of the rules that match anywhere in it (bit <c>i</c> = rule <c>i</c>
/// in evaluation order); identical bitsets are stored once. A lookup is one binary search.
/// </summary>
internal sealed class IntervalDimension<T>
    where T : unmanaged, IBinaryInteger<T>, IMinMaxValue<T>
{
    private readonly T[] _starts;
    private readonly int[] _offsets;
    private readonly ulong[] _classes;
    private readonly int _words;

    private IntervalDimension(T[] starts, int[] offsets, ulong[] classes, int words)
    {
        _starts = starts;
        _offsets = offsets;
        _classes = classes;
        _words = words;
    }

    /// <summary>How many elementary intervals the field is split into.</summary>
    public int IntervalCount => _starts.Length;

    /// <summary>How many distinct rule bitsets the intervals use.</summary>
    public int ClassCount => _classes.Length / _words;

    public ReadOnlySpan<ulong> Class(int index) => new(_classes, index * _words, _words);

    /// <summary>The distinct classes of the intervals that overlap <c>[low, high]</c>.</summary>
    public IEnumerable<int> ClassesIn(T low, T high)
    {
        var seen = new HashSet<int>();
        for (var i = 0; i < _starts.Length; i++)
        {
            var end = i + 1 < _starts.Length ? _starts[i + 1] - T.One : T.MaxValue;
            if (_starts[i] <= high && end >= low && seen.Add(_offsets[i] / _words))
            {
                yield return _offsets[i] / _words;
            }
        }
    }

    /// <summary>
    /// Builds the dimension from each rule's sorted, merged, inclusive ranges. Rules that share a range array (the
    /// same tag, the same port list) are swept together: a range's start sets the bits of all its rules at once and
    /// its end clears them, which is sound because each rule has exactly one range array per field.
    /// </summary>
    public static IntervalDimension<T> Build(IReadOnlyList<(T Start, T End)[]> rules, int words)
    {
        var interner = new BitsetInterner(words);
        words = interner.Words;
        var groups = new Dictionary<(T Start, T End)[], int>(ReferenceEqualityComparer.Instance);
        List<ulong[]> masks = [];
        for (var rule = 0; rule < rules.Count; rule++)
        {
            if (!groups.TryGetValue(rules[rule], out var group))
            {
                groups[rules[rule]] = group = masks.Count;
                masks.Add(new ulong[words]);
            }

            masks[group][rule >> 6] |= 1UL << (rule & 63);
        }

        List<T> positions = [];
        List<int> changes = [];
        foreach (var (ranges, group) in groups)
        {
            foreach (var (start, end) in ranges)
            {
                positions.Add(start);
                changes.Add(group + 1);
                if (end != T.MaxValue)
                {
                    positions.Add(end + T.One);
                    changes.Add(-(group + 1));
                }
            }
        }

        var keys = positions.ToArray();
        var values = changes.ToArray();
        Array.Sort(keys, values);
        var current = new ulong[words];
        List<T> starts = [];
        List<int> classes = [];
        if (keys.Length == 0 || keys[0] != T.Zero)
        {
            starts.Add(T.Zero);
            classes.Add(interner.Intern(current));
        }

        for (var i = 0; i < keys.Length;)
        {
            var position = keys[i];
            for (; i < keys.Length && keys[i] == position; i++)
            {
                var mask = masks[Math.Abs(values[i]) - 1];
                for (var w = 0; w < words; w++)
                {
                    current[w] = values[i] > 0 ? current[w] | mask[w] : current[w] & ~mask[w];
                }
            }

            var cls = interner.Intern(current);
            if (classes.Count > 0 && classes[^1] == cls)
            {
                continue;
            }

            starts.Add(position);
            classes.Add(cls);
        }

        return new IntervalDimension<T>([.. starts], [.. classes.Select(c => c * words)], interner.ToArray(), words);
    }

    /// <summary>The bitset of the rules that match <paramref name="value"/> in this field.</summary>
    public ReadOnlySpan<ulong> Lookup(T value)
    {
        var starts = _starts;
        int low = 0, high = starts.Length - 1;
        while (low < high)
        {
            var mid = (low + high + 1) >>> 1;
            if (starts[mid] <= value)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return new ReadOnlySpan<ulong>(_classes, _offsets[low], _words);
    }
}
