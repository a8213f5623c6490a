namespace Sluice.Network.Rules.Classification;

/// <summary>
/// Gives each distinct rule bitset one index, so elementary intervals that match the same rules share storage.
/// Open addressing over a flat array; only compile time uses it.
/// </summary>
internal sealed class BitsetInterner
{
    private readonly int _words;
    private ulong[] _data;
    private int[] _table;
    private int _count;

    public BitsetInterner(int words)
    {
        _words = Math.Max(1, words);
        _data = new ulong[_words * 16];
        _table = NewTable(64);
    }

    public int Count => _count;

    public int Words => _words;

    public int Intern(ReadOnlySpan<ulong> bits) => Intern(bits, out _);

    /// <summary>The index of the bitset; <paramref name="added"/> tells whether it was new.</summary>
    public int Intern(ReadOnlySpan<ulong> bits, out bool added)
    {
        added = false;
        var hash = Hash(bits);
        var mask = _table.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var index = _table[slot];
            if (index < 0)
            {
                added = true;
                return Add(bits, slot);
            }

            if (_data.AsSpan(index * _words, _words).SequenceEqual(bits))
            {
                return index;
            }
        }
    }

    public ulong[] ToArray() => _data.AsSpan(0, _count * _words).ToArray();

    private int Add(ReadOnlySpan<ulong> bits, int slot)
    {
        if ((_count + 1) * _words > _data.Length)
        {
            Array.Resize(ref _data, _data.Length * 2);
        }

        bits.CopyTo(_data.AsSpan(_count * _words, _words));
        _table[slot] = _count;
        _count++;
        if (_count * 2 > _table.Length)
        {
            Rehash();
        }

        return _count - 1;
    }

    private void Rehash()
    {
        _table = NewTable(_table.Length * 2);
        var mask = _table.Length - 1;
        for (var index = 0; index < _count; index++)
        {
            var slot = Hash(_data.AsSpan(index * _words, _words)) & mask;
            while (_table[slot] >= 0)
            {
                slot = (slot + 1) & mask;
            }

            _table[slot] = index;
        }
    }

    private static int[] NewTable(int size)
    {
        var table = new int[size];
        Array.Fill(table, -1);
        return table;
    }

    private static int Hash(ReadOnlySpan<ulong> bits)
    {
        var hash = 14695981039346656037UL;
        foreach (var word in bits)
        {
            hash = (hash ^ word) * 1099511628211UL;
            hash ^= hash >> 29;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
