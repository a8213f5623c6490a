using System.Collections.Frozen;

namespace Sluice.Cluster.Placement;

/// <summary>
/// The tags Sluice gives silos: what a silo is for, which compute cluster it belongs to, its capacity. They travel in
/// the silo's name in the membership table (<c>sluice.role=node;sluice.cluster=default%2Fcpu;…</c>), so every silo
/// knows every other's tags as soon as membership lists it, with no extra round trip that could fail or lag.
/// </summary>
public static class NodeMetadata
{
    public const string Role = "sluice.role";
    public const string Cluster = "sluice.cluster";
    public const string Tier = "sluice.tier";
    public const string Cores = "sluice.cores";
    public const string Memory = "sluice.memory";
    public const string Name = "sluice.node";

    /// <summary>Servers host the API, job coordinators and cluster managers; they also score jobs that name no compute.</summary>
    public const string ServerRole = "server";

    /// <summary>Compute nodes host scoring workers of their cluster's jobs.</summary>
    public const string NodeRole = "node";

    private static readonly IReadOnlyDictionary<string, string> None = FrozenDictionary<string, string>.Empty;

    /// <summary>The silo name that carries <paramref name="tags"/>.</summary>
    public static string ToSiloName(IReadOnlyDictionary<string, string> tags) =>
        string.Join(';', tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={Uri.EscapeDataString(t.Value)}"));

    /// <summary>The tags in a silo's name; empty for silos Sluice did not name (or names it cannot read).</summary>
    public static IReadOnlyDictionary<string, string> FromSiloName(string? siloName)
    {
        if (string.IsNullOrEmpty(siloName) || !siloName.StartsWith("sluice.", StringComparison.Ordinal))
        {
            return None;
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in siloName.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at > 0)
            {
                tags[pair[..at]] = Uri.UnescapeDataString(pair[(at + 1)..]);
            }
        }

        return tags;
    }

    /// <summary>The tags of a silo as the local membership view has it.</summary>
    public static IReadOnlyDictionary<string, string> Of(IClusterMembershipService membership, SiloAddress silo) =>
        FromSiloName(membership.CurrentSnapshot.Members.TryGetValue(silo, out var member) ? member.Name : null);
}
