namespace Sluice.Cluster.Compute;

/// <summary>
/// The manager of one compute cluster (keyed <c>workspace/compute</c>): which nodes are there and in what state,
/// which jobs use them, and — with the local provisioner — when to start or stop nodes.
/// </summary>
public interface IComputeClusterGrain : IGrainWithStringKey
{
    /// <summary>A job asks for nodes (or renews its request); it gets what the cluster has now, fairly shared.</summary>
    Task<NodeAllocation> AllocateAsync(string job, int instanceCount);

    Task ReleaseAsync(string job);

    /// <summary>A job lost a node; the answer says whether it was a preemption (low-priority) or a failure.</summary>
    Task<NodeLoss> NodeLostAsync(string job, string silo);

    /// <summary>
    /// A job saw runs on a node fail for infrastructure reasons (timeouts, lost workers). True when the node is now
    /// unusable: the job stops using it and re-queues what it ran there.
    /// </summary>
    Task<bool> NodeTroubleAsync(string job, string silo, string reason);

    /// <summary>Simulates a cloud preempting a low-priority node: it dies at once. Returns what was done.</summary>
    Task<string> PreemptAsync(string node);

    Task<ClusterReport> ReportAsync();

    /// <summary>Wakes the manager up (servers call this periodically so that min_instances holds without jobs).</summary>
    Task EnsureAsync();
}
