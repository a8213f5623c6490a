using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>Reads a compute cluster's nodes through the CLI and waits for them to reach states.</summary>
public static class ClusterProbe
{
    public static async Task<JsonArray> NodesAsync(CliDriver cli, string cluster) =>
        (await cli.OkAsync("compute", "list-nodes", "-n", cluster, "-o", "json")).Json().AsArray();

    public static async Task<string?> NodeStateAsync(CliDriver cli, string cluster, string node) =>
        (await NodesAsync(cli, cluster)).FirstOrDefault(n => (string)n!["name"]! == node) is { } found ? (string)found["state"]! : null;

    /// <summary>Waits until <paramref name="node"/>'s state satisfies <paramref name="accept"/>; <paramref name="failure"/> can end the wait early with a reason.</summary>
    public static async Task WaitForNodeStateAsync(CliDriver cli, string cluster, string node, Func<string?, bool> accept, TimeSpan timeout, Func<string?>? failure = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        string? state = null;
        while (clock.Elapsed < timeout)
        {
            if (failure?.Invoke() is { } reason)
            {
                throw new InvalidOperationException(reason);
            }

            state = await NodeStateAsync(cli, cluster, node);
            if (accept(state))
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"node {node} of {cluster} is '{state ?? "absent"}' after {timeout.TotalSeconds:0} s");
    }

    /// <summary>Waits until the cluster's nodes satisfy <paramref name="accept"/>; returns them.</summary>
    public static async Task<JsonArray> WaitForNodesAsync(CliDriver cli, string cluster, Func<JsonArray, bool> accept, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        JsonArray nodes = [];
        while (clock.Elapsed < timeout)
        {
            nodes = await NodesAsync(cli, cluster);
            if (accept(nodes))
            {
                return nodes;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"the nodes of {cluster} did not reach the expected states within {timeout.TotalSeconds:0} s: {nodes.ToJsonString()}");
    }

    public static int Count(JsonArray nodes, params string[] states) => nodes.Count(n => states.Contains((string)n!["state"]!));
}
