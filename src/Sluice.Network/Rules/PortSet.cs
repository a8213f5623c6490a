using Sluice.Network.Addressing;

namespace Sluice.Network.Rules;

/// <summary>
/// A rule's ports as sorted, merged ranges over 0–65536, where 65536 stands for "no port" (<see cref="FlowKey.NoPort"/>).
/// A set that covers every real port also covers "no port", so <c>*</c> and <c>0-65535</c> match ICMP, ESP and AH.
/// </summary>
internal sealed class PortSet : IEquatable<PortSet>
{
    private PortSet((int Start, int End)[] ranges) => Ranges = ranges;

    public (int Start, int End)[] Ranges { get; }

    public bool IsEmpty => Ranges.Length == 0;

    public static PortSet From(IEnumerable<PortRange> ranges)
    {
        var sorted = ranges.Select(r => (r.Start, r.End)).OrderBy(r => r.Start).ToList();
        List<(int Start, int End)> merged = [];
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End + 1)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add(range);
            }
        }

        if (merged is [(0, PortRange.MaxPort)])
        {
            merged[0] = (0, FlowKey.NoPort);
        }

        return new PortSet([.. merged]);
    }

    /// <summary>The ranges as users write them (the "no port" marker is not shown).</summary>
    public IReadOnlyList<PortRange> ToPortRanges() =>
        [.. Ranges.Select(r => new PortRange(r.Start, Math.Min(r.End, PortRange.MaxPort)))];

    public bool Equals(PortSet? other) => other is not null && Ranges.AsSpan().SequenceEqual(other.Ranges);

    public override bool Equals(object? obj) => Equals(obj as PortSet);

    public override int GetHashCode() => Ranges.Length == 0 ? 0 : HashCode.Combine(Ranges.Length, Ranges[0], Ranges[^1]);
}
