using System.Globalization;
using Sluice.Scoring.Abstractions;

namespace Sluice.Bench.Scorers;

/// <summary>
/// An I/O-bound scorer: waits SLEEP_MS milliseconds per file (default 50), as a scorer calling a remote service
/// would, and returns one row per file. Its throughput is bounded by concurrency, not by cores.
/// </summary>
public sealed class SleepingScorer : IBatchScorer
{
    private TimeSpan _delay = TimeSpan.FromMilliseconds(50);

    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken)
    {
        if (context.EnvironmentVariables.TryGetValue("SLEEP_MS", out var ms))
        {
            _delay = TimeSpan.FromMilliseconds(int.Parse(ms, CultureInfo.InvariantCulture));
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        output.SetColumns("file_name");
        foreach (var file in miniBatch)
        {
            await Task.Delay(_delay, cancellationToken);
            output.AddRow(Path.GetFileName(file));
        }
    }
}
