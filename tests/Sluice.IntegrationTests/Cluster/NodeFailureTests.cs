using System.Text.Json.Nodes;
using System.Diagnostics;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Cluster;

using Jobs = Sluice.IntegrationTests.Infrastructure.Jobs;

/// <summary>
/// Compute nodes as separate <c>sluice node</c> processes, killed or frozen while a job runs: the job completes with
/// every row exactly once, and the lost nodes' mini-batches do not count against the error budget.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class NodeFailureTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(120);

    // error_threshold 0 and no retries: a re-queued mini-batch that counted as a failure would fail the job.
    private const string NoErrorBudget = "  error_threshold: 0\n  retry_settings:\n    max_retries: 0\n    timeout: 60\n";

    [Fact(Timeout = 240_000)]
    public async Task NodeKilledMidJob_IsDetected_ItsMiniBatchesRunElsewhere_AndEveryRowIsWrittenOnce()
    {
        await NodeLostMidJobAsync(node => node.KillAsync(), "sigkill", TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 240_000)]
    public async Task NodeFrozenMidJob_IsDeclaredDead_ItsMiniBatchesRunElsewhere_AndEveryRowIsWrittenOnce()
    {
        await NodeLostMidJobAsync(node => node.FreezeAsync(), "sigstop", TestContext.Current.CancellationToken);
    }

    private static async Task NodeLostMidJobAsync(Func<NodeProcess, Task> fail, string tag, CancellationToken ct)
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder($"node-{tag}");
        var cli = new CliDriver(server.Url);
        var scenario = await ClusterScenario.CreateAsync(cli, folder, diagnostics: () => server.Log.Tail(), sleepMs: 300, extraSettings: NoErrorBudget);
        await using var a = await NodeProcess.StartAsync(server.Url, "cpu", "node-a", cancellationToken: ct);
        await using var b = await NodeProcess.StartAsync(server.Url, "cpu", "node-b", cancellationToken: ct);
        await using var c = await NodeProcess.StartAsync(server.Url, "cpu", "node-c", cancellationToken: ct);

        var name = await scenario.InvokeAsync(scenario.Inputs(45));
        await scenario.WaitForJobAsync(name, j => ClusterScenario.Succeeded(j) >= 6, JobTimeout, ct);
        var clock = Stopwatch.StartNew();
        await fail(b);
        await ClusterProbe.WaitForNodeStateAsync(cli, "cpu", "node-b", s => s is null, TimeSpan.FromSeconds(60), cancellationToken: ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"{tag}: node-b left the cluster's node list {clock.Elapsed.TotalSeconds:0.0} s after the signal");
        var job = await scenario.FinishAsync(name, cancellationToken: ct);

        Assert.True(Jobs.Status(job) == "Completed", job.ToJsonString());
        Assert.Equal(0, Jobs.MiniBatches(job, "failed"));
        Assert.Equal(1, (int)job["node_losses"]!);
        Assert.Equal(0, (int)job["preemptions"]!);
        var scored = ClusterScenario.ScoredFiles(Path.Combine(Jobs.Folder(server, job), "score", "predictions.csv"));
        Assert.Equal(Enumerable.Range(0, 45).Select(i => $"a{i:D3}.txt"), scored.Order());
        var shares = ClusterScenario.NodeShares(job);
        Assert.True(shares.GetValueOrDefault("node-a") > 0 && shares.GetValueOrDefault("node-c") > 0, job.ToJsonString());
    }

    [Fact(Timeout = 240_000)]
    public async Task LowPriorityPreemptionStorm_EveryNodePreemptedOnce_JobCompletes_AndPreemptionsAreCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("preemption");
        var cli = new CliDriver(server.Url);
        var scenario = await ClusterScenario.CreateAsync(cli, folder, diagnostics: () => server.Log.Tail(), provisioner: "local", tier: "low_priority", idleSeconds: 2, sleepMs: 300, extraSettings: NoErrorBudget);

        var name = await scenario.InvokeAsync(scenario.Inputs(60));
        await scenario.WaitForJobAsync(name, j => ClusterScenario.Succeeded(j) >= 3, JobTimeout, ct);
        var first = await ClusterProbe.WaitForNodesAsync(cli, "cpu", n => ClusterProbe.Count(n, "running") == 3, TimeSpan.FromSeconds(60), ct);
        foreach (var node in first.Select(n => (string)n!["name"]!))
        {
            var preempted = await cli.OkAsync("compute", "preempt", "-n", "cpu", "--node", node);
            Assert.Contains("preempted", preempted.Out, StringComparison.Ordinal);
        }

        // With every node gone the job waits and says so; the local provisioner brings replacements.
        var job = await scenario.FinishAsync(name, cancellationToken: ct);

        Assert.True(Jobs.Status(job) == "Completed", job.ToJsonString());
        Assert.Equal(0, Jobs.MiniBatches(job, "failed"));
        Assert.Equal(3, (int)job["preemptions"]!);
        Assert.Equal(3, (int)job["node_losses"]!);
        var scored = ClusterScenario.ScoredFiles(Path.Combine(Jobs.Folder(server, job), "score", "predictions.csv"));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"a{i:D3}.txt"), scored.Order());
        var compute = (await cli.OkAsync("compute", "show", "-n", "cpu")).Json();
        Assert.Equal(3, (int)compute["preemptions"]!);

        // The replacements the local provisioner started finished what the preempted nodes had left.
        var shares = ClusterScenario.NodeShares(job);
        var preemptedNodes = first.Select(n => (string)n!["name"]!).ToHashSet();
        Assert.Contains(shares.Keys, node => !preemptedNodes.Contains(node));
        Assert.Equal(60, shares.Values.Sum());
    }

    [Fact(Timeout = 240_000)]
    public async Task NodeThatKeepsTimingOut_WhilePeersScore_IsMarkedUnusable_AndItsWorkRunsElsewhere()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("unusable");
        var cli = new CliDriver(server.Url);

        // Runs on the sick node stall until retry_settings.timeout abandons them; three such failures while a peer
        // scores make the node unusable, and what it held goes back to the queue without using the error budget.
        const string shortTimeout = "  error_threshold: 0\n  retry_settings:\n    max_retries: 5\n    timeout: 2\n";
        var scenario = await ClusterScenario.CreateAsync(cli, folder, diagnostics: () => server.Log.Tail(), instanceCount: 2, sleepMs: 100, extraSettings: shortTimeout);
        await using var healthy = await NodeProcess.StartAsync(server.Url, "cpu", "node-ok", cancellationToken: ct);
        await using var sick = await NodeProcess.StartAsync(server.Url, "cpu", "node-sick", environment: new Dictionary<string, string> { ["SLOW_SCORER_STALL"] = "1" }, cancellationToken: ct);

        var name = await scenario.InvokeAsync(scenario.Inputs(40));
        var job = await scenario.FinishAsync(name, cancellationToken: ct);

        Assert.True(Jobs.Status(job) == "Completed", job.ToJsonString());
        Assert.Equal(0, Jobs.MiniBatches(job, "failed"));
        var scored = ClusterScenario.ScoredFiles(Path.Combine(Jobs.Folder(server, job), "score", "predictions.csv"));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"a{i:D3}.txt"), scored.Order());
        Assert.Equal(40, ClusterScenario.NodeShares(job).GetValueOrDefault("node-ok"));
        var nodes = await ClusterProbe.NodesAsync(cli, "cpu");
        Assert.Equal("unusable", (string?)nodes.Single(n => (string)n!["name"]! == "node-sick")!["state"]);
        Assert.Equal("idle", (string?)nodes.Single(n => (string)n!["name"]! == "node-ok")!["state"]);
    }

    [Fact(Timeout = 240_000)]
    public async Task LocalProvisioner_ScalesFromZeroToThreeForAJob_AndBackToZeroAfterTheIdleTime()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("scale");
        var cli = new CliDriver(server.Url);
        // Enough work (about 18 s on one node) that all three nodes are running before it is done, however fast or
        // unevenly they join.
        var scenario = await ClusterScenario.CreateAsync(cli, folder, diagnostics: () => server.Log.Tail(), provisioner: "local", idleSeconds: 3, sleepMs: 400);
        Assert.Empty(await ClusterProbe.NodesAsync(cli, "cpu"));

        var name = await scenario.InvokeAsync(scenario.Inputs(45));
        JsonArray three;
        try
        {
            three = await ClusterProbe.WaitForNodesAsync(cli, "cpu", n => ClusterProbe.Count(n, "running") == 3, TimeSpan.FromSeconds(90), ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\njob: {(await scenario.ShowAsync(name)).ToJsonString()}\n{server.Log.Tail()}", ex);
        }

        var job = await scenario.FinishAsync(name, cancellationToken: ct);
        var launched = Directory.GetFiles(Path.Combine(server.DataDirectory, "nodes"), "*.log");
        await ClusterProbe.WaitForNodesAsync(cli, "cpu", n => n.Count == 0, TimeSpan.FromSeconds(60), ct);

        Assert.Equal("Completed", Jobs.Status(job));
        Assert.Equal(3, three.Count);

        // Every node that scored was one this server launched (a node the cluster saw die would have been replaced,
        // so more than three may have been started, but never an unbounded number).
        var launchedNames = launched.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(launchedNames!, ClusterScenario.NodeShares(job).Keys.ToHashSet(StringComparer.Ordinal));
        Assert.InRange(launched.Length, 3, 6);
        var compute = (await cli.OkAsync("compute", "show", "-n", "cpu")).Json();
        Assert.Equal(0, (int)compute["current_node_count"]!);
    }
}
