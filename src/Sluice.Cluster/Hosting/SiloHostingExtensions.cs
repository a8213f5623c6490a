using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Sluice.Cluster.Compute;
using Sluice.Cluster.Jobs;
using Sluice.Cluster.Membership;
using Sluice.Cluster.Placement;
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
    /// Hosts a server silo: membership in Sluice's own store (so servers sharing a database form one cluster), job
    /// coordinators and cluster managers, and scoring for jobs that name no compute.
    /// </summary>
    public static IHostApplicationBuilder AddSluiceServerSilo(this IHostApplicationBuilder builder, SiloOptions options, NodeOptions node)
    {
        // Registered before the silo so that it runs before the silo tries to join.
        builder.Services.AddHostedService<MembershipJanitor>();
        builder.UseOrleans(silo =>
        {
            Configure(silo, options, new Dictionary<string, string> { [NodeMetadata.Role] = NodeMetadata.ServerRole, [NodeMetadata.Name] = $"server-{Environment.MachineName}-{Environment.ProcessId}" });
            silo.Services.AddSingleton<IMembershipTable, StoreMembershipTable>();
        });
        builder.Services.AddSingleton(node);
        return builder;
    }

    /// <summary>
    /// The local provisioner: this server starts and stops <c>sluice node</c> processes. Register it before the silo,
    /// so that at shutdown the silo leaves the cluster first (handing its directory to live nodes) and the nodes go after.
    /// </summary>
    public static IServiceCollection AddLocalNodeLauncher(this IServiceCollection services, LocalNodeLauncherOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<LocalNodeLauncher>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalNodeLauncher>());
        return services;
    }

    /// <summary>Hosts a compute node's silo: it reaches the cluster's membership through the servers' API and is tagged with its cluster.</summary>
    public static IHostApplicationBuilder AddSluiceNodeSilo(this IHostApplicationBuilder builder, SiloOptions options, NodeOptions node, ServerAddresses servers, IReadOnlyDictionary<string, string> metadata)
    {
        // Before the silo: hosted services start in order, and the warm-up runs while the silo joins.
        builder.Services.AddHostedService<Nodes.ScoringWarmup>();
        builder.UseOrleans(silo =>
        {
            Configure(silo, options, new Dictionary<string, string>(metadata) { [NodeMetadata.Role] = NodeMetadata.NodeRole });
            silo.Services.AddSingleton(servers);
            silo.Services.AddSingleton<IMembershipTable, HttpMembershipTable>();
        });
        builder.Services.AddSingleton(node);
        return builder;
    }

    private static void Configure(ISiloBuilder silo, SiloOptions options, Dictionary<string, string> metadata)
    {
        var siloPort = options.SiloPort == 0 ? FreePorts.Pick() : options.SiloPort;
        var gatewayPort = options.GatewayPort == 0 ? FreePorts.Pick() : options.GatewayPort;
        silo.Configure<ClusterOptions>(c =>
        {
            c.ClusterId = options.ClusterId;
            c.ServiceId = options.ServiceId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), siloPort, gatewayPort, listenOnAnyHostAddress: options.AdvertisedAddress != "127.0.0.1");
        silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = GrainCallTimeout);
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            // Measured on 2 cores (docs/deploy.md): a killed node is declared dead in ~1-5 s, a frozen one (SIGSTOP)
            // in ~5-8 s. The connection-liveness check is off: it suppresses suspicion of a frozen silo while its
            // sockets stay open, which took a minute to resolve.
            membership.ProbeTimeout = options.ProbeTimeout;
            membership.MaxProbeTimeout = options.ProbeTimeout * 2;
            membership.NumMissedProbesLimit = options.MissedProbesLimit;
            membership.NumVotesForDeathDeclaration = 1;
            membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(3);
            membership.NumMissedTableIAmAliveLimit = 2;

            // Indirect probes go through other silos; when several nodes die together (a preemption wave) the
            // intermediaries are dead too, every indirect probe is inconclusive, and death took ~15 s instead of ~3.
            membership.EnableIndirectProbes = false;
            membership.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
            membership.EnableConnectionLivenessCheck = false;
            membership.DefunctSiloExpiration = TimeSpan.FromHours(1);
        });
        silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = NodeMetadata.ToSiloName(metadata));

        // The default (eventually consistent) directory deactivates every grain whose registration lived on a silo
        // that died: a preempted node took job coordinators and cluster managers on healthy servers down with it.
        // The strongly consistent directory recovers a dead silo's directory range from the surviving activations.
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10; measured in docs/deploy.md.
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003

        // After a silo dies unannounced, its directory range stays leased (no new activation of its grains) for this
        // long minus the worst-case detection time, in case the "dead" silo still runs them. The default (30 s) kept
        // a dead server's job coordinators away for 22 s; jobs tolerate a brief double coordinator (commits are
        // idempotent per mini-batch), and a silo declared dead stops itself as soon as it reads the table.
        silo.Configure<GrainDirectoryOptions>(directory => directory.RangeLeaseDuration = options.DirectoryLeaseDuration);
        silo.AddGrainDirectory(PinnedGrainDirectory.Name, (_, _) => new PinnedGrainDirectory());
        silo.Services.AddPlacementDirector<ServerPlacement, ServerPlacementDirector>();
        silo.Services.AddPlacementDirector<PinnedPlacement, PinnedPlacementDirector>();
    }

    /// <summary>The job engine: coordinators and workers on the silo, and resumption of unfinished jobs at start-up.</summary>
    public static IServiceCollection AddSluiceJobEngine(this IServiceCollection services, JobEngineOptions? options = null)
    {
        services.AddSingleton(options ?? new JobEngineOptions());
        services.AddHostedService<ClusterKeeper>();
        services.AddSingleton<JobStore>();
        services.AddSluiceDatastores();
        services.AddSingleton<IJobEngine, OrleansJobEngine>();
        services.AddHostedService<JobResumer>();
        return services;
    }
}
