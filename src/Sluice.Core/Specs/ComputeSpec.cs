namespace Sluice.Core.Specs;

public enum ComputeType
{
    Amlcompute,

    // Parsed for a precise "not supported" message.
    Computeinstance,
    Kubernetes,
    Virtualmachine,
}

/// <summary>Where a cluster's nodes come from.</summary>
public enum Provisioner
{
    /// <summary>The server starts and stops <c>sluice node</c> processes on its own machine as jobs need them.</summary>
    Local,

    /// <summary>Operators start <c>sluice node --cluster &lt;name&gt;</c> on their machines; the cluster uses what has joined.</summary>
    Attached,
}

public enum ComputeTier
{
    Dedicated,

    /// <summary>Nodes that may be preempted at any time; their work resumes elsewhere.</summary>
    LowPriority,
}

/// <summary>A compute cluster: nodes that appear when jobs need them and go away when idle (Azure's <c>amlcompute</c>).</summary>
public sealed record ComputeSpec : ResourceSpec
{

    public ComputeType Type { get; init; } = ComputeType.Amlcompute;

    /// <summary>The node size, e.g. <c>STANDARD_DS3_v2</c>; kept for Azure files, mapped to node capacity by the cluster issue.</summary>
    public string? Size { get; init; }

    public int MinInstances { get; init; }

    public int MaxInstances { get; init; } = 1;

    /// <summary>Seconds a node stays idle before it is released (Azure's default: 120).</summary>
    public int IdleTimeBeforeScaleDown { get; init; } = 120;

    public ComputeTier Tier { get; init; } = ComputeTier.Dedicated;

    public string? Location { get; init; }

    public ComputeNetworkSettings? NetworkSettings { get; init; }

    public bool EnableNodePublicIp { get; init; } = true;

    /// <summary>Sluice extension: where nodes come from (default <c>local</c>).</summary>
    public Provisioner Provisioner { get; init; } = Provisioner.Local;

    /// <summary>Sluice extension, for <c>type: kubernetes</c>: the cluster's network profile, which diagnose checks.</summary>
    public KubernetesNetworkSpec? KubernetesNetwork { get; init; }
}

/// <summary>An attached Kubernetes cluster's network profile (AKS's names), modelled for network diagnosis only.</summary>
public sealed record KubernetesNetworkSpec
{
    public string? ServiceCidr { get; init; }

    public string? DnsServiceIp { get; init; }

    public string? DockerBridgeCidr { get; init; }
}

public sealed record ComputeNetworkSettings
{
    public string? VnetName { get; init; }

    public string? Subnet { get; init; }
}
