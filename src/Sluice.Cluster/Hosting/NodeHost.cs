using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Cluster.Membership;
using Sluice.Cluster.Placement;
using Sluice.Cluster.Workers;

namespace Sluice.Cluster.Hosting;

/// <summary>What a compute node is told at start-up (<c>sluice node …</c>).</summary>
public sealed record NodeSettings
{
    public required IReadOnlyList<Uri> Servers { get; init; }

    public required string Workspace { get; init; }

    /// <summary>The compute cluster (a compute resource of the workspace) this node serves.</summary>
    public required string Cluster { get; init; }

    public required string Name { get; init; }

    public required string Tier { get; init; }

    public int Cores { get; init; } = Environment.ProcessorCount;

    public long MemoryBytes { get; init; }

    public string AdvertisedAddress { get; init; } = "127.0.0.1";

    public int SiloPort { get; init; }

    public required string ScratchDirectory { get; init; }

    /// <summary>Set by the local provisioner: the node stops when this process (its server) is gone.</summary>
    public int? ParentProcessId { get; init; }

    /// <summary>The key nodes and jobs share for a compute cluster: <c>workspace/compute</c>.</summary>
    public string ClusterKey => $"{Workspace}/{Cluster}";
}

/// <summary>Builds a compute node: a silo that joins the servers' cluster, tagged with its cluster and capacity, hosting scoring workers.</summary>
public static class NodeHost
{
    public static async Task<IHost> BuildAsync(NodeSettings settings, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        var servers = new ServerAddresses(settings.Servers);
        var (clusterId, serviceId) = await ReadClusterAsync(servers, cancellationToken);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddSluiceConsole();
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(20));
        var metadata = new Dictionary<string, string>
        {
            [NodeMetadata.Cluster] = settings.ClusterKey,
            [NodeMetadata.Tier] = settings.Tier,
            [NodeMetadata.Cores] = settings.Cores.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [NodeMetadata.Memory] = settings.MemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [NodeMetadata.Name] = settings.Name,
        };
        var silo = new SiloOptions { ClusterId = clusterId, ServiceId = serviceId, AdvertisedAddress = settings.AdvertisedAddress, SiloPort = settings.SiloPort };
        if (settings.ParentProcessId is { } parent)
        {
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<Nodes.ParentProcessWatch>(sp, parent));
        }

        builder.AddSluiceNodeSilo(silo, new NodeOptions { ScratchDirectory = settings.ScratchDirectory, Cores = settings.Cores }, servers, metadata);
        return builder.Build();
    }

    private static async Task<(string ClusterId, string ServiceId)> ReadClusterAsync(ServerAddresses servers, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var http in servers.Clients())
        {
            try
            {
                var info = await http.GetFromJsonAsync<JsonObject>("/internal/cluster", cancellationToken);
                return ((string)info!["cluster_id"]!, (string)info["service_id"]!);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = ex;
            }
        }

        throw new InvalidOperationException($"No Sluice server answered at {string.Join(", ", servers.Servers)} ({last?.Message}).", last);
    }
}
