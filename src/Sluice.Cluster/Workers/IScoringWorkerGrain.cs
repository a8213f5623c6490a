using Orleans.Concurrency;

namespace Sluice.Cluster.Workers;

/// <summary>
/// A scoring worker: holds one scorer, initialised once, and runs one mini-batch at a time. Keyed by
/// <c>workspace/job/worker-number</c>.
/// </summary>
public interface IScoringWorkerGrain : IGrainWithStringKey
{
    Task<MiniBatchResult> RunAsync(WorkerSetup setup, MiniBatchWork work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs several short mini-batches in one call, each as <see cref="RunAsync"/> would (its own result, its own
    /// failure), with the rows of those that succeed committed in one staging file for the group, published when the
    /// call ends. A call that fails or never returns publishes nothing.
    /// </summary>
    Task<IReadOnlyList<MiniBatchResult>> RunManyAsync(WorkerSetup setup, IReadOnlyList<MiniBatchWork> works, CancellationToken cancellationToken);

    /// <summary>
    /// A hint: this worker's next mini-batch. Inputs that must be downloaded (blob storage) start downloading now,
    /// while the current run scores, and the next run finds them ready. Interleaves with the running call.
    /// </summary>
    [AlwaysInterleave]
    Task PrefetchAsync(MiniBatchWork next);

    /// <summary>Releases the scorer (and its model session) when the job no longer needs this worker.</summary>
    Task StopAsync();
}
