using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Sluice.Cluster.Placement;

/// <summary>
/// Places a grain on the silo named in its key (a segment in Orleans' parsable silo form, <c>10.0.0.4:11111@…</c>):
/// the job coordinator decides which node runs each worker, and Orleans puts it there. If that silo is gone the
/// activation fails, which the coordinator treats as the node lost.
/// </summary>
[GenerateSerializer, Immutable, Alias("sluice.pinned-placement")]
public sealed class PinnedPlacement : PlacementStrategy
{
    public static PinnedPlacement Instance { get; } = new();

    /// <summary>The silo named in a key: the segment in Orleans' parsable form (<c>127.0.0.1:11111@123456</c>).</summary>
    public static SiloAddress? SiloOf(string key)
    {
        foreach (var segment in key.Split('/'))
        {
            if (segment.Contains('@', StringComparison.Ordinal))
            {
                try
                {
                    return SiloAddress.FromParsableString(segment);
                }
                catch (FormatException)
                {
                    // Not a silo address after all.
                }
            }
        }

        return null;
    }
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PinnedPlacementAttribute() : PlacementAttribute(PinnedPlacement.Instance);

internal sealed class PinnedPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var silo = PinnedPlacement.SiloOf(key) ?? throw new OrleansException($"The key of {target.GrainIdentity} names no silo to place it on.");

        // A node that has just joined is active before its grain manifest reaches this silo; until then it is not
        // among the compatible silos, and placement retried with back-off for 0.4-0.8 s of a scale-from-zero job's
        // first prediction (docs/benchmarks.md). Every Sluice silo hosts workers: an active one will do.
        return context.GetCompatibleSilos(target).Contains(silo) || membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Active
            ? Task.FromResult(silo)
            : throw new SiloUnavailableException($"Silo {silo} for {target.GrainIdentity} is not in the cluster (the node is gone).");
    }
}
