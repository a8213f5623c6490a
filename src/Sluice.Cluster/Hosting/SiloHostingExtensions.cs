using Microsoft.Extensions.Hosting;

namespace Sluice.Cluster.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Hosts an Orleans silo in this process. The embedded default is a single silo with localhost clustering; the
    /// compute-cluster work replaces the clustering provider, not this call's callers.
    /// </summary>
    public static IHostApplicationBuilder AddSluiceSilo(this IHostApplicationBuilder builder, SiloOptions options)
    {
        var siloPort = options.SiloPort == 0 ? FreePorts.Pick() : options.SiloPort;
        var gatewayPort = options.GatewayPort == 0 ? FreePorts.Pick() : options.GatewayPort;
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, primarySiloEndpoint: null, serviceId: options.ServiceId, clusterId: options.ClusterId);
        });
        return builder;
    }
}
