using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class ResumeTests
{
    [Fact]
    public async Task ServerKilledMidJob_ResumesAfterRestart_WithEveryRowOnceAndInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder("resume");
        var data = folder.Combine("server-data");
        CustomScorerProject.Write(folder, "resume-ep", "SlowScorer", "  max_concurrency_per_instance: 2\n  environment_variables:\n    SLOW_SCORER_MS: \"150\"");
        var names = Enumerable.Range(0, 30).Select(i => $"f{i:D2}.txt").ToArray();
        var inputs = CustomScorerProject.WriteInputs(folder, names);

        string job;
        int port;
        await using (var first = await ServerProcess.StartAsync(data, cancellationToken: ct))
        {
            port = new Uri(first.Url).Port;
            var cli = new CliDriver(first.Url);
            await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
            await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));
            job = (string)(await cli.OkAsync("batch-endpoint", "invoke", "-n", "resume-ep", "--input", inputs)).Json()["name"]!;
            await WaitForAsync(cli, job, j => Infrastructure.Jobs.MiniBatches(j, "succeeded") >= 6, ct);
            await first.KillAsync();
        }

        await using var second = await ServerProcess.StartAsync(data, port, cancellationToken: ct);
        var again = new CliDriver(second.Url);
        var stream = await again.RunAsync("job", "stream", "-n", job);
        var shown = (await again.OkAsync("job", "show", "-n", job)).Json();

        Assert.True(stream.ExitCode == 0, $"{stream}\n{second.Log}");
        Assert.Equal("Completed", Infrastructure.Jobs.Status(shown));
        Assert.Equal(30, Infrastructure.Jobs.Items(shown, "succeeded"));
        var rows = File.ReadAllLines(Path.Combine(data, "datastores", "default", "workspaceblobstore", "azureml", job, "score", "predictions.csv"));
        Assert.Equal(["file_name", .. names], rows);
    }

    [Fact]
    public async Task Server_OnSigterm_ShutsDownGracefullyWithExitCodeZero()
    {
        using var folder = new TempFolder("sigterm");
        await using var server = await ServerProcess.StartAsync(folder.Path, cancellationToken: TestContext.Current.CancellationToken);

        var code = await server.TerminateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        Assert.Contains("shutting down", server.Log, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task WaitForAsync(CliDriver cli, string job, Func<System.Text.Json.Nodes.JsonNode, bool> condition, CancellationToken ct)
    {
        while (true)
        {
            var shown = (await cli.OkAsync("job", "show", "-n", job)).Json();
            Assert.False(Sluice.Core.Jobs.JobStatuses.IsTerminal(Infrastructure.Jobs.Status(shown)), $"the job ended before the server could be killed: {Infrastructure.Jobs.Reason(shown)}");
            if (condition(shown))
            {
                return;
            }

            await Task.Delay(50, ct);
        }
    }
}
