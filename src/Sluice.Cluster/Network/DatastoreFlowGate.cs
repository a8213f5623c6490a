using System.Net;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Data.Network;
using Sluice.Data.Store;
using Sluice.Network.Addressing;
using Sluice.Network.Model;
using Sluice.Network.Verification;

namespace Sluice.Cluster.Network;

/// <summary>
/// Checks, before a node touches a datastore, that its subnet's effective outbound rules and routes let it reach the
/// datastore — as the node's traffic would in the modelled network. A blob datastore is reached at its storage
/// account's private endpoint (when an approved one for its group is in the node's network or a connected peer) or
/// else its public address; a local datastore lives on the control plane and is reached on the API port. Where the
/// model cannot say (a node outside any subnet, a storage account not modelled) nothing is checked.
/// </summary>
public sealed class DatastoreFlowGate(WorkspaceNetworkModels models, IDbContextFactory<SluiceDbContext> factory)
{
    private const int StoragePort = 443;

    /// <summary>Why the node may not reach one of the datastores (naming the deciding rule or route), or null when it may.</summary>
    public async Task<string?> DenialAsync(string workspace, string compute, string node, string? address, string? virtualNetwork, string? subnet, IReadOnlyCollection<string> datastores, CancellationToken cancellationToken = default)
    {
        if (address is null || virtualNetwork is null || subnet is null)
        {
            return null;
        }

        var nodeAddress = new NodeAddress(compute, node, virtualNetwork, subnet, address);
        var network = await models.GetAsync(workspace, [nodeAddress], cancellationToken);
        if (network?.Compiled is not { } compiled || network.Model is not { } model)
        {
            return null; // an invalid model is reported by diagnose; jobs are not failed on it
        }

        foreach (var name in datastores)
        {
            if (await DestinationAsync(workspace, name, network, model, virtualNetwork, cancellationToken) is not { } destination)
            {
                continue;
            }

            var verdict = compiled.Verify(new FlowRequest
            {
                SourceNetworkInterface = nodeAddress.InterfaceName,
                DestinationAddress = destination.Address,
                DestinationPort = destination.Port,
            });
            if (verdict.Access == Sluice.Network.Model.SecurityRuleAccess.Allow)
            {
                continue;
            }

            var why = verdict.DecidingRule is { } rule
                ? $"denied by {rule}"
                : $"not delivered ({verdict.Outcome}{(verdict.Route is { } route ? $": route {route.AddressPrefix} → {route.NextHopType}" : string.Empty)})";
            return $"The network denies node {node} ({address}, subnet {virtualNetwork}/{subnet}) access to datastore '{name}' at {destination.Address}:{destination.Port} ({destination.How}): {why}. "
                + $"Allow the flow (check it with: sluice network verify-flow --source {nodeAddress.InterfaceName} --destination {destination.Address} --port {destination.Port}).";
        }

        return null;
    }

    private async Task<Destination?> DestinationAsync(string workspace, string datastore, WorkspaceNetworkModel network, NetworkModel model, string nodeNetwork, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var kind = ResourceKind.Datastore.ToString();
        var json = await db.Resources.AsNoTracking()
            .Where(r => r.Workspace == workspace && r.Kind == kind && r.Name == datastore && r.Parent == string.Empty)
            .Select(r => r.SpecJson)
            .FirstOrDefaultAsync(cancellationToken);
        if (json is null)
        {
            return null;
        }

        var spec = SpecCodec.Decode<DatastoreSpec>(ResourceKind.Datastore, json);
        if (spec.Type == DatastoreType.Local)
        {
            // Local datastores are served by the control plane: the node reaches them where it reaches the servers.
            var controlPlane = models.Options.ControlPlanePrefixes.Select(p => (IpPrefix?)IpPrefix.Parse(p)).FirstOrDefault();
            return controlPlane is not { } prefix ? null : new Destination(prefix.NetworkAddress, models.Options.ApiPort, "a local datastore, served by the control plane (SluiceControlPlane)");
        }

        if (spec.AccountName is not { } account || network.Specs.Find(ResourceKind.StorageAccount, account) is not StorageAccountSpec storage)
        {
            return null;
        }

        var group = spec.Type switch
        {
            DatastoreType.AzureFile => PrivateEndpointGroupId.File,
            DatastoreType.AzureDataLakeGen2 => PrivateEndpointGroupId.Dfs,
            _ => PrivateEndpointGroupId.Blob,
        };
        var reachable = network.Specs.ConnectedPeers(nodeNetwork).Select(v => v.Name).Append(nodeNetwork).ToHashSet(StringComparer.Ordinal);
        var endpoint = model.PrivateEndpoints.FirstOrDefault(e =>
            e.Target.Kind == "storage_account" && e.Target.Name == account && e.GroupId == group
            && e.ConnectionState == PrivateEndpointConnectionState.Approved && e.PrivateIpAddresses.Count > 0 && reachable.Contains(e.VirtualNetwork));
        if (endpoint is not null)
        {
            return new Destination(IPAddress.Parse(endpoint.PrivateIpAddresses[0]), StoragePort, $"storage account {account} through private endpoint {endpoint.Name}");
        }

        return storage.PublicAddress is { } publicAddress
            ? new Destination(IPAddress.Parse(publicAddress), StoragePort, $"storage account {account}'s public address")
            : null;
    }

    private sealed record Destination(IPAddress Address, int Port, string How);
}
