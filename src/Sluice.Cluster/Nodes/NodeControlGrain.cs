using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Sluice.Cluster.Placement;

namespace Sluice.Cluster.Nodes;

[PinnedPlacement]
[Orleans.GrainDirectory.GrainDirectory(GrainDirectoryName = Sluice.Cluster.Placement.PinnedGrainDirectory.Name)]
internal sealed class NodeControlGrain(IHostApplicationLifetime lifetime) : Grain, INodeControlGrain
{
    public Task StopAsync()
    {
        lifetime.StopApplication();
        return Task.CompletedTask;
    }

    public Task PreemptAsync()
    {
        // Reply first, then vanish: the caller learns the preemption was delivered.
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            using var self = Process.GetCurrentProcess();
            self.Kill();
        });
        return Task.CompletedTask;
    }
}
