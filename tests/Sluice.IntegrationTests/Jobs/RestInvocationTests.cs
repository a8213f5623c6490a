using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class RestInvocationTests
{
    [Fact]
    public async Task Invoke_OverHttp_WithAzureBatchJobFields_AppliesEveryOverride()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("rest-invoke");
        var project = TabularProject.Create(folder, "rest-ep", files: 4);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var data = (await cli.OkAsync("data", "create", "-n", "rest-data", "--path", project.DataFolder)).Json();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var body = new JsonObject
        {
            ["name"] = "rest-job-1",
            ["properties"] = new JsonObject
            {
                ["InputData"] = new JsonObject { ["heart_dataset"] = new JsonObject { ["JobInputType"] = "UriFolder", ["Uri"] = (string)data["path"]! } },
                ["OutputData"] = new JsonObject { ["score"] = new JsonObject { ["JobOutputType"] = "UriFolder", ["Uri"] = "azureml://datastores/workspaceblobstore/paths/rest/out/" } },
                ["miniBatchSize"] = 1,
                ["compute"] = new JsonObject { ["instanceCount"] = 2 },
                ["errorThreshold"] = 5,
                ["retrySettings"] = new JsonObject { ["maxRetries"] = 1, ["timeout"] = "PT45S" },
                ["outputFileName"] = "rest.csv",
                ["loggingLevel"] = "debug",
                ["environmentVariables"] = new JsonObject { ["MY_FLAG"] = "on" },
            },
        };

        using var response = await http.PostAsJsonAsync("/workspaces/default/batchEndpoints/rest-ep/jobs", body, ct);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        var stream = await cli.RunAsync("job", "stream", "-n", "rest-job-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("rest-job-1", (string?)created["name"]);
        var settings = created["settings"]!;
        Assert.Equal(1, (int)settings["mini_batch_size"]!);
        Assert.Equal(5, (int)settings["error_threshold"]!);
        Assert.Equal(1, (int)settings["retry_settings"]!["max_retries"]!);
        Assert.Equal(45, (int)settings["retry_settings"]!["timeout"]!);
        Assert.Equal("debug", (string?)settings["logging_level"]);
        Assert.Equal("on", (string?)settings["environment_variables"]!["MY_FLAG"]);
        Assert.Equal(2, (int)created["resources"]!["instance_count"]!);
        Assert.Equal(0, stream.ExitCode);
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "datastores", "default", "workspaceblobstore", "rest", "out", "rest.csv")));
    }

    [Fact]
    public async Task Invoke_OverHttp_WithAnInvalidOverride_Is400NamingTheSetting()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("rest-bad");
        var project = TabularProject.Create(folder, "restbad-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        var data = (await cli.OkAsync("data", "create", "-n", "bad-data", "--path", project.DataFolder)).Json();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["InputData"] = new JsonObject { ["input"] = new JsonObject { ["Uri"] = (string)data["path"]! } },
                ["retrySettings"] = new JsonObject { ["maxRetries"] = -2 },
                ["outputFileName"] = "../escape.csv",
            },
        };

        using var response = await http.PostAsJsonAsync("/workspaces/default/batchEndpoints/restbad-ep/jobs", body, ct);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var messages = problem["errors"]!.AsArray().Select(e => (string)e!["message"]!).ToList();
        Assert.Contains(messages, m => m.Contains("settings.retry_settings.max_retries", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("settings.output_file_name", StringComparison.Ordinal));
        Assert.Empty((await cli.OkAsync("job", "list", "-o", "json")).Json().AsArray());
    }
}
