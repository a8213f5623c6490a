namespace Sluice.Cluster.Jobs;

/// <summary>How the job engine reports on running jobs and keeps them running.</summary>
public sealed class JobEngineOptions
{
    /// <summary>How often <c>logs/job_progress_overview.txt</c> is rewritten while a job runs.</summary>
    public TimeSpan OverviewInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this long without a finished mini-batch the overview warns that work may be stuck, naming the workers.</summary>
    public TimeSpan StallWarning { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often each server checks that every unfinished job has a running coordinator (and starts one if not):
    /// with several servers, the bound on how long a job waits after its server dies, on top of failure detection.
    /// </summary>
    public TimeSpan ResumeCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
