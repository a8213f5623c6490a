using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Cluster;

using Jobs = Sluice.IntegrationTests.Infrastructure.Jobs;

/// <summary>A server silo and compute-node silos in one process: placement, allocation and sharing on a real Orleans cluster.</summary>
public sealed class InProcessClusterTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 240_000)]
    public async Task JobOnThreeNodes_UsesEveryNode_AndThePerNodeReportAddsUpToTheJob()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("three-nodes");
        var cli = new CliDriver(server.Url);
        var scenario = await ClusterScenario.CreateAsync(cli, folder, diagnostics: () => server.Log.Tail(), sleepMs: 250);
        await using var a = await InProcessNode.StartAsync(server.Url, "cpu", "node-a", cancellationToken: ct);
        await using var b = await InProcessNode.StartAsync(server.Url, "cpu", "node-b", cancellationToken: ct);
        await using var c = await InProcessNode.StartAsync(server.Url, "cpu", "node-c", cancellationToken: ct);

        var job = await scenario.FinishAsync(await scenario.InvokeAsync(scenario.Inputs(24)), cancellationToken: ct);

        Assert.Equal("Completed", Jobs.Status(job));
        var shares = ClusterScenario.NodeShares(job);
        Assert.Equal(["node-a", "node-b", "node-c"], shares.Keys.Order().ToArray());
        Assert.All(shares.Values, count => Assert.True(count > 0));
        Assert.Equal(24, shares.Values.Sum());
        Assert.Equal(24, job["nodes"]!.AsArray().Sum(n => (long)n!["rows"]!));
        var scored = ClusterScenario.ScoredFiles(Path.Combine(Jobs.Folder(server, job), "score", "predictions.csv"));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"a{i:D3}.txt"), scored.Order());
    }

    [Fact(Timeout = 240_000)]
    public async Task JobShortOfNodes_StartsOnTheFirst_SaysPartiallyAllocated_AndTakesNodesAsTheyJoin()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("partial");
        var cli = new CliDriver(server.Url);
        var scenario = await ClusterScenario.CreateAsync(cli, folder, diagnostics: () => server.Log.Tail(), sleepMs: 400);
        await using var a = await InProcessNode.StartAsync(server.Url, "cpu", "node-a", cancellationToken: ct);

        var name = await scenario.InvokeAsync(scenario.Inputs(30));
        var partial = await scenario.WaitForJobAsync(name, j => ClusterScenario.Succeeded(j) > 0, JobTimeout, ct);
        Assert.Contains("partially allocated (1 of 3 nodes)", Jobs.Reason(partial), StringComparison.Ordinal);

        await using var b = await InProcessNode.StartAsync(server.Url, "cpu", "node-b", cancellationToken: ct);
        await using var c = await InProcessNode.StartAsync(server.Url, "cpu", "node-c", cancellationToken: ct);
        var job = await scenario.FinishAsync(name, cancellationToken: ct);

        Assert.Equal("Completed", Jobs.Status(job));
        var shares = ClusterScenario.NodeShares(job);
        Assert.Equal(["node-a", "node-b", "node-c"], shares.Keys.Order().ToArray());
        Assert.Equal(30, shares.Values.Sum());
        Assert.DoesNotContain("partially allocated", Jobs.Reason(job), StringComparison.Ordinal);
    }

    [Fact(Timeout = 240_000)]
    public async Task JobOnClusterWithoutNodes_WaitsForCapacity_AndSaysSo_ThenRunsWhenANodeJoins()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("no-nodes");
        var cli = new CliDriver(server.Url);
        var scenario = await ClusterScenario.CreateAsync(cli, folder, diagnostics: () => server.Log.Tail(), instanceCount: 1, sleepMs: 50);

        var name = await scenario.InvokeAsync(scenario.Inputs(4));
        var waiting = await scenario.WaitForJobAsync(name, j => Jobs.Reason(j).Contains("waiting for capacity", StringComparison.Ordinal), JobTimeout, ct);
        Assert.Equal(0, ClusterScenario.Succeeded(waiting));
        Assert.Contains("cpu", Jobs.Reason(waiting), StringComparison.Ordinal);

        await using var a = await InProcessNode.StartAsync(server.Url, "cpu", "late-node", cancellationToken: ct);
        var job = await scenario.FinishAsync(name, cancellationToken: ct);

        Assert.Equal("Completed", Jobs.Status(job));
        Assert.Equal(new Dictionary<string, int> { ["late-node"] = 4 }, ClusterScenario.NodeShares(job));
    }

    [Fact(Timeout = 240_000)]
    public async Task TwoJobsOnOneCluster_ShareItsNodes_AndBothProgressBeforeEitherEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("sharing");
        var cli = new CliDriver(server.Url);
        var scenario = await ClusterScenario.CreateAsync(cli, folder, diagnostics: () => server.Log.Tail(), maxInstances: 2, instanceCount: 2, sleepMs: 300);
        await using var a = await InProcessNode.StartAsync(server.Url, "cpu", "node-a", cancellationToken: ct);
        await using var b = await InProcessNode.StartAsync(server.Url, "cpu", "node-b", cancellationToken: ct);

        var first = await scenario.InvokeAsync(scenario.Inputs(20, "a"));
        var second = await scenario.InvokeAsync(scenario.Inputs(20, "b"));

        // Both jobs make progress while both are still running: neither waits for the other to finish.
        var sawBothRunning = false;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < JobTimeout)
        {
            var (one, two) = (await scenario.ShowAsync(first), await scenario.ShowAsync(second));
            if (Jobs.Status(one) != "Running" || Jobs.Status(two) != "Running")
            {
                break;
            }

            if (ClusterScenario.Succeeded(one) > 0 && ClusterScenario.Succeeded(two) > 0)
            {
                sawBothRunning = true;
                var nodes = await ClusterProbe.NodesAsync(cli, "cpu");
                Assert.Contains(nodes, n => n!["jobs"]!.AsArray().Any(j => (string)j! == first));
                Assert.Contains(nodes, n => n!["jobs"]!.AsArray().Any(j => (string)j! == second));
                break;
            }

            await Task.Delay(200, ct);
        }

        Assert.True(sawBothRunning, "both jobs should have finished mini-batches while both were running");
        Assert.Equal("Completed", Jobs.Status(await scenario.FinishAsync(first, cancellationToken: ct)));
        Assert.Equal("Completed", Jobs.Status(await scenario.FinishAsync(second, cancellationToken: ct)));
    }

    [Fact(Timeout = 240_000)]
    public async Task ClusterInASmallSubnet_GivesNodesItsAddresses_AndAJobAskingForMoreIsPartiallyAllocated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("small-subnet");
        var cli = new CliDriver(server.Url);

        // A /29 has 8 addresses; Azure reserves 5, so three nodes fit.
        folder.Write("vnet.yml", """
            type: virtual_network
            name: vnet1
            address_space: [10.0.0.0/16]
            subnets:
              - name: compute
                address_prefix: 10.0.1.0/29
            """);
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Combine("vnet.yml"));
        var scenario = await ClusterScenario.CreateAsync(
            cli, folder, diagnostics: () => server.Log.Tail(), maxInstances: 4, instanceCount: 4, sleepMs: 200,
            computeExtra: "network_settings: { vnet_name: vnet1, subnet: compute }");
        var nodes = new List<InProcessNode>();
        try
        {
            foreach (var name in (string[])["node-a", "node-b", "node-c", "node-d"])
            {
                nodes.Add(await InProcessNode.StartAsync(server.Url, "cpu", name, acceptState: s => s is "idle" or "unusable", cancellationToken: ct));
            }

            var listed = await ClusterProbe.NodesAsync(cli, "cpu");
            Assert.Equal(["10.0.1.4", "10.0.1.5", "10.0.1.6"], listed.Select(n => (string?)n!["private_ip_address"]).OfType<string>().Order().ToArray());
            var homeless = Assert.Single(listed, n => (string)n!["state"]! == "unusable");
            Assert.Contains("no free address in subnet vnet1/compute", (string?)homeless!["reason"], StringComparison.Ordinal);

            var jobName = await scenario.InvokeAsync(scenario.Inputs(12));
            var partial = await scenario.WaitForJobAsync(jobName, j => Jobs.Reason(j).Contains("partially allocated", StringComparison.Ordinal), JobTimeout, ct);
            Assert.Contains("partially allocated (3 of 4 nodes)", Jobs.Reason(partial), StringComparison.Ordinal);
            Assert.Contains("subnet vnet1/compute has room for 3 nodes", Jobs.Reason(partial), StringComparison.Ordinal);
            var job = await scenario.FinishAsync(jobName, cancellationToken: ct);

            Assert.Equal("Completed", Jobs.Status(job));
            Assert.Equal(3, ClusterScenario.NodeShares(job).Count);
            Assert.DoesNotContain((string)homeless["name"]!, ClusterScenario.NodeShares(job).Keys);
            var compute = (await cli.OkAsync("compute", "show", "-n", "cpu")).Json();
            Assert.Equal(3, (int)compute["subnet_capacity"]!["capacity"]!);
            Assert.Contains("room for 3 of max_instances 4", (string?)compute["subnet_capacity"]!["problem"], StringComparison.Ordinal);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
