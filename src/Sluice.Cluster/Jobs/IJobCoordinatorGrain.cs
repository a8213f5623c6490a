namespace Sluice.Cluster.Jobs;

/// <summary>The brain of one job, keyed by <c>workspace/job</c>: plans it, dispatches its mini-batches, finalises it.</summary>
public interface IJobCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Starts (or resumes after a restart) the job in the background; returns at once.</summary>
    Task StartAsync();

    /// <summary>Stops dispatching, stops running scorers, and ends the job Canceled with its committed results kept.</summary>
    Task CancelAsync();
}
