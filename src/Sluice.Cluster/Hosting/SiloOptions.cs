namespace Sluice.Cluster.Hosting;

/// <summary>How this process joins the Orleans cluster. The embedded server is a one-silo cluster on loopback.</summary>
public sealed class SiloOptions
{
    /// <summary>Silo-to-silo port; 0 picks a free one, so several servers (and tests) can run side by side.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port; 0 picks a free one.</summary>
    public int GatewayPort { get; set; }

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "sluice";

    /// <summary>Identifies the deployment's state across restarts of the cluster.</summary>
    public string ServiceId { get; set; } = "sluice";
}
