using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Serialization;
using Sluice.Core.Naming;
using Sluice.Core.Specs;
using Sluice.Data.Store;
using Sluice.Core.Jobs;
using Sluice.Server.Resources;

namespace Sluice.Server.Workspaces;

/// <summary>Workspaces: created explicitly, or — for the one named <c>default</c> — on first use, as the CLI promises.</summary>
public sealed class WorkspaceService(IDbContextFactory<SluiceDbContext> factory, ResourceRepository repository, StoreOptions store, TimeProvider clock)
{
    public const string DefaultWorkspace = "default";
    public const string DefaultDatastore = "workspaceblobstore";

    /// <summary>The workspace's spec; creates <c>default</c> when it is missing, and 404s for any other missing name.</summary>
    public async Task<WorkspaceSpec> RequireAsync(string name, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await db.Workspaces.FindAsync([name], cancellationToken);
        if (record is not null)
        {
            return SpecCodec.Decode<WorkspaceSpec>(ResourceKind.Workspace, record.SpecJson);
        }

        if (name != DefaultWorkspace)
        {
            throw SluiceException.NotFound($"Workspace '{name}'", $"create it with 'sluice workspace create -n {name}', or use the 'default' workspace");
        }

        var created = await CreateOrUpdateAsync(new WorkspaceSpec { Name = DefaultWorkspace, Description = "Created on first use." }, cancellationToken);
        return created.Spec;
    }

    public async Task<(WorkspaceSpec Spec, WorkspaceRecord Record, bool Created)> CreateOrUpdateAsync(WorkspaceSpec spec, CancellationToken cancellationToken = default)
    {
        CheckName(spec.Name);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var record = await db.Workspaces.FindAsync([spec.Name], cancellationToken);
        var created = record is null;
        if (record is null)
        {
            record = new WorkspaceRecord { Name = spec.Name, SpecJson = SpecCodec.Encode(spec), CreatedAt = now, ModifiedAt = now };
            db.Workspaces.Add(record);
            db.Resources.Add(repository.NewRecord(spec.Name, DefaultDatastoreSpec(spec.Name)));
        }
        else
        {
            await CheckServiceReferencesAsync(db, SpecCodec.Decode<WorkspaceSpec>(ResourceKind.Workspace, record.SpecJson), spec, cancellationToken);
            record.SpecJson = SpecCodec.Encode(spec);
            record.ModifiedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (created)
        {
            // Two first uses raced; the other one created it.
            return (spec, (await GetRecordAsync(spec.Name, cancellationToken))!, false);
        }

        await transaction.CommitAsync(cancellationToken);
        if (created)
        {
            Directory.CreateDirectory(DefaultDatastorePath(spec.Name));
        }

        return (spec, record, created);
    }

    /// <summary>
    /// The storage account, secret store and registry a workspace names live inside it, so a new workspace may name
    /// them before they exist; once it exists, a changed name must be of a resource that does.
    /// </summary>
    private async Task CheckServiceReferencesAsync(SluiceDbContext db, WorkspaceSpec current, WorkspaceSpec spec, CancellationToken cancellationToken)
    {
        var changed = new[]
        {
            ("storage_account", ResourceKind.StorageAccount, spec.StorageAccount, current.StorageAccount),
            ("key_vault", ResourceKind.SecretStore, spec.KeyVault, current.KeyVault),
            ("container_registry", ResourceKind.Registry, spec.ContainerRegistry, current.ContainerRegistry),
        };
        foreach (var (key, kind, name, before) in changed)
        {
            if (name is not null && name != before && await repository.FindAsync(db, spec.Name, kind, name, cancellationToken: cancellationToken) is null)
            {
                throw SluiceException.Invalid(
                    $"Workspace '{spec.Name}' {key} names {kind.DisplayName()} '{name}', which does not exist in the workspace.",
                    $"create it first with 'sluice {kind.CommandGroup()} create -f <file> -w {spec.Name}', or check the name with 'sluice {kind.CommandGroup()} list -w {spec.Name}'");
            }
        }
    }

    public async Task<WorkspaceRecord?> GetRecordAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Name == name, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkspaceRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await RequireAsync(DefaultWorkspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Workspaces.AsNoTracking().OrderBy(w => w.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Deletes the workspace and its metadata. Files in its datastores are kept, as Azure keeps the storage account.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.Workspaces.FindAsync([name], cancellationToken)
            ?? throw SluiceException.NotFound($"Workspace '{name}'");
        var active = await db.Jobs.Where(j => j.Workspace == name && JobStatuses.Active.Contains(j.Status)).OrderBy(j => j.Name).Select(j => j.Name).Take(5).ToListAsync(cancellationToken);
        if (active.Count > 0)
        {
            throw SluiceException.Conflict($"Workspace '{name}' has jobs that are still running ({string.Join(", ", active)}).", "cancel them with 'sluice job cancel -n <job>' or wait for them to finish, then delete the workspace");
        }

        await db.Resources.Where(r => r.Workspace == name).ExecuteDeleteAsync(cancellationToken);
        await db.Secrets.Where(s => s.Workspace == name).ExecuteDeleteAsync(cancellationToken);
        await db.Jobs.Where(j => j.Workspace == name).ExecuteDeleteAsync(cancellationToken);
        db.Workspaces.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public string DefaultDatastorePath(string workspace) => Path.Combine(store.DataDirectory, "datastores", workspace, DefaultDatastore);

    private DatastoreSpec DefaultDatastoreSpec(string workspace) => new()
    {
        Name = DefaultDatastore,
        Type = DatastoreType.Local,
        Path = DefaultDatastorePath(workspace),
        Description = "The workspace's default datastore: job outputs and uploads land here.",
    };

    public static void CheckName(string name)
    {
        if (ResourceNames.Workspace(name) is { } problem)
        {
            throw SluiceException.Invalid(problem);
        }
    }
}
