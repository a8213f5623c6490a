using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Data.Store;

namespace Sluice.Cluster.Jobs;

/// <summary>
/// Keeps every unfinished job in the hands of a coordinator. At start-up it resumes the jobs a stopped server left;
/// afterwards it checks every few seconds, which is what moves a job to a surviving server when the server running
/// its coordinator dies: Orleans forgets the dead activation, and the next check starts the coordinator here, from
/// the job's checkpoint. Starting a coordinator that runs already does nothing.
/// </summary>
public sealed partial class JobResumer(JobStore jobs, IJobEngine engine, JobEngineOptions options, TimeProvider clock, ILogger<JobResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (workspace, job) in await jobs.ListActiveAsync(stoppingToken))
                {
                    if (first)
                    {
                        LogResuming(logger, workspace, job);
                    }

                    await engine.StartAsync(workspace, job, stoppingToken);
                }

                first = false;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store or the cluster is briefly unavailable (a failover in progress); the next check retries.
                LogCheckFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(options.ResumeCheckInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Resuming job {Workspace}/{Job}")]
    private static partial void LogResuming(ILogger logger, string workspace, string job);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Could not check unfinished jobs: {Error}")]
    private static partial void LogCheckFailed(ILogger logger, string error);
}
