using Microsoft.EntityFrameworkCore;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Data.Store;

namespace Sluice.Data.Network;

/// <summary>
/// A snapshot of one workspace's network: its network resources, its computes (they join subnets), the workspace's own
/// spec (it names its storage account, secret store and registry), the other workspaces' names (private endpoint
/// targets) and, when asked for, the names of imported service tags. Small: read whole per request.
/// </summary>
public sealed class WorkspaceNetwork : INetworkLookup
{
    private readonly Dictionary<(ResourceKind Kind, string Name), ResourceSpec> _specs;
    private readonly WorkspaceSpec _workspace;
    private readonly IReadOnlySet<string> _workspaceNames;
    private readonly IReadOnlyDictionary<string, string>? _importedTags;

    private WorkspaceNetwork(Dictionary<(ResourceKind, string), ResourceSpec> specs, WorkspaceSpec workspace, IReadOnlySet<string> workspaceNames, IReadOnlyDictionary<string, string>? importedTags)
    {
        _specs = specs;
        _workspace = workspace;
        _workspaceNames = workspaceNames;
        _importedTags = importedTags;
    }

    /// <summary>The kinds a snapshot holds besides the workspace itself.</summary>
    public static readonly string[] Kinds = [.. Enum.GetValues<ResourceKind>().Where(k => k.IsNetwork() || k == ResourceKind.Compute).Select(k => k.ToString())];

    public static async Task<WorkspaceNetwork> LoadAsync(SluiceDbContext db, string workspace, WorkspaceSpec workspaceSpec, bool withImportedTags, CancellationToken cancellationToken)
    {
        var records = await db.Resources.AsNoTracking()
            .Where(r => r.Workspace == workspace && Kinds.Contains(r.Kind))
            .Select(r => new { r.Kind, r.Name, r.SpecJson })
            .ToListAsync(cancellationToken);
        var specs = new Dictionary<(ResourceKind, string), ResourceSpec>();
        foreach (var record in records)
        {
            var kind = Enum.Parse<ResourceKind>(record.Kind);
            specs[(kind, record.Name)] = SpecCodec.Decode(kind, record.SpecJson);
        }

        var names = (await db.Workspaces.AsNoTracking().Select(w => w.Name).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var imported = withImportedTags ? await ServiceTagSets.TagNamesAsync(db, workspace, null, cancellationToken) : null;
        return new WorkspaceNetwork(specs, workspaceSpec, names, imported);
    }

    public WorkspaceSpec Workspace => _workspace;

    /// <summary>Every resource that can refer to another: network resources, computes and the workspace.</summary>
    public IEnumerable<ResourceSpec> Referrers => _specs.Values.Append(_workspace);

    /// <summary>The same snapshot with one resource added or replaced.</summary>
    public WorkspaceNetwork With(ResourceSpec spec) =>
        new(new Dictionary<(ResourceKind, string), ResourceSpec>(_specs) { [(spec.Kind, spec.Name)] = spec }, _workspace, _workspaceNames, _importedTags);

    /// <summary>The same snapshot with imported tags replaced (after an import or the deletion of a set).</summary>
    public WorkspaceNetwork WithImportedTags(IReadOnlyDictionary<string, string> importedTags) => new(_specs, _workspace, _workspaceNames, importedTags);

    public ResourceSpec? Find(ResourceKind kind, string name)
    {
        if (kind == ResourceKind.Workspace)
        {
            return name == _workspace.Name ? _workspace : _workspaceNames.Contains(name) ? new WorkspaceSpec { Name = name } : null;
        }

        return _specs.GetValueOrDefault((kind, name));
    }

    /// <summary>The networks peered with <paramref name="virtualNetwork"/> both ways (Azure's <c>Connected</c>): traffic flows only over those.</summary>
    public IEnumerable<VirtualNetworkSpec> ConnectedPeers(string virtualNetwork) =>
        Find(ResourceKind.VirtualNetwork, virtualNetwork) is VirtualNetworkSpec vnet
            ? vnet.Peerings
                .Where(p => NetworkConsistency.PeeringState(vnet, p, this) == "Connected")
                .Select(p => Find(ResourceKind.VirtualNetwork, p.RemoteVirtualNetwork))
                .OfType<VirtualNetworkSpec>()
            : [];

    public IEnumerable<ResourceSpec> All(ResourceKind kind) => _specs.Where(p => p.Key.Kind == kind).Select(p => p.Value);

    public bool? ServiceTagExists(string name)
    {
        if (All(ResourceKind.ServiceTag).Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return _importedTags?.ContainsKey(name);
    }

    public IEnumerable<string> ServiceTagNames() => All(ResourceKind.ServiceTag).Select(t => t.Name).Concat(_importedTags?.Keys ?? []);
}
