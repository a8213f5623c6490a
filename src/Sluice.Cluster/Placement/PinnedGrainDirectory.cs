using Orleans.GrainDirectory;

namespace Sluice.Cluster.Placement;

/// <summary>
/// The grain directory of pinned grains (scoring workers, node control): it records nothing, because a pinned grain's
/// key already says where it lives. A lookup answers "unknown", so the caller places the call with
/// <see cref="PinnedPlacement"/>, which sends it to the silo in the key, whose catalog finds the activation there or
/// creates it. Nothing about these grains is kept on other silos, so a dying node never takes a healthy node's
/// workers with it, and a new node's workers never wait for directory ranges a dead silo held.
/// </summary>
internal sealed class PinnedGrainDirectory : IGrainDirectory
{
    public const string Name = "sluice-pinned";

    public Task<GrainAddress?> Register(GrainAddress address) => Task.FromResult<GrainAddress?>(address);

    public Task<GrainAddress?> Register(GrainAddress address, GrainAddress? previousAddress) => Task.FromResult<GrainAddress?>(address);

    public Task Unregister(GrainAddress address) => Task.CompletedTask;

    public Task<GrainAddress?> Lookup(GrainId grainId) => Task.FromResult<GrainAddress?>(null);

    public Task UnregisterSilos(List<SiloAddress> siloAddresses) => Task.CompletedTask;
}
