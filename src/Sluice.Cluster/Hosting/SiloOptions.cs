namespace Sluice.Cluster.Hosting;

/// <summary>How this process joins the Orleans cluster of servers and compute nodes.</summary>
public sealed class SiloOptions
{
    /// <summary>Silo-to-silo port; 0 picks a free one, so several servers (and tests) can run side by side.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port; 0 picks a free one.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other silos reach this one at (loopback by default: one machine).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "sluice";

    /// <summary>Identifies the deployment's state across restarts of the cluster.</summary>
    public string ServiceId { get; set; } = "sluice";

    /// <summary>
    /// Failure detection: a silo that misses <see cref="MissedProbesLimit"/> probes of <see cref="ProbeTimeout"/> each
    /// is declared dead. The defaults detect a killed or frozen node in about 5 s (docs/deploy.md has the measurements).
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>
    /// Orleans' directory lease after an unannounced silo death: what is left of it once the death is detected is how
    /// long the dead silo's grains (job coordinators, cluster managers) cannot be reactivated elsewhere.
    /// </summary>
    public TimeSpan DirectoryLeaseDuration { get; set; } = TimeSpan.FromSeconds(12);
}
