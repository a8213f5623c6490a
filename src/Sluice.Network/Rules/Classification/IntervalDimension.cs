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

    /// <summary>Builds the dimension from each rule's sorted, merged, inclusive ranges.</summary>
    public static IntervalDimension<T> Build(IReadOnlyList<(T Start, T End)[]> rules, int words)
    {
        List<(T Position, int Rule, bool Start)> events = [];
        for (var rule = 0; rule < rules.Count; rule++)
        {
            foreach (var (start, end) in rules[rule])
            {
                events.Add((start, rule, true));
                if (end != T.MaxValue)
                {
                    events.Add((end + T.One, rule, false));
                }
            }
        }

        events.Sort((a, b) => a.Position.CompareTo(b.Position));
        var interner = new BitsetInterner(words);
        var current = new ulong[interner.Words];
        List<T> starts = [];
        List<int> classes = [];
        if (events.Count == 0 || events[0].Position != T.Zero)
        {
            starts.Add(T.Zero);
            classes.Add(interner.Intern(current));
        }

        for (var i = 0; i < events.Count;)
        {
            var position = events[i].Position;
            for (; i < events.Count && events[i].Position == position; i++)
            {
                var (_, rule, isStart) = events[i];
                if (isStart)
                {
                    current[rule >> 6] |= 1UL << (rule & 63);
                }
                else
                {
                    current[rule >> 6] &= ~(1UL << (rule & 63));
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

        return new IntervalDimension<T>([.. starts], [.. classes.Select(c => c * interner.Words)], interner.ToArray(), interner.Words);
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
