using System.Text.Json.Nodes;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class JobLifecycleTests
{
    [Fact]
    public async Task Cancel_RunningJob_EndsCanceled_KeepsCommittedRows_AndStreamExitsThree()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("cancel");
        CustomScorerProject.Write(folder, "cancel-ep", "SlowScorer", "  environment_variables:\n    SLOW_SCORER_MS: \"1000\"");
        var inputs = CustomScorerProject.WriteInputs(folder, [.. Enumerable.Range(0, 40).Select(i => $"f{i:D2}.txt")]);
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));
        var name = (string)(await cli.OkAsync("batch-endpoint", "invoke", "-n", "cancel-ep", "--input", inputs)).Json()["name"]!;

        var canceled = await cli.OkAsync("job", "cancel", "-n", name);
        var stream = await cli.RunAsync("job", "stream", "-n", name);
        var job = (await cli.OkAsync("job", "show", "-n", name)).Json();
        var again = await cli.RunAsync("job", "cancel", "-n", name);

        Assert.Contains((string?)canceled.Json()["status"], new[] { "CancelRequested", "Canceled" });
        Assert.Equal(3, stream.ExitCode);
        Assert.Equal("Canceled", Infrastructure.Jobs.Status(job));
        Assert.True(Infrastructure.Jobs.Items(job, "succeeded") < 40);
        Assert.Equal(5, again.ExitCode);
        Assert.Contains("already ended", again.Error, StringComparison.Ordinal);

        // What was committed is kept and what was not is listed, so it can be scored again.
        var logs = Path.Combine(Infrastructure.Jobs.Folder(server, job), "logs");
        var unscored = File.ReadAllLines(Path.Combine(logs, "unscored_items.csv")).Skip(1).ToList();
        Assert.Equal(40 - Infrastructure.Jobs.Items(job, "succeeded") - Infrastructure.Jobs.Items(job, "failed"), unscored.Count);
        Assert.Contains("unscored_items.csv", Infrastructure.Jobs.Reason(job), StringComparison.Ordinal);
        var predictions = Path.Combine(Infrastructure.Jobs.Folder(server, job), "score", "predictions.csv");
        if (Infrastructure.Jobs.Items(job, "succeeded") > 0)
        {
            Assert.Equal(Infrastructure.Jobs.Items(job, "succeeded"), File.ReadAllLines(predictions).Length - 1);
        }
    }

    [Fact]
    public async Task ProgressOverview_WarnsWhenNoMiniBatchFinishesForLongerThanTheThreshold_AndNamesTheWorkers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct, configure: o =>
        {
            o.Jobs.OverviewInterval = TimeSpan.FromMilliseconds(100);
            o.Jobs.StallWarning = TimeSpan.FromMilliseconds(500);
        });
        using var folder = new TempFolder("stall");
        CustomScorerProject.Write(folder, "stall-ep", "SlowScorer", "  environment_variables:\n    SLOW_SCORER_MS: \"4000\"");
        var inputs = CustomScorerProject.WriteInputs(folder, "a.txt", "b.txt");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));
        var name = (string)(await cli.OkAsync("batch-endpoint", "invoke", "-n", "stall-ep", "--input", inputs)).Json()["name"]!;
        var overview = Path.Combine(server.DataDirectory, "datastores", "default", "workspaceblobstore", "azureml", name, "logs", "job_progress_overview.txt");

        string text;
        do
        {
            await Task.Delay(100, ct);
            text = File.Exists(overview) ? File.ReadAllText(overview) : string.Empty;
        }
        while (!text.Contains("WARNING", StringComparison.Ordinal));
        await cli.OkAsync("job", "cancel", "-n", name);

        Assert.Contains("no mini-batch has finished for", text, StringComparison.Ordinal);
        Assert.Contains("worker-0.0: mini-batch 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobShow_ReportsProgressCountersAndWhereOutputsAndLogsAre()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("show");
        var project = TabularProject.Create(folder, "show-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (job, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "show-ep", "--input", project.DataFolder);

        Assert.Equal(Infrastructure.Jobs.MiniBatches(job, "total"), Infrastructure.Jobs.MiniBatches(job, "succeeded"));
        Assert.Equal(0, Infrastructure.Jobs.MiniBatches(job, "in_flight"));
        Assert.Equal(project.Files, Infrastructure.Jobs.Items(job, "total"));
        Assert.EndsWith($"azureml/{Infrastructure.Jobs.Name(job)}/score/", (string)job["outputs"]!["score"]!["path"]!, StringComparison.Ordinal);
        Assert.EndsWith($"azureml/{Infrastructure.Jobs.Name(job)}/logs/", (string)job["logs"]!, StringComparison.Ordinal);
        var logs = Path.Combine(Infrastructure.Jobs.Folder(server, job), "logs");
        Assert.StartsWith("Completed", File.ReadAllText(Path.Combine(logs, "job_result.txt")), StringComparison.Ordinal);
        Assert.Contains("Mini-batches: 3 total, 3 succeeded", File.ReadAllText(Path.Combine(logs, "job_progress_overview.txt")), StringComparison.Ordinal);
        var list = (await cli.OkAsync("batch-endpoint", "list-jobs", "-n", "show-ep", "-o", "json")).Json().AsArray();
        Assert.Single(list);
    }

    [Fact]
    public async Task JobShow_GivesWhenTheFirstRowsWereCommitted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("first-output");
        var project = TabularProject.Create(folder, "first-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (job, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "first-ep", "--input", project.DataFolder);
        using var api = new RawApi(server.Url);
        using var response = await api.SendAsync(HttpMethod.Get, $"/workspaces/default/jobs/{Infrastructure.Jobs.Name(job)}");
        var rest = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Completed", Infrastructure.Jobs.Status(job));
        var created = Time(job["creation_context"]!["created_at"]);
        var firstOutput = Time(job["first_output_time"]);
        var ended = Time(job["end_time"]);
        Assert.True(created <= firstOutput && firstOutput <= ended, $"created {created:O}, first output {firstOutput:O}, ended {ended:O}");
        Assert.Equal((string?)job["first_output_time"], (string?)rest["first_output_time"]);
    }

    private static DateTime Time(JsonNode? value) =>
        DateTime.Parse((string?)value ?? throw new InvalidOperationException("the job has no such time"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
}
