using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// A compute cluster and a deployment on it that scores one file per mini-batch with the sleeping test scorer, so
/// that jobs last long enough to watch, kill and preempt nodes while they run.
/// </summary>
public sealed class ClusterScenario
{
    /// <summary>The same scenario driven through another server of the control plane.</summary>
    public ClusterScenario(CliDriver cli, ClusterScenario other)
        : this(cli, other.Folder, other.Cluster, other.Endpoint)
    {
        Diagnostics = other.Diagnostics;
    }

    private ClusterScenario(CliDriver cli, TempFolder folder, string cluster, string endpoint)
    {
        Cli = cli;
        Folder = folder;
        Cluster = cluster;
        Endpoint = endpoint;
    }

    public CliDriver Cli { get; }

    public TempFolder Folder { get; }

    public string Cluster { get; }

    public string Endpoint { get; }

    /// <summary>What to show when a wait times out (the server's log), to say why.</summary>
    public Func<string>? Diagnostics { get; init; }

    /// <summary>Creates the compute cluster and an endpoint whose default deployment runs on it.</summary>
    public static async Task<ClusterScenario> CreateAsync(
        CliDriver cli, TempFolder folder, string cluster = "cpu", string provisioner = "attached", string tier = "dedicated",
        int maxInstances = 3, int minInstances = 0, int idleSeconds = 120, int instanceCount = 3, int sleepMs = 300,
        string endpoint = "cluster-ep", string extraSettings = "", Func<string>? diagnostics = null, string computeExtra = "")
    {
        folder.Write($"{cluster}.yml", $"""
            name: {cluster}
            type: amlcompute
            size: STANDARD_DS3_v2
            min_instances: {minInstances}
            max_instances: {maxInstances}
            idle_time_before_scale_down: {idleSeconds}
            tier: {tier}
            provisioner: {provisioner}
            {computeExtra}
            """);
        await cli.OkAsync("compute", "create", "-f", folder.Combine($"{cluster}.yml"));
        var settings = $"  max_concurrency_per_instance: 1\n  environment_variables:\n    SLOW_SCORER_MS: \"{sleepMs.ToString(CultureInfo.InvariantCulture)}\"\n{extraSettings}compute: azureml:{cluster}\nresources:\n  instance_count: {instanceCount}";
        CustomScorerProject.Write(folder, endpoint, "SlowScorer", settings);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));
        return new ClusterScenario(cli, folder, cluster, endpoint) { Diagnostics = diagnostics };
    }

    /// <summary>Writes <paramref name="files"/> input files (one mini-batch each) under <c>inputs-{tag}</c>; returns the folder.</summary>
    public string Inputs(int files, string tag = "a")
    {
        for (var i = 0; i < files; i++)
        {
            Folder.Write($"inputs-{tag}/{tag}{i:D3}.txt", $"file {i}\n");
        }

        return Folder.Combine($"inputs-{tag}");
    }

    /// <summary>Invokes the endpoint on a folder; returns the job's name.</summary>
    public async Task<string> InvokeAsync(string inputs, params string[] extra) =>
        (string)(await Cli.OkAsync(["batch-endpoint", "invoke", "-n", Endpoint, "--input", inputs, .. extra])).Json()["name"]!;

    public async Task<JsonNode> ShowAsync(string job) => (await Cli.OkAsync("job", "show", "-n", job)).Json();

    /// <summary>Waits until <paramref name="accept"/> holds for the job (shown through the CLI); returns the job.</summary>
    public async Task<JsonNode> WaitForJobAsync(string job, Func<JsonNode, bool> accept, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var shown = await ShowAsync(job);
        while (!accept(shown))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"job {job} did not reach the expected state within {timeout.TotalSeconds:0} s: {shown.ToJsonString()}\n--- server log\n{Diagnostics?.Invoke()}");
            }

            await Task.Delay(200, cancellationToken);
            shown = await ShowAsync(job);
        }

        return shown;
    }

    /// <summary>Waits for the job to end (at most <paramref name="timeout"/>, 150 s by default) and returns it.</summary>
    public Task<JsonNode> FinishAsync(string job, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForJobAsync(job, j => (string)j["status"]! is "Completed" or "Failed" or "Canceled", timeout ?? TimeSpan.FromSeconds(150), cancellationToken);

    public static int Succeeded(JsonNode job) => Jobs.MiniBatches(job, "succeeded");

    /// <summary>The job's per-node report: node name → mini-batches it finished.</summary>
    public static Dictionary<string, int> NodeShares(JsonNode job) =>
        job["nodes"]!.AsArray().ToDictionary(n => (string)n!["node"]!, n => (int)n!["mini_batches"]!);

    /// <summary>The first column of the job's predictions file (the scored file names), header excluded.</summary>
    public static List<string> ScoredFiles(string predictions) =>
        [.. File.ReadAllLines(predictions).Skip(1).Select(l => l.Split(',')[0].Trim('"'))];
}
