namespace Sluice.Network.Addressing;

/// <summary>
/// An immutable set of IPv4 and IPv6 addresses held as sorted, disjoint, non-adjacent ranges per family.
/// Service tags, ASGs and rule address lists all reduce to one of these, so set algebra (the Internet tag is the
/// public space minus the VirtualNetwork tag) and comparisons (duplicate rules) are exact.
/// </summary>
internal sealed class AddressSet : IEquatable<AddressSet>
{
    private readonly AddressRange[] _v4;
    private readonly AddressRange[] _v6;
    private int _hash;

    private AddressSet(AddressRange[] v4, AddressRange[] v6)
    {
        _v4 = v4;
        _v6 = v6;
    }

    public static AddressSet Empty { get; } = new([], []);

    /// <summary>Every IPv4 and IPv6 address: what <c>*</c> means in a security rule.</summary>
    public static AddressSet All { get; } = new([new(UInt128.Zero, IpAddressBits.MaxIPv4)], [new(UInt128.Zero, UInt128.MaxValue)]);

    public bool IsEmpty => _v4.Length == 0 && _v6.Length == 0;

    public ReadOnlySpan<AddressRange> Ranges(IpFamily family) => family == IpFamily.IPv4 ? _v4 : _v6;

    public static AddressSet FromPrefixes(IEnumerable<IpPrefix> prefixes)
    {
        List<AddressRange> v4 = [];
        List<AddressRange> v6 = [];
        foreach (var prefix in prefixes)
        {
            (prefix.Family == IpFamily.IPv4 ? v4 : v6).Add(AddressRange.Of(prefix));
        }

        return new AddressSet(Normalize(v4), Normalize(v6));
    }

    public static AddressSet FromPrefix(IpPrefix prefix) => FromPrefixes([prefix]);

    public bool Contains(IpFamily family, UInt128 value)
    {
        var ranges = Ranges(family);
        int low = 0, high = ranges.Length - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (ranges[mid].End < value)
            {
                low = mid + 1;
            }
            else if (ranges[mid].Start > value)
            {
                high = mid - 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    public bool Contains(IpPrefix prefix)
    {
        var ranges = Ranges(prefix.Family);
        foreach (var range in ranges)
        {
            if (range.Start <= prefix.First && prefix.Last <= range.End)
            {
                return true;
            }
        }

        return false;
    }

    public bool Overlaps(IpPrefix prefix)
    {
        foreach (var range in Ranges(prefix.Family))
        {
            if (range.Start <= prefix.Last && prefix.First <= range.End)
            {
                return true;
            }
        }

        return false;
    }

    public AddressSet Union(AddressSet other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        return IsEmpty ? other : new AddressSet(Normalize([.. _v4, .. other._v4]), Normalize([.. _v6, .. other._v6]));
    }

    public AddressSet Except(AddressSet other) =>
        other.IsEmpty ? this : new AddressSet(Subtract(_v4, other._v4), Subtract(_v6, other._v6));

    /// <summary>The fewest CIDR prefixes that cover exactly this set, IPv4 first; how effective rules show an expansion.</summary>
    public IReadOnlyList<IpPrefix> ToPrefixes()
    {
        List<IpPrefix> prefixes = [];
        AppendPrefixes(IpFamily.IPv4, _v4, prefixes);
        AppendPrefixes(IpFamily.IPv6, _v6, prefixes);
        return prefixes;
    }

    private static void AppendPrefixes(IpFamily family, AddressRange[] ranges, List<IpPrefix> into)
    {
        var width = IpAddressBits.Width(family);
        foreach (var range in ranges)
        {
            var start = range.Start;
            while (true)
            {
                // The largest aligned block that starts at 'start' and does not pass the end of the range.
                var length = start == UInt128.Zero ? 0 : width - Math.Min(width, (int)UInt128.TrailingZeroCount(start));
                while (length < width && (start | IpAddressBits.HostMask(family, length)) > range.End)
                {
                    length++;
                }

                into.Add(IpPrefix.FromBits(family, start, length));
                var last = start | IpAddressBits.HostMask(family, length);
                if (last >= range.End)
                {
                    break;
                }

                start = last + UInt128.One;
            }
        }
    }

    private static AddressRange[] Normalize(List<AddressRange> ranges)
    {
        if (ranges.Count <= 1)
        {
            return [.. ranges];
        }

        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        List<AddressRange> merged = [ranges[0]];
        for (var i = 1; i < ranges.Count; i++)
        {
            var last = merged[^1];
            var next = ranges[i];
            if (last.End == UInt128.MaxValue || next.Start <= last.End + UInt128.One)
            {
                if (next.End > last.End)
                {
                    merged[^1] = last with { End = next.End };
                }
            }
            else
            {
                merged.Add(next);
            }
        }

        return [.. merged];
    }

    private static AddressRange[] Subtract(AddressRange[] from, AddressRange[] remove)
    {
        if (remove.Length == 0 || from.Length == 0)
        {
            return from;
        }

        List<AddressRange> result = [];
        var j = 0;
        foreach (var range in from)
        {
            var start = range.Start;
            var end = range.End;
            var open = true;
            while (j < remove.Length && remove[j].End < start)
            {
                j++;
            }

            for (var k = j; k < remove.Length && remove[k].Start <= end; k++)
            {
                if (remove[k].Start > start)
                {
                    result.Add(new AddressRange(start, remove[k].Start - UInt128.One));
                }

                if (remove[k].End >= end)
                {
                    open = false;
                    break;
                }

                start = remove[k].End + UInt128.One;
            }

            if (open)
            {
                result.Add(new AddressRange(start, end));
            }
        }

        return [.. result];
    }

    public bool Equals(AddressSet? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && GetHashCode() == other.GetHashCode() && _v4.AsSpan().SequenceEqual(other._v4) && _v6.AsSpan().SequenceEqual(other._v6));

    public override bool Equals(object? obj) => Equals(obj as AddressSet);

    /// <summary>Computed once: rules compare and index sets by value, and tag sets can be large.</summary>
    public override int GetHashCode()
    {
        // Zero means "not computed yet"; a benign race computes the same value twice.
        if (_hash != 0)
        {
            return _hash;
        }

        var hash = new HashCode();
        foreach (var range in _v4)
        {
            hash.Add(range);
        }

        foreach (var range in _v6)
        {
            hash.Add(range);
        }

        var value = hash.ToHashCode();
        _hash = value == 0 ? 1 : value;
        return _hash;
    }

    public override string ToString() => string.Join(", ", ToPrefixes());
}
