using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Data.Store;

namespace Sluice.Cluster.Jobs;

/// <summary>After a (re)start, hands every unfinished job back to its coordinator, which resumes from its checkpoint.</summary>
public sealed partial class JobResumer(JobStore jobs, IJobEngine engine, ILogger<JobResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var (workspace, job) in await jobs.ListActiveAsync(stoppingToken))
        {
            LogResuming(logger, workspace, job);
            await engine.StartAsync(workspace, job, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Resuming job {Workspace}/{Job}")]
    private static partial void LogResuming(ILogger logger, string workspace, string job);
}
