namespace Sluice.Scoring.Abstractions;

/// <summary>
/// A batch scorer: what Azure ML's <c>init()</c>/<c>run(mini_batch)</c> scoring script is, as a .NET type. Sluice
/// creates one instance per worker, calls <see cref="InitAsync"/> once, then <see cref="RunAsync"/> for one mini-batch
/// at a time (never concurrently on the same instance).
/// </summary>
public interface IBatchScorer
{
    /// <summary>Loads the model and anything else the scorer needs; runs once per worker before any mini-batch.</summary>
    ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Scores one mini-batch: <paramref name="miniBatch"/> holds the local paths of its files. Rows go to
    /// <paramref name="output"/>; a file that cannot be scored is reported with <see cref="ScoreOutput.Fail"/> so the
    /// others still count. An exception fails the whole mini-batch.
    /// </summary>
    ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken);
}
