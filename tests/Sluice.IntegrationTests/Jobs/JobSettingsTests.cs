using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class JobSettingsTests
{
    [Fact]
    public async Task Overrides_ChangeTheNumberOfMiniBatchesAndOfParallelWorkers()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("parallel");
        var project = TabularProject.Create(folder, "parallel-ep", files: 8, deploymentSettings: "  max_concurrency_per_instance: 2");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (defaults, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "parallel-ep", "--input", project.DataFolder);
        var (overridden, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "parallel-ep", "--input", project.DataFolder, "--mini-batch-size", "1", "--instance-count", "2");

        // Deployment: mini_batch_size 2, 1 instance × 2 workers. Override: 1 file per mini-batch, 2 instances × 2 workers.
        Assert.Equal(4, Infrastructure.Jobs.MiniBatches(defaults, "total"));
        Assert.Equal(8, Infrastructure.Jobs.MiniBatches(overridden, "total"));
        Assert.Equal(2, WorkerLogs(server, defaults));
        Assert.Equal(4, WorkerLogs(server, overridden));
        Assert.Equal(1, (int)overridden["settings"]!["mini_batch_size"]!);
        Assert.Equal(2, (int)overridden["resources"]!["instance_count"]!);
        Assert.Equal(project.TotalRows, File.ReadAllLines(Path.Combine(Infrastructure.Jobs.Folder(server, overridden), "score", "predictions.csv")).Length - 1);
    }

    [Fact]
    public async Task Invoke_WithInvalidOverride_IsRefusedLikeTheSameValueInTheDeploymentFile()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("bad-override");
        var project = TabularProject.Create(folder, "override-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var result = await cli.RunAsync("batch-endpoint", "invoke", "-n", "override-ep", "--input", project.DataFolder, "--mini-batch-size", "0");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("settings.mini_batch_size: 0 is out of range", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_WhenTheOutputFileExists_FailsBeforeScoringAndKeepsTheFile()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("output-exists");
        var project = TabularProject.Create(folder, "exists-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);
        const string output = "azureml://datastores/workspaceblobstore/paths/shared/results/";

        var (first, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "exists-ep", "--input", project.DataFolder, "--output-path", output);
        var target = Path.Combine(server.DataDirectory, "datastores", "default", "workspaceblobstore", "shared", "results", "predictions.csv");
        var before = File.ReadAllText(target);
        var (second, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "exists-ep", "--input", project.DataFolder, "--output-path", output);

        Assert.Equal("Completed", Infrastructure.Jobs.Status(first));
        Assert.Equal(2, exit);
        Assert.Equal("Failed", Infrastructure.Jobs.Status(second));
        Assert.Contains("already exists", Infrastructure.Jobs.Reason(second), StringComparison.Ordinal);
        Assert.Equal(0, Infrastructure.Jobs.Items(second, "succeeded"));
        Assert.Equal(before, File.ReadAllText(target));
    }

    [Fact]
    public async Task OutputFileName_Override_NamesThePredictionsFile()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("file-name");
        var project = TabularProject.Create(folder, "name-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (job, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "name-ep", "--input", project.DataFolder, "--set", "output_file_name=scores.csv");

        Assert.True(File.Exists(Path.Combine(Infrastructure.Jobs.Folder(server, job), "score", "scores.csv")));
        Assert.Equal("scores.csv", (string?)job["outputs"]!["score"]!["file_name"]);
    }

    private static int WorkerLogs(RunningServer server, System.Text.Json.Nodes.JsonNode job) =>
        Directory.GetFiles(Path.Combine(Infrastructure.Jobs.Folder(server, job), "logs", "sys", "worker"), "worker-*.txt").Length;
}
