namespace Sluice.Core.Specs;

public enum PublicNetworkAccess
{
    Enabled,
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

    /// <summary>Names of the workspace's storage account, secret store and registry (modelled by the network issue).</summary>
    public string? StorageAccount { get; init; }

    public string? KeyVault { get; init; }

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
