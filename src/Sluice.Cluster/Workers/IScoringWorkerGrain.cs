namespace Sluice.Cluster.Workers;

/// <summary>
/// A scoring worker: holds one scorer, initialised once, and runs one mini-batch at a time. Keyed by
/// <c>workspace/job/worker-number</c>.
/// </summary>
public interface IScoringWorkerGrain : IGrainWithStringKey
{
    Task<MiniBatchResult> RunAsync(WorkerSetup setup, MiniBatchWork work, CancellationToken cancellationToken);

    /// <summary>Releases the scorer (and its model session) when the job no longer needs this worker.</summary>
    Task StopAsync();
}
