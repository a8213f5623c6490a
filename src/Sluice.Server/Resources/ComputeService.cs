using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Serialization;
using Sluice.Core.Naming;
using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Data.Store;
using Sluice.Server.Workspaces;

namespace Sluice.Server.Resources;

/// <summary>Compute cluster definitions. Provisioning nodes for them belongs to the cluster engine.</summary>
public sealed class ComputeService(IDbContextFactory<SluiceDbContext> factory, ResourceRepository repository, WorkspaceService workspaces, Network.NetworkService network)
{
    public async Task<(StoredResource Resource, bool Created)> CreateOrUpdateAsync(string workspace, ComputeSpec spec, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        if (ResourceNames.Compute(spec.Name) is { } problem)
        {
            throw SluiceException.Invalid(problem);
        }

        // Nodes join the subnet network_settings names: it must exist, as in Azure.
        await network.CheckComputeAsync(workspace, spec, cancellationToken);

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, ResourceKind.Compute, spec.Name, cancellationToken: cancellationToken);
        var created = record is null;
        if (record is null)
        {
            record = repository.NewRecord(workspace, spec);
            db.Resources.Add(record);
        }
        else
        {
            var current = (ComputeSpec)SpecCodec.Decode(ResourceKind.Compute, record.SpecJson);
            if (current.Tier != spec.Tier)
            {
                throw SluiceException.Conflict($"Compute '{spec.Name}' is {Core.Yaml.EnumNames<ComputeTier>.ToName(current.Tier)}; the tier of a cluster cannot change.", "create another cluster with the other tier");
            }

            repository.Update(record, spec);
        }

        await db.SaveChangesAsync(cancellationToken);
        return (ResourceRepository.ToStored(record), created);
    }

    public async Task<StoredResource> GetAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, ResourceKind.Compute, name, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"Compute '{name}' in workspace '{workspace}'", $"list computes with 'sluice compute list -w {workspace}'");
        return ResourceRepository.ToStored(record);
    }

    public async Task<IReadOnlyList<StoredResource>> ListAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var records = await repository.Query(db, workspace, ResourceKind.Compute).OrderBy(r => r.Name).ToListAsync(cancellationToken);
        return records.Select(ResourceRepository.ToStored).ToList();
    }

    public async Task DeleteAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, ResourceKind.Compute, name, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"Compute '{name}' in workspace '{workspace}'");
        var reference = "\"" + new NamedReference(name).Text + "\"";
        var users = await repository.Query(db, workspace, ResourceKind.BatchDeployment)
            .Where(r => r.SpecJson.Contains(reference))
            .Select(r => r.Parent + "/" + r.Name)
            .ToListAsync(cancellationToken);
        if (users.Count > 0)
        {
            throw SluiceException.Conflict($"Compute '{name}' is used by deployment(s) {string.Join(", ", users)}.", "move those deployments to another compute (or delete them) first");
        }

        db.Resources.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Checks that a deployment's compute exists.</summary>
    internal async Task RequireAsync(SluiceDbContext db, string workspace, Reference compute, string usedBy, CancellationToken cancellationToken)
    {
        var name = compute is NamedReference named ? named.Name : compute.Text;
        var record = await repository.FindAsync(db, workspace, ResourceKind.Compute, name, cancellationToken: cancellationToken)
            ?? throw SluiceException.Invalid($"{usedBy} runs on compute '{name}', which does not exist in workspace '{workspace}'.", $"create it with 'sluice compute create -f <cluster.yml>' (type: amlcompute), or omit compute to run on the server's own node");
        if (SpecCodec.Decode<ComputeSpec>(ResourceKind.Compute, record.SpecJson).Type != ComputeType.Amlcompute)
        {
            throw SluiceException.Invalid($"{usedBy} runs on compute '{name}', a Kubernetes compute: Sluice models it for network diagnosis but runs batch jobs only on compute clusters.", "use a compute of 'type: amlcompute'");
        }
    }
}
