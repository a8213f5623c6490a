using System.Diagnostics;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Cluster;

using Jobs = Sluice.IntegrationTests.Infrastructure.Jobs;

/// <summary>
/// Two <c>sluice server</c> processes on one PostgreSQL database form one control plane: when the server running a
/// job's coordinator dies or freezes, the other takes the job over and keeps answering the API.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class MultiServerTests(PostgresServer postgres)
{
    [Fact(Timeout = 300_000)]
    public async Task ServerKilledMidJob_TheOtherServerFinishesTheJob_AndKeepsAnswering()
    {
        await ServerLostMidJobAsync(server => server.KillAsync(), "sigkill", TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 300_000)]
    public async Task ServerFrozenMidJob_TheOtherServerFinishesTheJob_AndKeepsAnswering()
    {
        await ServerLostMidJobAsync(server => server.FreezeAsync(), "sigstop", TestContext.Current.CancellationToken);
    }

    private async Task ServerLostMidJobAsync(Func<ServerProcess, Task> fail, string tag, CancellationToken ct)
    {
        await using var database = await postgres.CreateDatabaseAsync(cancellationToken: ct);
        using var folder = new TempFolder($"two-servers-{tag}");
        await using var first = await ServerProcess.StartAsync(folder.Combine("first"), arguments: ["--store", database.Url, "--migrate"], cancellationToken: ct);
        await using var second = await ServerProcess.StartAsync(folder.Combine("second"), arguments: ["--store", database.Url], cancellationToken: ct);
        var viaFirst = new CliDriver(first.Url);
        var viaSecond = new CliDriver(second.Url);
        var scenario = await ClusterScenario.CreateAsync(viaFirst, folder, sleepMs: 300, diagnostics: () => $"--- first\n{first.Log}\n--- second\n{second.Log}");
        var servers = $"{first.Url},{second.Url}";
        await using var a = await NodeProcess.StartAsync(servers, "cpu", "node-a", cancellationToken: ct);
        await using var b = await NodeProcess.StartAsync(servers, "cpu", "node-b", cancellationToken: ct);
        await using var c = await NodeProcess.StartAsync(servers, "cpu", "node-c", cancellationToken: ct);

        // Invoked through the first server, whose silo therefore runs the job's coordinator.
        var name = await scenario.InvokeAsync(scenario.Inputs(60));
        await scenario.WaitForJobAsync(name, j => ClusterScenario.Succeeded(j) >= 6, TimeSpan.FromSeconds(120), ct);
        var clock = Stopwatch.StartNew();
        await fail(first);

        // The second server answers at once, and the job moves on under its new coordinator.
        var shown = (await viaSecond.OkAsync("job", "show", "-n", name)).Json();
        var before = ClusterScenario.Succeeded(shown);
        var survivor = new ClusterScenario(viaSecond, scenario);
        await survivor.WaitForJobAsync(name, j => ClusterScenario.Succeeded(j) > before + 3, TimeSpan.FromSeconds(120), ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"{tag}: the job progressed under the second server {clock.Elapsed.TotalSeconds:0.0} s after the first was stopped");
        var job = await survivor.FinishAsync(name, cancellationToken: ct);

        Assert.True(Jobs.Status(job) == "Completed", job.ToJsonString());
        var predictions = Path.Combine(folder.Combine("first"), "datastores", "default", "workspaceblobstore", "azureml", name, "score", "predictions.csv");
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"a{i:D3}.txt"), ClusterScenario.ScoredFiles(predictions).Order());
        Assert.Equal(["cpu"], SampleSpecs.Names(await viaSecond.OkAsync("compute", "list", "-o", "json")));
        Assert.Equal(3, (await ClusterProbe.NodesAsync(viaSecond, "cpu")).Count);
    }
}
