using System.Text.Json.Serialization;
using Sluice.Core.Specs.Network;

namespace Sluice.Core.Specs;

/// <summary>What every resource has: a name, a description and tags.</summary>
public abstract record ResourceSpec
{
    [JsonPropertyOrder(-10)]
    public required string Name { get; init; }

    [JsonPropertyOrder(-8)]
    public string? Description { get; init; }

    [JsonPropertyOrder(-7)]
    public IReadOnlyDictionary<string, string> Tags { get; init; } = Empty;

    [JsonIgnore]
    public ResourceKind Kind => this switch
    {
        WorkspaceSpec => ResourceKind.Workspace,
        DatastoreSpec => ResourceKind.Datastore,
        DataAssetSpec => ResourceKind.Data,
        ModelSpec => ResourceKind.Model,
        EnvironmentSpec => ResourceKind.Environment,
        ComputeSpec => ResourceKind.Compute,
        BatchEndpointSpec => ResourceKind.BatchEndpoint,
        BatchDeploymentSpec => ResourceKind.BatchDeployment,
        ComponentSpec => ResourceKind.Component,
        VirtualNetworkSpec => ResourceKind.VirtualNetwork,
        NetworkSecurityGroupSpec => ResourceKind.NetworkSecurityGroup,
        RouteTableSpec => ResourceKind.RouteTable,
        NatGatewaySpec => ResourceKind.NatGateway,
        ApplicationSecurityGroupSpec => ResourceKind.ApplicationSecurityGroup,
        NetworkInterfaceSpec => ResourceKind.NetworkInterface,
        PrivateEndpointSpec => ResourceKind.PrivateEndpoint,
        StorageAccountSpec => ResourceKind.StorageAccount,
        SecretStoreSpec => ResourceKind.SecretStore,
        RegistrySpec => ResourceKind.Registry,
        ServiceTagSpec => ResourceKind.ServiceTag,
        _ => throw new InvalidOperationException($"Unknown spec type {GetType().Name}."),
    };

    public static readonly IReadOnlyDictionary<string, string> Empty = new SortedDictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>Resources with immutable numbered versions: models, data assets, environments and components.</summary>
public abstract record VersionedResourceSpec : ResourceSpec
{
    /// <summary>The version; null when the spec leaves it to the server to assign the next one.</summary>
    [JsonPropertyOrder(-9)]
    public string? Version { get; init; }
}
