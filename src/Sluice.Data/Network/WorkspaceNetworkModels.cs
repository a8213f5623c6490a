using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Data.Store;
using Sluice.Network.Model;
using Sluice.Network.Verification;
using TagSet = Sluice.Network.Tags.ServiceTagSet;

namespace Sluice.Data.Network;

/// <summary>Sluice's own service tags: where its control plane is and where it manages nodes from.</summary>
public sealed class SluiceNetworkOptions
{
    /// <summary>The prefixes of <c>SluiceControlPlane</c>: the servers' addresses (default: loopback, one machine).</summary>
    public IReadOnlyList<string> ControlPlanePrefixes { get; set; } = ["127.0.0.1/32"];

    /// <summary>The prefixes of <c>SluiceNodeManagement</c>; by default the control plane's, which manages the nodes.</summary>
    public IReadOnlyList<string>? NodeManagementPrefixes { get; set; }

    /// <summary>Sluice's node-management ports (the silo and gateway ports), for rules and diagnostics.</summary>
    public IReadOnlyList<int> NodeManagementPorts { get; set; } = [11111, 30000];

    /// <summary>The API's port, which nodes and callers reach the control plane on.</summary>
    public int ApiPort { get; set; } = 5080;
}

/// <summary>A workspace's network as the engine sees it: the specs, the model (or why it does not build) and its compiled form.</summary>
public sealed record WorkspaceNetworkModel(WorkspaceNetwork Specs, TagSet ServiceTags, NetworkModel? Model, CompiledNetwork? Compiled, IReadOnlyList<NetworkModelError> Errors)
{
    public bool IsValid => Compiled is not null;
}

/// <summary>
/// Builds and caches each workspace's compiled network. Compiling takes milliseconds to tens of milliseconds, and the
/// API's access checks need it per request, so a model is kept until the workspace's network resources change (a
/// cheap query over the resources table tells) or the set of compute nodes in its subnets does.
/// </summary>
public sealed class WorkspaceNetworkModels(IDbContextFactory<SluiceDbContext> factory, SluiceNetworkOptions options)
{
    private const int MaxCached = 64;

    // Keyed by workspace, and by workspace and node set for the models jobs ask for with their nodes in them.
    private readonly ConcurrentDictionary<string, (string Stamp, WorkspaceNetworkModel Model)> _cache = new(StringComparer.Ordinal);

    public SluiceNetworkOptions Options => options;

    public async Task<WorkspaceNetworkModel?> GetAsync(string workspace, IReadOnlyCollection<NodeAddress>? nodes = null, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var workspaceRecord = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Name == workspace, cancellationToken);
        if (workspaceRecord is null)
        {
            return null;
        }

        var kinds = WorkspaceNetwork.Kinds.Append(ServiceTagSets.Kind).ToArray();
        var resources = db.Resources.AsNoTracking().Where(r => r.Workspace == workspace && kinds.Contains(r.Kind));
        var count = await resources.CountAsync(cancellationToken);
        var lastId = count == 0 ? 0 : await resources.MaxAsync(r => r.Id, cancellationToken);
        var lastChange = count == 0 ? default : await resources.MaxAsync(r => r.ModifiedAt, cancellationToken);
        var nodeStamp = nodes is null ? string.Empty : string.Join(',', nodes.Select(n => $"{n.InterfaceName}={n.PrivateIpAddress}").Order(StringComparer.Ordinal));
        var stamp = $"{workspaceRecord.ModifiedAt.Ticks}:{count}:{lastId}:{lastChange.Ticks}:{nodeStamp}";
        var key = nodes is null ? workspace : $"{workspace}|{nodeStamp}";
        if (_cache.TryGetValue(key, out var cached) && cached.Stamp == stamp)
        {
            return cached.Model;
        }

        var workspaceSpec = SpecCodec.Decode<WorkspaceSpec>(ResourceKind.Workspace, workspaceRecord.SpecJson);
        var specs = await WorkspaceNetwork.LoadAsync(db, workspace, workspaceSpec, withImportedTags: false, cancellationToken);
        var imported = new List<Core.Specs.Network.ServiceTagSet>();
        foreach (var setName in await db.Resources.AsNoTracking().Where(r => r.Workspace == workspace && r.Kind == ServiceTagSets.Kind).Select(r => r.Name).ToListAsync(cancellationToken))
        {
            if (await ServiceTagSets.LoadAsync(db, workspace, setName, cancellationToken) is { } set)
            {
                imported.Add(set);
            }
        }

        var tags = NetworkModelMapping.ServiceTags(specs, imported, options.ControlPlanePrefixes, options.NodeManagementPrefixes ?? options.ControlPlanePrefixes);
        var built = NetworkModelMapping.ToBuilder(specs, tags, nodes).TryBuild(out var model, out var errors);
        var result = new WorkspaceNetworkModel(specs, tags, model, built ? CompiledNetwork.Compile(model!) : null, errors);
        if (_cache.Count > MaxCached)
        {
            _cache.Clear(); // node sets come and go with jobs; a rebuild costs milliseconds
        }

        _cache[key] = (stamp, result);
        return result;
    }
}
