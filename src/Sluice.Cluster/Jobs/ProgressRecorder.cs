using System.Threading.Channels;
using Sluice.Data.Store;
using Sluice.Data.Store.Progress;

namespace Sluice.Cluster.Jobs;

/// <summary>
/// Writes a job's progress to the store in the background, a batch per transaction, so workers never wait for the
/// database between mini-batches. Nothing is lost if the process dies before a batch is written: a mini-batch whose
/// result was not recorded is simply run again, and its committed rows are replaced, not duplicated.
/// </summary>
internal sealed class ProgressRecorder : IAsyncDisposable
{
    private readonly Channel<Entry> _entries = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly JobStore _store;
    private readonly string _workspace;
    private readonly string _job;
    private readonly Task _pump;

    private readonly TimeProvider _clock;

    public ProgressRecorder(JobStore store, string workspace, string job, TimeProvider clock)
    {
        _clock = clock;
        _store = store;
        _workspace = workspace;
        _job = job;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>A mini-batch dispatched to a worker now: its start time is this moment, not when the batch is written.</summary>
    public void Started(int index, string worker) => _entries.Writer.TryWrite(new Entry(index, worker, null, _clock.GetUtcNow().UtcDateTime));

    public void Finished(int index, MiniBatchOutcome outcome) => _entries.Writer.TryWrite(new Entry(index, outcome.Worker ?? string.Empty, outcome, default));

    /// <summary>Writes everything recorded so far and stops; the job's counters are then final.</summary>
    public async ValueTask DisposeAsync()
    {
        _entries.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync()
    {
        var started = new List<(int, string, DateTime)>();
        var finished = new List<(int, MiniBatchOutcome)>();
        JobProgressWriter? writer = null;
        try
        {
            while (await _entries.Reader.WaitToReadAsync())
            {
                while (started.Count + finished.Count < 1000 && _entries.Reader.TryRead(out var entry))
                {
                    if (entry.Outcome is null)
                    {
                        started.Add((entry.Index, entry.Worker, entry.At));
                    }
                    else
                    {
                        finished.Add((entry.Index, entry.Outcome));
                    }
                }

                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        writer ??= await _store.OpenProgressWriterAsync(_workspace, _job);
                        await writer.RecordAsync(started, finished);
                        break;
                    }
                    catch (Exception) when (attempt < WriteAttempts)
                    {
                        // A broken connection (a database restart, a network blip) gets a new one. The batch is written
                        // again whole: its failed transaction changed nothing, and a finished mini-batch counts once.
                        await DisposeQuietlyAsync(writer);
                        writer = null;
                        await Task.Delay(RetryDelay * attempt, _clock);
                    }
                }

                started.Clear();
                finished.Clear();
            }
        }
        finally
        {
            await DisposeQuietlyAsync(writer);
        }
    }

    private const int WriteAttempts = 3;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private static async Task DisposeQuietlyAsync(JobProgressWriter? writer)
    {
        try
        {
            if (writer is not null)
            {
                await writer.DisposeAsync();
            }
        }
        catch (Exception)
        {
            // Its connection is already broken; the error that matters is the one being handled or rethrown.
        }
    }

    private sealed record Entry(int Index, string Worker, MiniBatchOutcome? Outcome, DateTime At);
}
