using Sluice.Scoring.Abstractions;

namespace Sluice.Bench.Scorers;

/// <summary>
/// The trivial scorer of the 1,000,000-file benchmark: one row per file, its name. It does no work of its own, so the
/// benchmark measures Sluice itself — planning, dispatch, commits, progress and the final merge.
/// </summary>
public sealed class FileNameScorer : IBatchScorer
{
    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        output.SetColumns("file_name");
        foreach (var file in miniBatch)
        {
            output.AddRow(Path.GetFileName(file));
        }

        return ValueTask.CompletedTask;
    }
}
