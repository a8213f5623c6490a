using System.Globalization;
using Sluice.Scoring.Abstractions;

namespace Sluice.TestScorers;

/// <summary>One row per file with its name and size; throws for any file whose name contains "poison".</summary>
public sealed class ThrowingScorer : IBatchScorer
{
    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        output.SetColumns("file_name", "bytes");
        foreach (var file in miniBatch)
        {
            if (Path.GetFileName(file).Contains("poison", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"cannot score {Path.GetFileName(file)}");
            }

            output.AddRow(Path.GetFileName(file), new FileInfo(file).Length);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>For summary_only deployments: writes one result file per input into its output folder and no rows.</summary>
public sealed class OutputFolderScorer : IBatchScorer
{
    private string _folder = string.Empty;

    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken)
    {
        _folder = context.OutputFolder ?? throw new InvalidOperationException("expected an output folder (output_action: summary_only)");
        return ValueTask.CompletedTask;
    }

    public async ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        foreach (var file in miniBatch)
        {
            var lines = (await File.ReadAllLinesAsync(file, cancellationToken)).Length;
            await File.WriteAllTextAsync(Path.Combine(_folder, Path.GetFileNameWithoutExtension(file) + ".summary.txt"), lines.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
    }
}

/// <summary>Fails to start, always: its scorer constructor works but init throws.</summary>
public sealed class BrokenInitScorer : IBatchScorer
{
    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken) =>
        throw new FileNotFoundException("model weights 'missing.bin' not found");

    public ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>
/// Takes SLOW_SCORER_MS milliseconds per file (default 200), honouring cancellation; one row per file. In a process
/// started with SLOW_SCORER_STALL=1 (a sick node) every run stalls until it is abandoned.
/// </summary>
public sealed class SlowScorer : IBatchScorer
{
    private int _delay = 200;

    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken)
    {
        if (context.EnvironmentVariables.TryGetValue("SLOW_SCORER_MS", out var ms))
        {
            _delay = int.Parse(ms, CultureInfo.InvariantCulture);
        }

        if (Environment.GetEnvironmentVariable("SLOW_SCORER_STALL") == "1")
        {
            _delay = Timeout.Infinite;
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

/// <summary>Hangs on files whose name contains "hang", ignoring cancellation (as stuck native code would); one row per other file.</summary>
public sealed class HangingScorer : IBatchScorer
{
    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        output.SetColumns("file_name");
        foreach (var file in miniBatch)
        {
            if (Path.GetFileName(file).Contains("hang", StringComparison.Ordinal))
            {
                // Bounded so the test process is not left with a thread stuck forever.
                Thread.Sleep(TimeSpan.FromSeconds(4));
            }

            output.AddRow(Path.GetFileName(file));
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Says which rows belong to which file, and returns no row for files whose name contains "skip".</summary>
public sealed class SkippingScorer : IBatchScorer
{
    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        output.SetColumns("file_name");
        foreach (var file in miniBatch)
        {
            output.BeginFile(file);
            if (!Path.GetFileName(file).Contains("skip", StringComparison.Ordinal))
            {
                output.AddRow(Path.GetFileName(file));
            }
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>One row per input: its file name and how many lines it has (a slice of a CSV file arrives with its header).</summary>
public sealed class LineCountScorer : IBatchScorer
{
    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        output.SetColumns("file_name", "lines", "first_line");
        foreach (var file in miniBatch)
        {
            var lines = await File.ReadAllLinesAsync(file, cancellationToken);
            output.AddRow(Path.GetFileName(file), lines.Length, lines.Length > 0 ? lines[0] : string.Empty);
        }
    }
}

/// <summary>
/// One row per file (its name and size). Before its first mini-batch it creates GATE_DIR/started and waits (60 s at
/// most) until GATE_DIR/open exists, so a test can change a job's inputs at a known point while the job runs.
/// </summary>
public sealed class GatedScorer : IBatchScorer
{
    private string? _gate;

    public ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken)
    {
        _gate = context.EnvironmentVariables.TryGetValue("GATE_DIR", out var gate) ? gate : throw new InvalidOperationException("set GATE_DIR in the deployment's environment_variables");
        return ValueTask.CompletedTask;
    }

    public async ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        if (_gate is { } gate)
        {
            _gate = null;
            await File.WriteAllTextAsync(Path.Combine(gate, "started"), string.Empty, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while (!File.Exists(Path.Combine(gate, "open")))
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        output.SetColumns("file_name", "bytes");
        foreach (var file in miniBatch)
        {
            output.AddRow(Path.GetFileName(file), new FileInfo(file).Length);
        }
    }
}
