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

internal sealed class PinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var silo = PinnedPlacement.SiloOf(key) ?? throw new OrleansException($"The key of {target.GrainIdentity} names no silo to place it on.");
        return context.GetCompatibleSilos(target).Contains(silo)
            ? Task.FromResult(silo)
            : throw new SiloUnavailableException($"Silo {silo} for {target.GrainIdentity} is not in the cluster (the node is gone).");
    }
}
