using Sluice.Core.Diagnostics;
using Sluice.Core.Jobs;
using Sluice.Data.Store;

namespace Sluice.Cluster.Jobs;

/// <summary>The job engine on Orleans: one coordinator grain per job.</summary>
public sealed class OrleansJobEngine(IGrainFactory grains, JobStore jobs) : IJobEngine
{
    public static string Key(string workspace, string job) => $"{workspace}/{job}";

    public Task StartAsync(string workspace, string job, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IJobCoordinatorGrain>(Key(workspace, job)).StartAsync();

    public async Task CancelAsync(string workspace, string job, CancellationToken cancellationToken = default)
    {
        // Recorded first, so the request survives even if the coordinator is between activations.
        var requested = false;
        await jobs.UpdateAsync(workspace, job, j =>
        {
            if (!JobStatuses.IsTerminal(j.Status))
            {
                j.Status = JobStatuses.CancelRequested;
                requested = true;
            }
        }, cancellationToken);
        if (!requested)
        {
            throw SluiceException.Conflict($"Job '{job}' already ended; only jobs that are still running can be canceled.");
        }

        await grains.GetGrain<IJobCoordinatorGrain>(Key(workspace, job)).CancelAsync();
    }
}
