using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class ErrorBudgetTests
{
    [Theory]
    [InlineData(2, 2, "Completed")]
    [InlineData(2, 3, "Failed")]
    public async Task ErrorThreshold_CountsFailedItems_AndStopsTheJobOnlyWhenExceeded(int threshold, int poisoned, string expected)
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("error-threshold");
        CustomScorerProject.Write(folder, "budget-ep", "ThrowingScorer", $"  error_threshold: {threshold}\n  retry_settings:\n    max_retries: 0");
        var names = Enumerable.Range(0, poisoned).Select(i => $"p{i}-poison.txt").Concat(Enumerable.Range(0, 6).Select(i => $"z{i}.txt")).ToArray();
        var inputs = CustomScorerProject.WriteInputs(folder, names);
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "budget-ep", "--input", inputs);

        Assert.Equal(expected, Infrastructure.Jobs.Status(job));
        Assert.Equal(poisoned, Infrastructure.Jobs.Items(job, "failed"));
        Assert.Equal(2, exit); // failed, or completed with failed items within the budget: either way not all was scored
        if (expected == "Failed")
        {
            Assert.Contains($"error_threshold {threshold} exceeded", Infrastructure.Jobs.Reason(job), StringComparison.Ordinal);
            Assert.Contains("error_threshold", File.ReadAllText(Path.Combine(Infrastructure.Jobs.Folder(server, job), "logs", "job_result.txt")), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(6, Infrastructure.Jobs.Items(job, "succeeded"));
        }

        var failed = File.ReadAllLines(Path.Combine(Infrastructure.Jobs.Folder(server, job), "logs", "failed_items.csv")).Skip(1).ToList();
        Assert.Equal(poisoned, failed.Count);
        Assert.All(failed, line => Assert.Contains("poison.txt", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MiniBatchErrorThreshold_CountsFailedMiniBatches()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("mini-batch-threshold");
        CustomScorerProject.Write(folder, "mbt-ep", "ThrowingScorer", "  mini_batch_error_threshold: 1\n  retry_settings:\n    max_retries: 0");
        var inputs = CustomScorerProject.WriteInputs(folder, "a-poison.txt", "b-poison.txt", "c.txt", "d.txt", "e.txt");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));

        var (job, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "mbt-ep", "--input", inputs);

        Assert.Equal("Failed", Infrastructure.Jobs.Status(job));
        Assert.Contains("mini_batch_error_threshold 1 exceeded: 2 mini-batches failed", Infrastructure.Jobs.Reason(job), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunReturningFewerRowsThanItems_CountsTheDifferenceAsFailedItems()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("fewer-rows");
        CustomScorerProject.Write(folder, "rows-ep", "SkippingScorer");
        var inputs = CustomScorerProject.WriteInputs(folder, "a.txt", "b-skip.txt", "c.txt", "d.txt");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));

        var (job, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "rows-ep", "--input", inputs, "--mini-batch-size", "3");

        Assert.Equal(3, Infrastructure.Jobs.Items(job, "succeeded"));
        Assert.Equal(1, Infrastructure.Jobs.Items(job, "failed"));
        var failed = File.ReadAllText(Path.Combine(Infrastructure.Jobs.Folder(server, job), "logs", "failed_items.csv"));
        Assert.Contains("b-skip.txt,0,1,NoRowReturned", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScorerThatHangs_IsTimedOutRecycledAndRetried_ThenItsItemsFail()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("hang");
        CustomScorerProject.Write(folder, "hang-ep", "HangingScorer", "  retry_settings:\n    max_retries: 1\n    timeout: 1");
        var inputs = CustomScorerProject.WriteInputs(folder, "a.txt", "b-hang.txt", "c.txt");
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));

        var (job, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "hang-ep", "--input", inputs);

        Assert.Equal("Completed", Infrastructure.Jobs.Status(job));
        Assert.Equal(2, Infrastructure.Jobs.Items(job, "succeeded"));
        Assert.Equal(1, Infrastructure.Jobs.Items(job, "failed"));
        var jobFolder = Infrastructure.Jobs.Folder(server, job);
        var failed = File.ReadAllLines(Path.Combine(jobFolder, "logs", "failed_items.csv"));
        Assert.Contains(failed, l => l.Contains("b-hang.txt,1,2,Timeout,", StringComparison.Ordinal));

        // Each hung worker was replaced by a new generation of the slot's worker rather than reused: the second attempt
        // ran on worker-0.1 (which hung too) and the next mini-batch on worker-0.2.
        var workers = Directory.GetFiles(Path.Combine(jobFolder, "logs", "sys", "worker")).Select(Path.GetFileName).ToList();
        Assert.Contains("worker-0.2.txt", workers);
        Assert.Equal(["file_name", "a.txt", "c.txt"], File.ReadAllLines(Path.Combine(jobFolder, "score", "predictions.csv")));
    }
}
