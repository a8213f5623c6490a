namespace Sluice.Cluster.Nodes;

/// <summary>Control of one compute node, placed on that node's silo (keyed <c>node/&lt;silo&gt;</c>).</summary>
public interface INodeControlGrain : IGrainWithStringKey
{
    /// <summary>Leaves the cluster gracefully: the node's process shuts down (scale-down).</summary>
    Task StopAsync();

    /// <summary>Dies at once, as a cloud preempting a low-priority VM does: no shutdown, no goodbye.</summary>
    Task PreemptAsync();

    public static string Key(SiloAddress silo) => $"node/{silo.ToParsableString()}";
}
