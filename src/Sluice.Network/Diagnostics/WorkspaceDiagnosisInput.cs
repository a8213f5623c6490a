namespace Sluice.Network.Diagnostics;

/// <summary>Which requirements a diagnosis checks the network against.</summary>
public enum DiagnosisRules
{
    /// <summary>Azure Machine Learning's documented requirements for a workspace, its compute and batch endpoints in a virtual network.</summary>
    Azure,

    /// <summary>What Sluice's own deployment needs: its control plane, node-management ports, datastores, secret store and registry.</summary>
    Sluice,
}

/// <summary>Azure's <c>public_network_access</c> of a workspace or service.</summary>
public enum PublicNetworkAccess
{
    Enabled,

    /// <summary>Reachable only through private endpoints.</summary>
    Disabled,
}

/// <summary>What a service firewall does with traffic no rule admits.</summary>
public enum FirewallAction
{
    Allow,
    Deny,
}

/// <summary>Traffic a service firewall lets through regardless of its rules.</summary>
public enum FirewallBypass
{
    None,
    AzureServices,
    Logging,
    Metrics,
}

public enum ComputeKind
{
    /// <summary>A compute cluster (<c>amlcompute</c>): up to <see cref="ComputeFacts.MaxInstances"/> nodes in its subnet.</summary>
    AmlCompute,

    /// <summary>An attached Kubernetes cluster; its pod and service networks are checked against the virtual networks.</summary>
    Kubernetes,

    /// <summary>A single-node compute instance.</summary>
    ComputeInstance,
}

/// <summary>The network mode a batch endpoint copied from its workspace when it was created.</summary>
public enum EndpointNetworkMode
{
    Public,
    Private,
}

/// <summary>
/// The facts a workspace diagnosis needs besides the network resources themselves (which come as the compiled model).
/// Every name refers to a resource of the workspace; names are compared case-insensitively. Lists are never null.
/// </summary>
public sealed record WorkspaceDiagnosisInput
{
    public required WorkspaceFacts Workspace { get; init; }

    public IReadOnlyList<StorageAccountFacts> StorageAccounts { get; init; } = [];

    /// <summary>Sluice's secret stores (Azure Key Vault's counterpart).</summary>
    public IReadOnlyList<SecretStoreFacts> SecretStores { get; init; } = [];

    /// <summary>Container registries.</summary>
    public IReadOnlyList<RegistryFacts> Registries { get; init; } = [];

    public IReadOnlyList<ComputeFacts> Computes { get; init; } = [];

    public IReadOnlyList<BatchEndpointFacts> BatchEndpoints { get; init; } = [];

    /// <summary>Sluice's own deployment; used by <see cref="DiagnosisRules.Sluice"/> only.</summary>
    public SluiceDeploymentFacts Sluice { get; init; } = new();
}

/// <summary>The workspace: where it is, whether it answers publicly, and the services it names.</summary>
public sealed record WorkspaceFacts
{
    public required string Name { get; init; }

    /// <summary>The region, e.g. <c>westeurope</c> (spaces and case are ignored when regions are compared).</summary>
    public required string Location { get; init; }

    /// <summary><see cref="PublicNetworkAccess.Disabled"/> makes a private workspace, reached through private endpoints.</summary>
    public PublicNetworkAccess PublicNetworkAccess { get; init; } = PublicNetworkAccess.Enabled;

    /// <summary>The workspace's <c>storage_account</c>: the name of one of <see cref="WorkspaceDiagnosisInput.StorageAccounts"/>.</summary>
    public string? StorageAccount { get; init; }

    /// <summary>The workspace's <c>key_vault</c>: the name of one of <see cref="WorkspaceDiagnosisInput.SecretStores"/>.</summary>
    public string? SecretStore { get; init; }

    /// <summary>The workspace's <c>container_registry</c>: the name of one of <see cref="WorkspaceDiagnosisInput.Registries"/>.</summary>
    public string? Registry { get; init; }
}

/// <summary>A service's firewall (<c>network_rule_set</c>, or <c>network_acls</c> for secret stores).</summary>
public sealed record ServiceFirewall
{
    public FirewallAction DefaultAction { get; init; } = FirewallAction.Allow;

    public IReadOnlyList<FirewallBypass> Bypass { get; init; } = [FirewallBypass.AzureServices];

    /// <summary>Public IPv4 addresses and CIDR blocks admitted.</summary>
    public IReadOnlyList<string> IpRules { get; init; } = [];

    /// <summary>Subnets admitted; their traffic matches only when the subnet has the service's service endpoint.</summary>
    public IReadOnlyList<VirtualNetworkRule> VirtualNetworkRules { get; init; } = [];
}

/// <summary>A subnet a firewall admits, by virtual network and subnet name.</summary>
public sealed record VirtualNetworkRule(string VirtualNetwork, string Subnet);

/// <summary>The network face shared by storage accounts, secret stores and registries.</summary>
public abstract record ServiceResourceFacts
{
    public required string Name { get; init; }

    public required string Location { get; init; }

    public PublicNetworkAccess PublicNetworkAccess { get; init; } = PublicNetworkAccess.Enabled;

    /// <summary>The public IP its endpoints resolve to from the internet; null when not modelled.</summary>
    public string? PublicAddress { get; init; }

    public ServiceFirewall Firewall { get; init; } = new();
}

public sealed record StorageAccountFacts : ServiceResourceFacts;

public sealed record SecretStoreFacts : ServiceResourceFacts;

public sealed record RegistryFacts : ServiceResourceFacts
{
    /// <summary>Whether pushed images are quarantined until scanned; batch deployments do not support it.</summary>
    public bool Quarantine { get; init; }
}

/// <summary>A compute target: its kind, region, subnet and size.</summary>
public sealed record ComputeFacts
{
    public required string Name { get; init; }

    public required ComputeKind Kind { get; init; }

    public required string Location { get; init; }

    /// <summary>The virtual network of <c>network_settings</c>; null (with <see cref="Subnet"/>) when the compute is in none.</summary>
    public string? VirtualNetwork { get; init; }

    public string? Subnet { get; init; }

    /// <summary><c>max_instances</c> of a cluster: each node takes one address of the subnet. A compute instance takes one.</summary>
    public int MaxInstances { get; init; } = 1;

    /// <summary>
    /// <c>enable_node_public_ip</c>: nodes with a public IP need inbound node-management traffic from Azure; nodes
    /// without one (No Public IP) do not.
    /// </summary>
    public bool EnableNodePublicIp { get; init; } = true;

    /// <summary>Kubernetes only: the CIDR Kubernetes services are given addresses from (AKS <c>service_cidr</c>).</summary>
    public string? ServiceCidr { get; init; }

    /// <summary>Kubernetes only: the cluster DNS service's address, which must lie in <see cref="ServiceCidr"/>.</summary>
    public string? DnsServiceIp { get; init; }

    /// <summary>Kubernetes only: the Docker bridge network on each node (AKS <c>docker_bridge_cidr</c>).</summary>
    public string? DockerBridgeCidr { get; init; }
}

/// <summary>A batch endpoint and the network mode it took from its workspace when it was created.</summary>
public sealed record BatchEndpointFacts
{
    public required string Name { get; init; }

    public required EndpointNetworkMode NetworkMode { get; init; }
}

/// <summary>
/// How Sluice itself is deployed, for <see cref="DiagnosisRules.Sluice"/>. The control plane's addresses are the
/// <c>SluiceControlPlane</c> service tag of the network model (see <see cref="Tags.SluiceServiceTags"/>).
/// </summary>
public sealed record SluiceDeploymentFacts
{
    /// <summary>The TCP ports nodes are managed on: the silo port and the gateway port (11111 and 30000 unless configured).</summary>
    public IReadOnlyList<int> NodeManagementPorts { get; init; } = [11111, 30000];

    /// <summary>The TCP port of the control plane's REST API (5080 unless configured).</summary>
    public int ApiPort { get; init; } = 5080;

    /// <summary>The datastores the workspace's jobs read and write.</summary>
    public IReadOnlyList<DatastoreFacts> Datastores { get; init; } = [];
}

/// <summary>A datastore and where its data lives.</summary>
public sealed record DatastoreFacts
{
    public required string Name { get; init; }

    /// <summary>The storage account holding the data (one of <see cref="WorkspaceDiagnosisInput.StorageAccounts"/>); null for a local datastore, which lives on the control plane.</summary>
    public string? StorageAccount { get; init; }
}
