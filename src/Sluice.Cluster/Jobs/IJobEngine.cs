namespace Sluice.Cluster.Jobs;

/// <summary>The job engine as the API sees it: start a recorded job, ask a running one to stop.</summary>
public interface IJobEngine
{
    Task StartAsync(string workspace, string job, CancellationToken cancellationToken = default);

    Task CancelAsync(string workspace, string job, CancellationToken cancellationToken = default);
}
