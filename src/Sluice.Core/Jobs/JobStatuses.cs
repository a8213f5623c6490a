namespace Sluice.Core.Jobs;

/// <summary>Azure ML's job states, as strings because they are stored and shown as such.</summary>
public static class JobStatuses
{
    public const string NotStarted = "NotStarted";
    public const string Queued = "Queued";
    public const string Preparing = "Preparing";
    public const string Running = "Running";
    public const string Finalizing = "Finalizing";
    public const string CancelRequested = "CancelRequested";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
    public const string Canceled = "Canceled";

    /// <summary>States in which a job still holds or may take resources.</summary>
    public static readonly string[] Active = [NotStarted, Queued, Preparing, Running, Finalizing, CancelRequested];

    public static readonly string[] Terminal = [Completed, Failed, Canceled];

    public static bool IsTerminal(string status) => status is Completed or Failed or Canceled;
}
