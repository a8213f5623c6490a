using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Sluice.Cluster.Jobs;
using Sluice.Cluster.Workers;
using Sluice.Data.Datastores;
using Sluice.Data.Store;

namespace Sluice.Cluster.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Longest a grain call may take before Orleans gives up on it. Mini-batch runs are bounded by the deployment's own
    /// <c>retry_settings.timeout</c> (at most 7 days), which the coordinator enforces; Orleans must not cut them first.
    /// </summary>
    public static readonly TimeSpan GrainCallTimeout = TimeSpan.FromDays(7) + TimeSpan.FromHours(1);

    /// <summary>
    /// Hosts an Orleans silo in this process. The embedded default is a single silo with localhost clustering; the
    /// compute-cluster work replaces the clustering provider, not this call's callers.
    /// </summary>
    public static IHostApplicationBuilder AddSluiceSilo(this IHostApplicationBuilder builder, SiloOptions options, NodeOptions node)
    {
        var siloPort = options.SiloPort == 0 ? FreePorts.Pick() : options.SiloPort;
        var gatewayPort = options.GatewayPort == 0 ? FreePorts.Pick() : options.GatewayPort;
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, primarySiloEndpoint: null, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = GrainCallTimeout);
        });
        builder.Services.AddSingleton(node);
        return builder;
    }

    /// <summary>The job engine: coordinators and workers on the silo, and resumption of unfinished jobs at start-up.</summary>
    public static IServiceCollection AddSluiceJobEngine(this IServiceCollection services, JobEngineOptions? options = null)
    {
        services.AddSingleton(options ?? new JobEngineOptions());
        services.AddSingleton<JobStore>();
        services.AddSingleton<DatastoreRegistry>();
        services.AddSingleton<IJobEngine, OrleansJobEngine>();
        services.AddHostedService<JobResumer>();
        return services;
    }
}
