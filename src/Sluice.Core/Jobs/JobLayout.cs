namespace Sluice.Core.Jobs;

/// <summary>
/// Where a job's files live, as in Azure ML: under <c>azureml/&lt;job&gt;/</c> of the default datastore, with the
/// default output in <c>score/</c> and logs in <c>logs/</c>. A job whose output is sent elsewhere keeps its logs here.
/// </summary>
public static class JobLayout
{
    public const string LogDatastore = "workspaceblobstore";

    public const string DefaultOutputName = "score";

    public static string JobFolder(string job) => $"azureml/{job}";

    public static string DefaultOutputFolder(string job) => $"azureml/{job}/score";

    public static string LogsFolder(string job) => $"azureml/{job}/logs";
}
