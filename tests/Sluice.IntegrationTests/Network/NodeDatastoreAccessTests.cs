using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Network;

using Jobs = Sluice.IntegrationTests.Infrastructure.Jobs;

/// <summary>A node's datastore access is checked against its subnet's effective outbound rules before it connects.</summary>
public sealed class NodeDatastoreAccessTests
{
    [Fact(Timeout = 180_000)]
    public async Task NodeWhoseSubnetDeniesTheDatastore_FailsItsMiniBatchesOnce_WithTheDecidingRuleInFailedItems()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("denied-datastore");
        var cli = new CliDriver(server.Url);
        folder.Write("nsg.yml", """
            type: network_security_group
            name: nsg-compute
            security_rules:
              - name: deny-datastore
                priority: 100
                direction: Outbound
                access: Deny
                protocol: Tcp
                source_address_prefix: "*"
                source_port_range: "*"
                destination_address_prefix: SluiceControlPlane
                destination_port_range: "*"
            """);
        folder.Write("vnet.yml", """
            type: virtual_network
            name: vnet1
            address_space: [10.0.0.0/16]
            subnets:
              - name: compute
                address_prefix: 10.0.1.0/24
                network_security_group: nsg-compute
            """);
        await cli.OkAsync("network", "nsg", "create", "-f", folder.Combine("nsg.yml"));
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Combine("vnet.yml"));
        var scenario = await ClusterScenario.CreateAsync(
            cli, folder, diagnostics: () => server.Log.Tail(), instanceCount: 1, sleepMs: 10,
            computeExtra: "network_settings: { vnet_name: vnet1, subnet: compute }");
        await using var node = await InProcessNode.StartAsync(server.Url, "cpu", "node-a", cancellationToken: ct);

        var job = await scenario.FinishAsync(await scenario.InvokeAsync(scenario.Inputs(5)), cancellationToken: ct);

        Assert.Equal(5, Jobs.MiniBatches(job, "failed"));
        Assert.Equal(0, ClusterScenario.Succeeded(job));
        var failed = File.ReadAllLines(Path.Combine(Jobs.Folder(server, job), "logs", "failed_items.csv")).Skip(1).ToList();
        Assert.Equal(5, failed.Count);
        Assert.All(failed, line =>
        {
            var columns = line.Split(',');
            Assert.Equal("1", columns[2]); // one attempt: the network would answer the same to a retry
            Assert.Equal("NetworkDenied", columns[3]);
            Assert.Contains("nsg-compute", line, StringComparison.Ordinal);
            Assert.Contains("deny-datastore", line, StringComparison.Ordinal);
            Assert.Contains("node-a (10.0.1.4", line, StringComparison.Ordinal);
        });

        // The question the message suggests gives the same answer: the node is in the model as cpu/node-a.
        var port = new Uri(server.Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var verdict = (await cli.OkAsync("network", "verify-flow", "--source", "cpu/node-a", "--destination", "127.0.0.1", "--port", port, "-o", "json")).Json();
        Assert.Equal("Deny", (string?)verdict["access"]);
        Assert.Equal("deny-datastore", (string?)verdict["deciding_rule"]!["rule"]);
    }

    [Fact(Timeout = 180_000)]
    public async Task NodeWhoseSubnetAllowsTheDatastore_ScoresEveryItem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("allowed-datastore");
        var cli = new CliDriver(server.Url);
        folder.Write("vnet.yml", """
            type: virtual_network
            name: vnet1
            address_space: [10.0.0.0/16]
            subnets:
              - name: compute
                address_prefix: 10.0.1.0/24
            """);
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Combine("vnet.yml"));
        var scenario = await ClusterScenario.CreateAsync(
            cli, folder, diagnostics: () => server.Log.Tail(), instanceCount: 1, sleepMs: 10,
            computeExtra: "network_settings: { vnet_name: vnet1, subnet: compute }");
        await using var node = await InProcessNode.StartAsync(server.Url, "cpu", "node-a", cancellationToken: ct);

        var job = await scenario.FinishAsync(await scenario.InvokeAsync(scenario.Inputs(5)), cancellationToken: ct);

        Assert.Equal("Completed", Jobs.Status(job));
        Assert.Equal(5, ClusterScenario.Succeeded(job));
    }
}
