using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Cluster.Hosting;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// A compute node hosted in the test process: a second (third, …) Orleans silo next to the server's, with its own
/// services, joined through the server's membership API exactly as <c>sluice node</c> joins.
/// </summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempFolder _scratch;

    private InProcessNode(IHost host, string name, TempFolder scratch)
    {
        _host = host;
        Name = name;
        _scratch = scratch;
    }

    public string Name { get; }

    /// <summary>Starts a node and waits until its cluster lists it in a state <paramref name="acceptState"/> accepts (default: idle or running).</summary>
    public static async Task<InProcessNode> StartAsync(string serverUrl, string cluster, string name, string tier = "dedicated", int cores = 2, Func<string?, bool>? acceptState = null, CancellationToken cancellationToken = default)
    {
        var scratch = new TempFolder($"node-{name}");
        var settings = new NodeSettings
        {
            Servers = [new Uri(serverUrl)],
            Workspace = "default",
            Cluster = cluster,
            Name = name,
            Tier = tier,
            Cores = cores,
            ScratchDirectory = scratch.Path,
        };
        var host = await NodeHost.BuildAsync(settings, logging => logging.SetMinimumLevel(LogLevel.Warning), cancellationToken);
        await host.StartAsync(cancellationToken);
        await ClusterProbe.WaitForNodeStateAsync(new CliDriver(serverUrl), cluster, name, acceptState ?? (s => s is "idle" or "running"), TimeSpan.FromSeconds(60), cancellationToken: cancellationToken);
        return new InProcessNode(host, name, scratch);
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await _host.StopAsync(stop.Token);
        }

        _host.Dispose();
        _scratch.Dispose();
    }
}
