using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

/// <summary>Short mini-batches sent to workers in groups keep every per-mini-batch promise: exactly once, in order, retried alone.</summary>
public sealed class GroupedRunTests
{
    [Fact]
    public async Task ManyShortMiniBatches_RunInGroups_EachRowOnceInOrder_AndFailuresRetriedAlone()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("grouped-runs");
        CustomScorerProject.Write(folder, "grouped-ep", "ThrowingScorer", "  max_concurrency_per_instance: 2\n  retry_settings:\n    max_retries: 1");
        var names = Enumerable.Range(0, 600).Select(i => i % 97 == 50 ? $"f{i:D4}-poison.txt" : $"f{i:D4}.txt").ToArray();
        var poisoned = names.Where(n => n.Contains("poison", StringComparison.Ordinal)).ToList();
        var inputs = CustomScorerProject.WriteInputs(folder, names);
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "grouped-ep", "--input", inputs);

        Assert.True(exit == 2, Infrastructure.Jobs.Reason(job)); // completed, with failed items (error_threshold -1 ignores them)
        Assert.Equal("Completed", Infrastructure.Jobs.Status(job));
        var jobFolder = Infrastructure.Jobs.Folder(server, job);

        // The slots went over to groups: their staging files are there beside (or instead of) per-index parts.
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(jobFolder, "staging"), "g*.csv"));

        // Every good file's row once, in input order; no row of a poisoned file.
        var output = File.ReadAllLines(Path.Combine(jobFolder, "score", "predictions.csv"));
        Assert.Equal("file_name,bytes", output[0]);
        Assert.Equal(names.Except(poisoned), output.Skip(1).Select(l => l.Split(',')[0]));

        // Each poisoned file failed once, after its retry: the group's run was its first attempt, the retry ran alone.
        Assert.Equal(poisoned.Count, Infrastructure.Jobs.Items(job, "failed"));
        Assert.Equal(names.Length - poisoned.Count, Infrastructure.Jobs.Items(job, "succeeded"));
        var failed = File.ReadAllLines(Path.Combine(jobFolder, "logs", "failed_items.csv"));
        Assert.Equal(poisoned.Count, failed.Length - 1);
        Assert.All(poisoned, p => Assert.Single(failed, l => l.Contains(p, StringComparison.Ordinal) && l.Contains(",2,", StringComparison.Ordinal)));

        // The workers' own record names every mini-batch they ran, grouped or not.
        var logged = Directory.EnumerateFiles(Path.Combine(jobFolder, "logs", "sys", "worker")).SelectMany(File.ReadAllLines).Count(l => l.Contains(" attempt 1: ", StringComparison.Ordinal));
        Assert.Equal(names.Length - poisoned.Count, logged);
    }
}
