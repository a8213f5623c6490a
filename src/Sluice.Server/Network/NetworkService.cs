using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Core.Yaml;
using Sluice.Data.Network;
using Sluice.Data.Store;
using Sluice.Server.Api;
using Sluice.Server.Resources;
using Sluice.Server.Workspaces;

namespace Sluice.Server.Network;

/// <summary>
/// Network resources of a workspace: their references to each other are checked when one is created or changed, and
/// a resource cannot be deleted, or changed out from under them, while others rely on it.
/// </summary>
public sealed class NetworkService(IDbContextFactory<SluiceDbContext> factory, ResourceRepository repository, WorkspaceService workspaces, TimeProvider clock)
{
    /// <summary>The largest service tag file an import accepts. Azure's public cloud file is about 4 MB.</summary>
    public const int MaxImportBytes = 32 * 1024 * 1024;

    /// <summary>The location of resources that name none, in a workspace that names none.</summary>
    public const string DefaultLocation = "local";

    public async Task<(StoredResource Resource, bool Created, IReadOnlyList<string> Warnings)> CreateOrUpdateAsync(string workspace, NetworkResourceSpec spec, CancellationToken cancellationToken = default)
    {
        var workspaceSpec = await workspaces.RequireAsync(workspace, cancellationToken);
        var kind = spec.Kind;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var network = await WorkspaceNetwork.LoadAsync(db, workspace, workspaceSpec, NetworkReferences.Of(spec).Any(r => r.Kind == ResourceKind.ServiceTag), cancellationToken);
        var current = network.Find(kind, spec.Name);
        spec = Complete(spec, current, network);

        var updated = network.With(spec);
        var problems = NetworkConsistency.Check(spec, updated);
        Reject(kind, spec.Name, problems);
        if (current is not null)
        {
            RefuseBreakingDependents(kind, spec.Name, updated);
        }

        var record = await repository.FindAsync(db, workspace, kind, spec.Name, cancellationToken: cancellationToken);
        var created = record is null;
        if (record is null)
        {
            record = repository.NewRecord(workspace, spec);
            db.Resources.Add(record);
        }
        else
        {
            repository.Update(record, spec);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var warnings = problems.Where(p => p.Severity == Severity.Warning).Select(p => $"{Describe(kind, spec.Name)}: {p}").ToList();
        return (ResourceRepository.ToStored(record), created, warnings);
    }

    public async Task<JsonObject> GetAsync(string workspace, ResourceKind kind, string name, CancellationToken cancellationToken = default)
    {
        var workspaceSpec = await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, kind, name, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"{Capitalized(kind)} '{name}' in workspace '{workspace}'", $"list them with 'sluice {kind.CommandGroup()} list -w {workspace}'");
        var network = await WorkspaceNetwork.LoadAsync(db, workspace, workspaceSpec, false, cancellationToken);
        return Render(ResourceRepository.ToStored(record), network);
    }

    public async Task<JsonArray> ListAsync(string workspace, ResourceKind kind, CancellationToken cancellationToken = default)
    {
        var workspaceSpec = await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var records = await repository.Query(db, workspace, kind).OrderBy(r => r.Name).ToListAsync(cancellationToken);
        var network = kind is ResourceKind.VirtualNetwork or ResourceKind.PrivateEndpoint
            ? await WorkspaceNetwork.LoadAsync(db, workspace, workspaceSpec, false, cancellationToken)
            : null;
        return [.. records.Select(r => (JsonNode)Render(ResourceRepository.ToStored(r), network))];
    }

    public async Task DeleteAsync(string workspace, ResourceKind kind, string name, CancellationToken cancellationToken = default)
    {
        var workspaceSpec = await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, kind, name, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"{Capitalized(kind)} '{name}' in workspace '{workspace}'");
        var network = await WorkspaceNetwork.LoadAsync(db, workspace, workspaceSpec, false, cancellationToken);
        var users = NetworkReferences.To(network.Referrers, kind, name)
            .Where(u => u.Reference.Blocking && !(u.From.Kind == kind && u.From.Name == name))
            .ToList();
        if (users.Count > 0)
        {
            throw SluiceException.Conflict(
                $"{Capitalized(kind)} '{name}' is referenced by {string.Join(", ", users.Select(u => $"{Describe(u.From.Kind, u.From.Name)} ({u.Reference.KeyPath})"))}.",
                "remove those references (sluice … update --set, or edit and re-create) or delete those resources first");
        }

        db.Resources.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Checks that a compute's <c>network_settings</c> name a subnet that exists in the workspace.</summary>
    public async Task CheckComputeAsync(string workspace, ComputeSpec spec, CancellationToken cancellationToken = default)
    {
        if (spec.NetworkSettings is null)
        {
            return;
        }

        var workspaceSpec = await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var network = await WorkspaceNetwork.LoadAsync(db, workspace, workspaceSpec, false, cancellationToken);
        Reject(ResourceKind.Compute, spec.Name, NetworkConsistency.Check(spec, network));
    }

    // ---- Service tags: user-defined ones are resources of kind ServiceTag; imported sets have their own rows.

    public async Task<(JsonObject Tags, JsonArray Sets)> ListServiceTagsAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        var tags = await ListAsync(workspace, ResourceKind.ServiceTag, cancellationToken);
        foreach (var tag in tags.OfType<JsonObject>())
        {
            tag["prefix_count"] = (tag["address_prefixes"] as JsonArray)?.Count ?? 0;
        }

        return (new JsonObject { ["value"] = tags }, await ListServiceTagSetsAsync(workspace, cancellationToken));
    }

    /// <summary>A user-defined tag, or else the imported tag of that name (read-only, with the set it comes from).</summary>
    public async Task<JsonObject> GetServiceTagAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        var workspaceSpec = await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (await repository.FindAsync(db, workspace, ResourceKind.ServiceTag, name, cancellationToken: cancellationToken) is { } record)
        {
            return Render(ResourceRepository.ToStored(record), null);
        }

        var sets = await db.Resources.AsNoTracking().Where(r => r.Workspace == workspace && r.Kind == ServiceTagSets.Kind).OrderBy(r => r.Name).Select(r => r.Name).ToListAsync(cancellationToken);
        var known = new List<string>();
        foreach (var setName in sets)
        {
            var set = await ServiceTagSets.LoadAsync(db, workspace, setName, cancellationToken);
            if (set?.Find(name) is { } tag)
            {
                return new JsonObject
                {
                    ["type"] = "service_tag",
                    ["name"] = tag.Name,
                    ["source"] = "imported",
                    ["service_tag_set"] = setName,
                    ["cloud"] = set.Cloud,
                    ["region"] = tag.Region,
                    ["system_service"] = tag.SystemService,
                    ["change_number"] = tag.ChangeNumber,
                    ["address_prefixes"] = new JsonArray([.. tag.AddressPrefixes.Select(p => (JsonNode)p)]),
                    ["network_features"] = new JsonArray([.. tag.NetworkFeatures.Select(p => (JsonNode)p)]),
                    ["id"] = $"/workspaces/{workspace}/service-tag-sets/{setName}/tags/{tag.Name}",
                };
            }

            known.AddRange(set?.Values.Select(v => v.Name) ?? []);
        }

        if (ServiceTags.FindBuiltIn(name) is { } builtIn)
        {
            return new JsonObject { ["type"] = "service_tag", ["name"] = builtIn, ["source"] = "built_in", ["id"] = $"/workspaces/{workspace}/service-tags/{builtIn}" };
        }

        var suggestion = DidYouMean.Suggest(name, known.Concat(ServiceTags.BuiltIn));
        throw SluiceException.NotFound($"Service tag '{name}' in workspace '{workspace}'", suggestion is null ? $"list them with 'sluice network service-tag list -w {workspace}'" : $"did you mean '{suggestion}'?");
    }

    public async Task<JsonArray> ListServiceTagSetsAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Resources.AsNoTracking()
            .Where(r => r.Workspace == workspace && r.Kind == ServiceTagSets.Kind)
            .OrderBy(r => r.Name)
            .Select(r => new { r.Name, r.SystemJson, r.CreatedAt, r.ModifiedAt })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (JsonNode)SetView(workspace, r.Name, JsonNode.Parse(r.SystemJson) as JsonObject ?? [], r.CreatedAt, r.ModifiedAt))];
    }

    public async Task<JsonObject> GetServiceTagSetAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await FindSetAsync(db, workspace, name, cancellationToken);
        return SetView(workspace, row.Name, JsonNode.Parse(row.SystemJson) as JsonObject ?? [], row.CreatedAt, row.ModifiedAt);
    }

    /// <summary>Imports (or replaces) a set from Azure's JSON, named after its <c>cloud</c> unless a name is given.</summary>
    public async Task<(JsonObject View, bool Created)> ImportServiceTagsAsync(string workspace, string json, string? name, CancellationToken cancellationToken = default)
    {
        var workspaceSpec = await workspaces.RequireAsync(workspace, cancellationToken);
        var (set, diagnostics) = ServiceTagFile.Read(json, "request body");
        if (set is null)
        {
            throw new SpecException(diagnostics);
        }

        name ??= set.Cloud;
        if (Core.Naming.ResourceNames.Network(name) is { } problem)
        {
            throw SluiceException.Invalid(problem);
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.Resources.FirstOrDefaultAsync(r => r.Workspace == workspace && r.Kind == ServiceTagSets.Kind && r.Name == name, cancellationToken);
        if (record is not null)
        {
            // A new edition may drop tags that rules still name.
            var others = new Dictionary<string, string>(await ServiceTagSets.TagNamesAsync(db, workspace, name, cancellationToken), StringComparer.OrdinalIgnoreCase);
            foreach (var tag in set.Values)
            {
                others.TryAdd(tag.Name, name);
            }

            await RefuseUnresolvedTagsAsync(db, workspace, workspaceSpec, others, $"The new edition of service tag set '{name}'", cancellationToken);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var summary = ServiceTagSets.Summary(set).ToJsonString();
        var created = record is null;
        if (record is null)
        {
            record = new ResourceRecord { Workspace = workspace, Kind = ServiceTagSets.Kind, Name = name, SpecJson = ServiceTagFile.Write(set), SystemJson = summary, CreatedAt = now, ModifiedAt = now };
            db.Resources.Add(record);
        }
        else
        {
            record.SpecJson = ServiceTagFile.Write(set);
            record.SystemJson = summary;
            record.ModifiedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (SetView(workspace, name, ServiceTagSets.Summary(set), record.CreatedAt, record.ModifiedAt), created);
    }

    public async Task DeleteServiceTagSetAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        var workspaceSpec = await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await FindSetAsync(db, workspace, name, cancellationToken);
        var remaining = await ServiceTagSets.TagNamesAsync(db, workspace, name, cancellationToken);
        await RefuseUnresolvedTagsAsync(db, workspace, workspaceSpec, remaining, $"Service tag set '{name}'", cancellationToken);
        await db.Resources.Where(r => r.Workspace == workspace && r.Kind == ServiceTagSets.Kind && r.Name == row.Name).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The view of a network resource: its spec plus what the server derives (peering states, private DNS records).</summary>
    internal static JsonObject Render(StoredResource resource, WorkspaceNetwork? network)
    {
        var view = ResourceViews.Render(resource);
        switch (resource.Spec)
        {
            case VirtualNetworkSpec vnet when network is not null && vnet.Peerings.Count > 0:
                var states = new JsonObject();
                foreach (var peering in vnet.Peerings)
                {
                    states[peering.Name] = NetworkConsistency.PeeringState(vnet, peering, network);
                }

                view["peering_states"] = states;
                break;
            case PrivateEndpointSpec endpoint when network is not null:
                var location = endpoint.Location ?? network.Workspace.Location ?? DefaultLocation;
                view["dns_configs"] = new JsonArray([.. PrivateLinkDns.Effective(endpoint, location).Select(r => (JsonNode)new JsonObject
                {
                    ["fqdn"] = r.Fqdn,
                    ["private_link_fqdn"] = r.PrivateLinkFqdn,
                    ["ip_addresses"] = new JsonArray([.. r.IpAddresses.Select(a => (JsonNode)a)]),
                })]);
                break;
        }

        return view;
    }

    /// <summary>Fills in the defaults the server owns: the location, and addresses for interfaces and endpoints that name none.</summary>
    private static NetworkResourceSpec Complete(NetworkResourceSpec spec, ResourceSpec? current, WorkspaceNetwork network)
    {
        if (spec is not ServiceTagSpec && spec.Location is null)
        {
            spec = spec with { Location = network.Workspace.Location ?? DefaultLocation };
        }

        switch (spec)
        {
            case NetworkInterfaceSpec { PrivateIpAddress: null } nic:
                var kept = current is NetworkInterfaceSpec old && old.Subnet == nic.Subnet ? old.PrivateIpAddress : null;
                return nic with { PrivateIpAddress = kept ?? Assign(nic.Subnet, ResourceKind.NetworkInterface, nic.Name, network) };
            case PrivateEndpointSpec { PrivateIpAddresses.Count: 0 } endpoint:
                var keptAddresses = current is PrivateEndpointSpec oldEndpoint && oldEndpoint.Subnet == endpoint.Subnet ? oldEndpoint.PrivateIpAddresses : [];
                if (keptAddresses.Count > 0)
                {
                    return endpoint with { PrivateIpAddresses = keptAddresses };
                }

                return Assign(endpoint.Subnet, ResourceKind.PrivateEndpoint, endpoint.Name, network) is { } address ? endpoint with { PrivateIpAddresses = [address] } : endpoint;
            default:
                return spec;
        }
    }

    /// <summary>Azure's dynamic allocation: the lowest free address. Null when the subnet is unknown (reported by the checks).</summary>
    private static string? Assign(SubnetReference subnetReference, ResourceKind kind, string name, WorkspaceNetwork network)
    {
        if (network.Find(ResourceKind.VirtualNetwork, subnetReference.VirtualNetwork) is not VirtualNetworkSpec vnet || vnet.FindSubnet(subnetReference.Subnet) is not { } subnet)
        {
            return null;
        }

        return NetworkConsistency.FreeAddress(subnet, NetworkConsistency.UsedAddresses(network, vnet.Name, kind, name))
            ?? throw SluiceException.Conflict($"Subnet '{subnetReference}' has no free IPv4 address left for {Describe(kind, name)}.", "use another subnet, widen this one, or give private_ip_address explicitly");
    }

    /// <summary>Refuses a change that would leave resources referring to the changed one inconsistent (a removed subnet, an address outside a shrunk subnet).</summary>
    private static void RefuseBreakingDependents(ResourceKind kind, string name, WorkspaceNetwork updated)
    {
        var broken = new List<string>();
        foreach (var dependent in updated.Referrers.Where(r => !(r.Kind == kind && r.Name == name) && NetworkReferences.Of(r).Any(x => x.Targets(kind, name))))
        {
            foreach (var problem in NetworkConsistency.Check(dependent, updated))
            {
                if (problem.Severity == Severity.Error && problem.Reference?.Targets(kind, name) == true)
                {
                    broken.Add($"{Describe(dependent.Kind, dependent.Name)}: {problem}");
                }
            }
        }

        if (broken.Count > 0)
        {
            throw SluiceException.Conflict(
                $"This change to {Describe(kind, name)} would break {(broken.Count == 1 ? "a resource that refers" : "resources that refer")} to it: {string.Join("; ", broken)}.",
                "change or delete those resources first");
        }
    }

    private static async Task RefuseUnresolvedTagsAsync(SluiceDbContext db, string workspace, WorkspaceSpec workspaceSpec, IReadOnlyDictionary<string, string> remaining, string what, CancellationToken cancellationToken)
    {
        var network = (await WorkspaceNetwork.LoadAsync(db, workspace, workspaceSpec, false, cancellationToken)).WithImportedTags(remaining);
        var users = network.Referrers
            .SelectMany(r => NetworkReferences.Of(r).Where(x => x.Kind == ResourceKind.ServiceTag && network.ServiceTagExists(x.Name) == false).Select(x => $"{Describe(r.Kind, r.Name)} ({x.KeyPath}: {x.Name})"))
            .ToList();
        if (users.Count > 0)
        {
            throw SluiceException.Conflict($"{what} would leave service tags that rules use undefined: {string.Join(", ", users)}.", "change those rules first, or keep the set");
        }
    }

    private static async Task<ResourceRecord> FindSetAsync(SluiceDbContext db, string workspace, string name, CancellationToken cancellationToken) =>
        await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Workspace == workspace && r.Kind == ServiceTagSets.Kind && r.Name == name, cancellationToken)
        ?? throw SluiceException.NotFound($"Service tag set '{name}' in workspace '{workspace}'", $"import one with 'sluice network service-tag import -f ServiceTags_Public.json -w {workspace}'");

    private static JsonObject SetView(string workspace, string name, JsonObject summary, DateTime created, DateTime modified)
    {
        var view = new JsonObject { ["name"] = name, ["source"] = "imported" };
        foreach (var (key, value) in summary)
        {
            view[key] = value?.DeepClone();
        }

        view["id"] = $"/workspaces/{workspace}/service-tag-sets/{name}";
        view["creation_context"] = ResourceViews.CreationContext(created, modified);
        return view;
    }

    private static void Reject(ResourceKind kind, string name, IReadOnlyList<NetworkProblem> problems)
    {
        var errors = problems.Where(p => p.Severity == Severity.Error).ToList();
        if (errors.Count > 0)
        {
            var source = new SourceLocation(Describe(kind, name));
            throw new SpecException([.. errors.Select(p => new Diagnostic(Severity.Error, source, p.ToString(), p.KeyPath))]);
        }
    }

    private static string Describe(ResourceKind kind, string name) => $"{kind.DisplayName()} '{name}'";

    private static string Capitalized(ResourceKind kind)
    {
        var name = kind.DisplayName();
        return char.ToUpperInvariant(name[0]) + name[1..];
    }
}
