using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class ScorerTests
{
    [Fact]
    public async Task CustomDotNetScorer_FromTheSampleProject_IsBuiltOnceAndScoresEveryFile()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var sample = Path.Combine(RepositoryRoot(), "samples", "dotnet-scorer");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", Path.Combine(sample, "endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", Path.Combine(sample, "deployment.yml"));

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "sentiment", "--input", Path.Combine(sample, "data"));

        Assert.True(exit == 0, Infrastructure.Jobs.Reason(job));
        var rows = File.ReadAllLines(Path.Combine(Infrastructure.Jobs.Folder(server, job), "score", "predictions.csv"));
        Assert.Equal("file_name,words,score,probability,label", rows[0]);
        Assert.Equal(
            ["review-001.txt:positive", "review-002.txt:negative", "review-003.txt:positive", "review-004.txt:negative", "review-005.txt:positive"],
            rows.Skip(1).Select(r => r.Split(',')).Select(c => $"{c[0]}:{c[^1]}"));
    }

    [Fact]
    public async Task SummaryOnly_WritesNoPredictionsFileAndGivesTheScorerTheOutputFolder()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("summary");
        CustomScorerProject.Write(folder, "summary-ep", "OutputFolderScorer", "  output_action: summary_only");
        var inputs = CustomScorerProject.WriteInputs(folder, "a.txt", "b.txt", "c.txt");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "summary-ep", "--input", inputs);

        Assert.True(exit == 0, Infrastructure.Jobs.Reason(job));
        var score = Path.Combine(Infrastructure.Jobs.Folder(server, job), "score");
        Assert.False(File.Exists(Path.Combine(score, "predictions.csv")));
        Assert.Equal(["a.summary.txt", "b.summary.txt", "c.summary.txt"], Directory.GetFiles(score).Select(Path.GetFileName).Order());
        Assert.Equal(3, Infrastructure.Jobs.Items(job, "succeeded"));
    }

    [Fact]
    public async Task ScorerThatThrows_FailsItsMiniBatchAfterRetries_AndTheJobStillEndsWithAReason()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("throws");
        CustomScorerProject.Write(folder, "throw-ep", "ThrowingScorer", "  retry_settings:\n    max_retries: 1");
        var inputs = CustomScorerProject.WriteInputs(folder, "a.txt", "poison.txt", "c.txt");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));

        var (job, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "throw-ep", "--input", inputs);

        Assert.Equal("Completed", Infrastructure.Jobs.Status(job));
        Assert.Equal(2, Infrastructure.Jobs.Items(job, "succeeded"));
        Assert.Equal(1, Infrastructure.Jobs.Items(job, "failed"));
        Assert.Contains("1 failed", Infrastructure.Jobs.Reason(job), StringComparison.Ordinal);
        var jobFolder = Infrastructure.Jobs.Folder(server, job);
        var failed = File.ReadAllLines(Path.Combine(jobFolder, "logs", "failed_items.csv"));
        Assert.Equal("input,mini_batch,attempts,error_type,message", failed[0]);
        Assert.Single(failed.Skip(1));
        Assert.EndsWith("/inputs/poison.txt,2,2,InvalidOperationException,cannot score poison.txt", failed[1], StringComparison.Ordinal);
        Assert.Equal(["file_name,bytes", "a.txt,23", "c.txt,23"], File.ReadAllLines(Path.Combine(jobFolder, "score", "predictions.csv")));
    }

    [Fact]
    public async Task ScorerThatCannotInitialise_FailsTheJobWithTheInitErrorAndTheLogToRead()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("broken-init");
        CustomScorerProject.Write(folder, "init-ep", "BrokenInitScorer");
        var inputs = CustomScorerProject.WriteInputs(folder, "a.txt", "b.txt");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "init-ep", "--input", inputs);

        Assert.Equal(2, exit);
        Assert.Equal("Failed", Infrastructure.Jobs.Status(job));
        Assert.Contains("model weights 'missing.bin' not found", Infrastructure.Jobs.Reason(job), StringComparison.Ordinal);
        Assert.Contains("logs/user/error/worker-", Infrastructure.Jobs.Reason(job), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvWithAMalformedRow_FailsThatFileOnly_WithItsLineNumber()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("malformed");
        var project = TabularProject.Create(folder, "malformed-ep", files: 4);
        var broken = Path.Combine(project.DataFolder, "part-00001.csv");
        var lines = File.ReadAllLines(broken).ToList();
        lines[5] = "1.0,2.0,oops";
        File.WriteAllLines(broken, lines);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "malformed-ep", "--input", project.DataFolder);

        Assert.Equal(2, exit); // completed, but with a failed item: scripts see it in the exit code
        Assert.Equal("Completed", Infrastructure.Jobs.Status(job));
        Assert.Equal(3, Infrastructure.Jobs.Items(job, "succeeded"));
        Assert.Equal(1, Infrastructure.Jobs.Items(job, "failed"));
        var jobFolder = Infrastructure.Jobs.Folder(server, job);
        var failed = File.ReadAllText(Path.Combine(jobFolder, "logs", "failed_items.csv"));
        Assert.Contains("part-00001.csv:6: expected 8 values", failed, StringComparison.Ordinal);
        var predictions = File.ReadAllLines(Path.Combine(jobFolder, "score", "predictions.csv"));
        Assert.Equal(3 * project.RowsPerFile, predictions.Length - 1);
        Assert.DoesNotContain(predictions, p => p.EndsWith("part-00001.csv", StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Sluice.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root (with Sluice.slnx) was not found above the test binaries");
    }
}
