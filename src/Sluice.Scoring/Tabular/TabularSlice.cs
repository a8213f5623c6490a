namespace Sluice.Scoring.Tabular;

/// <summary>Part of a line-based tabular file: bytes [Start, End) holding rows from FirstRow, after a header of HeaderLength bytes (CSV).</summary>
public sealed record TabularSlice(long Start, long End, long HeaderLength, long FirstRow);

/// <summary>
/// One input of a mini-batch as a scorer receives it: a local file, or a slice of one. <see cref="Key"/> names it in
/// <see cref="Abstractions.ScoreOutput.BeginFile"/> and <see cref="Abstractions.ScoreOutput.Fail"/>.
/// </summary>
public sealed record ScoringInput(string Key, string LocalPath, TabularSlice? Slice = null)
{
    public static ScoringInput Whole(string path) => new(path, path);
}

/// <summary>Implemented by Sluice's own scorers that can read slices of tabular files in place, without a copy.</summary>
public interface ISliceAwareScorer
{
    ValueTask RunAsync(IReadOnlyList<ScoringInput> inputs, Abstractions.ScoreOutput output, CancellationToken cancellationToken);
}
