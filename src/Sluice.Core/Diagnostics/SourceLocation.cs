namespace Sluice.Core.Diagnostics;

/// <summary>Where a problem sits: a file (or "--set", or a request body) and, when known, a 1-based line and column.</summary>
public readonly record struct SourceLocation(string Source, long Line = 0, long Column = 0)
{
    public bool HasPosition => Line > 0;

    public override string ToString() => HasPosition ? $"{Source}:{Line}:{Column}" : Source;
}
