namespace Sluice.Core.Specs;

/// <summary>The kinds of resource a workspace holds, in the vocabulary of <c>az ml</c>.</summary>
public enum ResourceKind
{
    Workspace,
    Datastore,
    Data,
    Model,
    Environment,
    Compute,
    BatchEndpoint,
    BatchDeployment,
    Component,

    // Network resources (docs/network.md); unversioned, named, in a workspace.
    VirtualNetwork,
    NetworkSecurityGroup,
    RouteTable,
    NatGateway,
    ApplicationSecurityGroup,
    NetworkInterface,
    PrivateEndpoint,
    StorageAccount,
    SecretStore,
    Registry,
    ServiceTag,
}

/// <summary>What a YAML file can describe: a resource, or one of the helper documents resources point at.</summary>
public enum DocumentKind
{
    Workspace,
    Datastore,
    Data,
    Model,
    Environment,
    Compute,
    BatchEndpoint,
    BatchDeployment,
    Component,
    VirtualNetwork,
    NetworkSecurityGroup,
    RouteTable,
    NatGateway,
    ApplicationSecurityGroup,
    NetworkInterface,
    PrivateEndpoint,
    StorageAccount,
    SecretStore,
    Registry,
    ServiceTag,

    /// <summary>A conda environment file, referenced by an environment's <c>conda_file</c>.</summary>
    CondaFile,

    /// <summary>An <c>inputs:</c>/<c>outputs:</c> file for <c>batch-endpoint invoke --file</c>.</summary>
    JobInputs,
}

public static class ResourceKindExtensions
{
    public static bool IsVersioned(this ResourceKind kind) =>
        kind is ResourceKind.Data or ResourceKind.Model or ResourceKind.Environment or ResourceKind.Component;

    /// <summary>The network resources (docs/network.md), declared together from VirtualNetwork to ServiceTag.</summary>
    public static bool IsNetwork(this ResourceKind kind) => kind >= ResourceKind.VirtualNetwork && kind <= ResourceKind.ServiceTag;

    /// <summary>The words users see: "batch endpoint", "data asset", "network security group".</summary>
    public static string DisplayName(this ResourceKind kind) => kind switch
    {
        ResourceKind.Data => "data asset",
        ResourceKind.BatchEndpoint => "batch endpoint",
        ResourceKind.BatchDeployment => "batch deployment",
        ResourceKind.Compute => "compute",
        ResourceKind.NatGateway => "NAT gateway",
        _ => Yaml.SnakeCase.From(kind.ToString()).Replace('_', ' '),
    };

    /// <summary>The command group of the CLI, as in <c>az ml</c> and <c>az network</c>.</summary>
    public static string CommandGroup(this ResourceKind kind) => kind switch
    {
        ResourceKind.BatchEndpoint => "batch-endpoint",
        ResourceKind.BatchDeployment => "batch-deployment",
        ResourceKind.VirtualNetwork => "network vnet",
        ResourceKind.NetworkSecurityGroup => "network nsg",
        ResourceKind.RouteTable => "network route-table",
        ResourceKind.NatGateway => "network nat-gateway",
        ResourceKind.ApplicationSecurityGroup => "network asg",
        ResourceKind.NetworkInterface => "network nic",
        ResourceKind.PrivateEndpoint => "network private-endpoint",
        ResourceKind.ServiceTag => "network service-tag",
        ResourceKind.StorageAccount => "storage-account",
        ResourceKind.SecretStore => "secret-store",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The <c>type:</c> word of a network kind in YAML (<c>virtual_network</c>), or null for other kinds.</summary>
    public static string? NetworkTypeName(this ResourceKind kind) => kind.IsNetwork() ? Yaml.SnakeCase.From(kind.ToString()) : null;

    public static DocumentKind ToDocumentKind(this ResourceKind kind) => (DocumentKind)(int)kind;
}
