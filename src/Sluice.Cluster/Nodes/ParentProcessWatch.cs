using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sluice.Cluster.Nodes;

/// <summary>
/// Stops a node started by a server's local provisioner when that server's process is gone (killed, crashed): local
/// nodes belong to their server's machine, and an orphan would hold cores and keep a silo in the cluster for nobody.
/// </summary>
internal sealed partial class ParentProcessWatch(int parentId, IHostApplicationLifetime lifetime, ILogger<ParentProcessWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!IsRunning(parentId))
            {
                LogParentGone(logger, parentId);
                lifetime.StopApplication();
                return;
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2321, Level = LogLevel.Warning, Message = "The server that started this node (pid {Pid}) is gone; the node stops")]
    private static partial void LogParentGone(ILogger logger, int pid);
}
