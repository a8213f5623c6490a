namespace Sluice.Cluster.Compute;

/// <summary>Node states as <c>sluice compute show</c> reports them (Azure ML's words where it has them).</summary>
public static class NodeStates
{
    public const string Starting = "starting";
    public const string Idle = "idle";
    public const string Running = "running";
    public const string Leaving = "leaving";
    public const string Preempted = "preempted";
    public const string Unusable = "unusable";
}

/// <summary>A node given to a job.</summary>
[GenerateSerializer, Immutable, Alias("sluice.allocated-node")]
public sealed record AllocatedNode(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Name,
    [property: Id(2)] int Cores,
    [property: Id(3)] string Tier,
    [property: Id(4)] string? PrivateIpAddress = null,
    [property: Id(5)] string? VirtualNetwork = null,
    [property: Id(6)] string? Subnet = null);

/// <summary>What a job holds of a cluster now, and why it holds less than it asked for.</summary>
[GenerateSerializer, Immutable, Alias("sluice.node-allocation")]
public sealed record NodeAllocation(
    [property: Id(0)] IReadOnlyList<AllocatedNode> Nodes,
    [property: Id(1)] int Requested,
    [property: Id(2)] string? Shortfall);

/// <summary>One node as a cluster report shows it.</summary>
[GenerateSerializer, Immutable, Alias("sluice.node-report")]
public sealed record NodeReport(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Silo,
    [property: Id(2)] string State,
    [property: Id(3)] string Tier,
    [property: Id(4)] int Cores,
    [property: Id(5)] IReadOnlyList<string> Jobs,
    [property: Id(6)] int Failures,
    [property: Id(7)] DateTime? Since,
    [property: Id(8)] string? PrivateIpAddress = null,
    [property: Id(9)] string? Reason = null);

[GenerateSerializer, Immutable, Alias("sluice.cluster-report")]
public sealed record ClusterReport(
    [property: Id(0)] string Cluster,
    [property: Id(1)] string Provisioner,
    [property: Id(2)] int MinInstances,
    [property: Id(3)] int MaxInstances,
    [property: Id(4)] int Demand,
    [property: Id(5)] int Preemptions,
    [property: Id(6)] IReadOnlyList<NodeReport> Nodes,
    [property: Id(7)] IReadOnlyList<string> Jobs,
    [property: Id(8)] SubnetReport? Subnet = null);

/// <summary>The subnet a cluster's nodes take their addresses from (Azure ML's <c>network_settings</c>) and its room.</summary>
[GenerateSerializer, Immutable, Alias("sluice.subnet-report")]
public sealed record SubnetReport(
    [property: Id(0)] string VirtualNetwork,
    [property: Id(1)] string Subnet,
    [property: Id(2)] int Capacity,
    [property: Id(3)] string? Problem);

/// <summary>Whether a lost node counts as a preemption (a low-priority node vanishing) or as a failure.</summary>
[GenerateSerializer, Immutable, Alias("sluice.node-loss")]
public sealed record NodeLoss(
    [property: Id(0)] bool Preemption,
    [property: Id(1)] string Name);
