using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Specs.Network;
using Sluice.Data.Store;

namespace Sluice.Data.Network;

/// <summary>
/// Imported sets of Azure's service tags, one row of the resources table per set (kind <see cref="Kind"/>, named after
/// the file's <c>cloud</c>). The spec column holds the set in Azure's own JSON format (a few MB for the public
/// cloud); the system column holds its summary, so listing never reads the tags.
/// </summary>
public static class ServiceTagSets
{
    public const string Kind = "ServiceTagSet";

    /// <summary>Tag names of every imported set of a workspace (case-insensitive) with the set each comes from; one set may be left out.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> TagNamesAsync(SluiceDbContext db, string workspace, string? except, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var sets = await db.Resources.AsNoTracking()
            .Where(r => r.Workspace == workspace && r.Kind == Kind && r.Name != except)
            .Select(r => r.Name)
            .ToListAsync(cancellationToken);
        foreach (var setName in sets)
        {
            if (await LoadAsync(db, workspace, setName, cancellationToken) is { } set)
            {
                foreach (var tag in set.Values)
                {
                    names.TryAdd(tag.Name, setName);
                }
            }
        }

        return names;
    }

    public static async Task<ServiceTagSet?> LoadAsync(SluiceDbContext db, string workspace, string name, CancellationToken cancellationToken)
    {
        var json = await db.Resources.AsNoTracking()
            .Where(r => r.Workspace == workspace && r.Kind == Kind && r.Name == name)
            .Select(r => r.SpecJson)
            .FirstOrDefaultAsync(cancellationToken);
        if (json is null)
        {
            return null;
        }

        var (set, diagnostics) = ServiceTagFile.Read(json, $"stored service tag set '{name}'");
        return set ?? throw new InvalidOperationException($"A stored service tag set no longer reads: {string.Join("; ", diagnostics)}");
    }

    public static JsonObject Summary(ServiceTagSet set) => new()
    {
        ["cloud"] = set.Cloud,
        ["change_number"] = set.ChangeNumber,
        ["tag_count"] = set.Values.Count,
        ["prefix_count"] = set.PrefixCount,
    };
}
