using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Sluice.Cluster.Placement;

/// <summary>Places a grain on a server silo (servers reach the metadata store; compute nodes do not), preferring the caller's.</summary>
[GenerateSerializer, Immutable, Alias("sluice.server-placement")]
public sealed class ServerPlacement : PlacementStrategy
{
    public static ServerPlacement Instance { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ServerPlacementAttribute() : PlacementAttribute(ServerPlacement.Instance);

internal sealed class ServerPlacementDirector(IClusterMembershipService membership, ILocalSiloDetails local) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var servers = context.GetCompatibleSilos(target)
            .Where(s => s.Equals(context.LocalSilo) ? IsServer(context.LocalSilo) : IsServer(s))
            .ToArray();
        if (servers.Length == 0)
        {
            throw new OrleansException($"No Sluice server silo is available to host {target.GrainIdentity}.");
        }

        return Task.FromResult(servers.Contains(context.LocalSilo) ? context.LocalSilo : servers[Random.Shared.Next(servers.Length)]);
    }

    private bool IsServer(SiloAddress silo) =>
        (silo.Equals(local.SiloAddress) ? NodeMetadata.FromSiloName(local.Name) : NodeMetadata.Of(membership, silo))
            .TryGetValue(NodeMetadata.Role, out var role) && role == NodeMetadata.ServerRole;
}
