namespace Sluice.Network.Model;

/// <summary>The sub-resource a private endpoint connects to (Azure's group id).</summary>
public enum PrivateEndpointGroupId
{
    AmlWorkspace,
    Blob,
    File,
    Queue,
    Table,
    Dfs,
    Vault,
    Registry,
}

public enum PrivateEndpointConnectionState
{
    Approved,
    Pending,
    Rejected,
    Disconnected,
}

/// <summary>The resource a private endpoint reaches, e.g. kind <c>Microsoft.Storage/storageAccounts</c>, name <c>scoringdata</c>.</summary>
public sealed record PrivateLinkTarget(string Kind, string Name);

/// <summary>
/// A private endpoint: private addresses in a subnet that reach one sub-resource of a service. Its addresses get
/// /32 (/128) <c>InterfaceEndpoint</c> routes in its network and in directly peered networks; traffic reaches the
/// service only while the connection is approved.
/// </summary>
public sealed record PrivateEndpoint
{
    public required string Name { get; init; }

    public required string VirtualNetwork { get; init; }

    public required string Subnet { get; init; }

    public required IReadOnlyList<string> PrivateIpAddresses { get; init; }

    public required PrivateLinkTarget Target { get; init; }

    public required PrivateEndpointGroupId GroupId { get; init; }

    public PrivateEndpointConnectionState ConnectionState { get; init; } = PrivateEndpointConnectionState.Approved;

    /// <summary>The names the endpoint answers for, e.g. <c>scoringdata.blob.core.windows.net</c>.</summary>
    public IReadOnlyList<string> Fqdns { get; init; } = [];

    /// <summary>Application security groups the endpoint belongs to (honoured when NSG policies are enabled on its subnet).</summary>
    public IReadOnlyList<string> ApplicationSecurityGroups { get; init; } = [];
}
