using System.Text.Json.Serialization;

namespace Sluice.Core.Specs;

/// <summary>Whether a workspace or a service (storage account, secret store, registry) answers on its public address. Written as Azure spells it.</summary>
public enum PublicNetworkAccess
{
    [JsonStringEnumMemberName("Enabled")]
    Enabled,

    [JsonStringEnumMemberName("Disabled")]
    Disabled,
}

public enum IsolationMode
{
    Disabled,
    AllowInternetOutbound,
    AllowOnlyApprovedOutbound,
}

/// <summary>How a workspace is reached. Endpoints copy it when they are created and keep it afterwards.</summary>
public enum NetworkMode
{
    Public,
    Private,
}

/// <summary>A workspace: the unit of isolation that holds every other resource.</summary>
public sealed record WorkspaceSpec : ResourceSpec
{
    public string? DisplayName { get; init; }

    public string? Location { get; init; }

    /// <summary><c>Disabled</c> makes the workspace private: reachable only through private endpoints.</summary>
    public PublicNetworkAccess PublicNetworkAccess { get; init; } = PublicNetworkAccess.Enabled;

    public ManagedNetworkSpec? ManagedNetwork { get; init; }

    /// <summary>
    /// The workspace's storage account: the name of a <c>storage_account</c> resource in the workspace. An ARM id is
    /// accepted on input and reduced to its last segment.
    /// </summary>
    public string? StorageAccount { get; init; }

    /// <summary>The workspace's secret store (Azure's key vault): the name of a <c>secret_store</c> resource.</summary>
    public string? KeyVault { get; init; }

    /// <summary>The workspace's container registry: the name of a <c>registry</c> resource.</summary>
    public string? ContainerRegistry { get; init; }

    public string? ApplicationInsights { get; init; }

    public bool HbiWorkspace { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public NetworkMode NetworkMode => PublicNetworkAccess == PublicNetworkAccess.Disabled ? NetworkMode.Private : NetworkMode.Public;
}

public sealed record ManagedNetworkSpec
{
    public IsolationMode IsolationMode { get; init; } = IsolationMode.Disabled;
}
