using System.Net;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Data.Network;
using Sluice.Data.Store;

namespace Sluice.Cluster.Compute;

/// <summary>
/// The addresses a compute cluster's subnet can give its nodes: the subnet's assignable addresses (Azure reserves the
/// first four and the last) minus those network interfaces and private endpoints hold. Only the first few are kept:
/// a cluster never needs more than its <c>max_instances</c>.
/// </summary>
internal sealed record SubnetRoom(string VirtualNetwork, string Subnet, IReadOnlyList<string> Addresses, int Capacity, string? Problem)
{
    public static async Task<SubnetRoom> LoadAsync(SluiceDbContext db, string workspace, string virtualNetwork, string subnet, int maxInstances, CancellationToken cancellationToken)
    {
        var workspaceJson = await db.Workspaces.AsNoTracking().Where(w => w.Name == workspace).Select(w => w.SpecJson).FirstAsync(cancellationToken);
        var network = await WorkspaceNetwork.LoadAsync(db, workspace, SpecCodec.Decode<WorkspaceSpec>(ResourceKind.Workspace, workspaceJson), withImportedTags: false, cancellationToken);
        if (network.Find(ResourceKind.VirtualNetwork, virtualNetwork) is not VirtualNetworkSpec vnet || vnet.Subnets.FirstOrDefault(s => s.Name == subnet) is not { } found)
        {
            return new SubnetRoom(virtualNetwork, subnet, [], 0, $"subnet {virtualNetwork}/{subnet} does not exist: create it or fix the compute's network_settings");
        }

        var used = NetworkConsistency.UsedAddresses(network, virtualNetwork, ResourceKind.Compute, string.Empty);
        var free = found.AddressPrefixes.Select(IPNetwork.Parse).SelectMany(NetworkAddresses.Assignable).Select(a => a.ToString()).Where(a => !used.ContainsKey(a));
        var addresses = free.Take(maxInstances).ToList();
        var problem = addresses.Count < maxInstances
            ? $"subnet {virtualNetwork}/{subnet} has room for {addresses.Count} of max_instances {maxInstances} nodes"
            : null;
        return new SubnetRoom(virtualNetwork, subnet, addresses, addresses.Count, problem);
    }
}
