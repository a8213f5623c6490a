using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sluice.Server.Hosting;

namespace Sluice.Bench;

/// <summary>One measured job: its name, seconds from the invoke call to its end, and its output folder.</summary>
public sealed record BenchJob(string Name, double Seconds, string OutputFolder);

/// <summary>An embedded Sluice server with one deployment of endpoint <c>bench</c>, driven through the real CLI in-process.</summary>
public sealed class BenchServer : IAsyncDisposable
{
    private readonly Microsoft.AspNetCore.Builder.WebApplication _app;
    private readonly string _url;
    private readonly string _dataDirectory;
    private int _runs;

    private BenchServer(Microsoft.AspNetCore.Builder.WebApplication app, string dataDirectory) => (_app, _url, _dataDirectory) = (app, app.Urls.First(), dataDirectory);

    /// <summary>Starts the server and creates endpoint <c>bench</c> with the deployment <paramref name="deploymentYaml"/> (its endpoint_name: bench).</summary>
    public static async Task<BenchServer> StartAsync(string dataDirectory, string projectFolder, string deploymentYaml)
    {
        var app = SluiceServer.Build(new SluiceServerOptions { DataDirectory = dataDirectory, Urls = "http://127.0.0.1:0" }, l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning));
        await SluiceServer.StartAsync(app);
        var server = new BenchServer(app, dataDirectory);
        Directory.CreateDirectory(projectFolder);
        File.WriteAllText(Path.Combine(projectFolder, "endpoint.yml"), "name: bench\n");
        File.WriteAllText(Path.Combine(projectFolder, "deployment.yml"), deploymentYaml);
        await server.CliAsync("batch-endpoint", "create", "-f", Path.Combine(projectFolder, "endpoint.yml"));
        await server.CliAsync("batch-deployment", "create", "-f", Path.Combine(projectFolder, "deployment.yml"));
        return server;
    }

    /// <summary>
    /// Runs one job over <paramref name="dataFolder"/> and times it from the invoke call to the job's end (its output
    /// merged and committed), as the job records it; fails unless exactly <paramref name="files"/> items succeeded.
    /// </summary>
    public async Task<BenchJob> RunJobAsync(string dataFolder, int files) => await RunUploadedAsync(await UploadAsync(dataFolder), files);

    /// <summary>Uploads a folder as data asset <c>bench-data</c> and returns its datastore path.</summary>
    public async Task<string> UploadAsync(string dataFolder) =>
        (string)JsonNode.Parse(await CliAsync("data", "create", "-n", "bench-data", "--path", dataFolder))!["path"]!;

    /// <summary>
    /// <see cref="RunJobAsync"/> over data already uploaded: the measured job reads the data from the datastore, as a
    /// job on the cluster does, and the upload stays out of its time.
    /// </summary>
    public async Task<BenchJob> RunUploadedAsync(string uploadedPath, int files)
    {
        var invokedAt = DateTime.UtcNow;
        var job = JsonNode.Parse(await CliAsync("batch-endpoint", "invoke", "-n", "bench", "--input", uploadedPath, "--job-name", $"bench-{_runs++}"))!;
        var name = (string)job["name"]!;
        while (true)
        {
            var shown = JsonNode.Parse(await CliAsync("job", "show", "-n", name))!;
            var status = (string)shown["status"]!;
            if (status is "Completed")
            {
                // The job's own end time (same machine, same clock): polling latency is not the job's cost.
                var ended = DateTime.Parse((string)shown["end_time"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                var seconds = (ended - invokedAt).TotalSeconds;
                if (Environment.GetEnvironmentVariable("SLUICE_BENCH_TRACE") is not null)
                {
                    var created = DateTime.Parse((string)shown["creation_context"]!["created_at"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    var started = DateTime.Parse((string)shown["start_time"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    Console.Error.WriteLine($"job {seconds * 1000:0} ms: invoke→created {(created - invokedAt).TotalMilliseconds:0} ms, created→running {(started - created).TotalMilliseconds:0} ms, running→ended {(ended - started).TotalMilliseconds:0} ms");
                }

                var written = (long)shown["progress"]!["items"]!["succeeded"]!;
                return written == files
                    ? new BenchJob(name, seconds, Path.Combine(_dataDirectory, "datastores", "default", "workspaceblobstore", "azureml", name))
                    : throw new InvalidOperationException($"the job scored {written} of {files} files");
            }

            if (status is "Failed" or "Canceled")
            {
                throw new InvalidOperationException($"the benchmark job ended {status}: {(string?)shown["status_reason"]}");
            }

            // The job's own end time is what counts: polling slowly keeps the poller's CPU out of the measured job.
            await Task.Delay(250);
        }
    }

    private Task<string> CliAsync(params string[] args) => new BenchCli(_url).RunAsync(args);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
