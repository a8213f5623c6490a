using System.Text.Json.Nodes;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>Invokes, follows and inspects jobs through the CLI.</summary>
public static class Jobs
{
    /// <summary>Invokes the endpoint and follows the job to its end; returns the final job and the stream's exit code.</summary>
    public static async Task<(JsonNode Job, int StreamExit)> RunAsync(CliDriver cli, params string[] invokeArgs)
    {
        var invoked = await cli.OkAsync(["batch-endpoint", "invoke", .. invokeArgs]);
        var name = (string)invoked.Json()["name"]!;
        var stream = await cli.RunAsync("job", "stream", "-n", name);
        var job = (await cli.OkAsync("job", "show", "-n", name)).Json();
        return (job, stream.ExitCode);
    }

    public static string Name(JsonNode job) => (string)job["name"]!;

    public static string Status(JsonNode job) => (string)job["status"]!;

    public static string Reason(JsonNode job) => (string?)job["status_reason"] ?? string.Empty;

    public static long Items(JsonNode job, string which) => (long)job["progress"]!["items"]![which]!;

    public static int MiniBatches(JsonNode job, string which) => (int)job["progress"]!["mini_batches"]![which]!;

    /// <summary>The job's folder (outputs and logs) inside the server's default datastore.</summary>
    public static string Folder(RunningServer server, JsonNode job, string workspace = "default") =>
        Path.Combine(server.DataDirectory, "datastores", workspace, "workspaceblobstore", "azureml", Name(job));
}
