using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Naming;
using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Data.Datastores;
using Sluice.Data.Datastores.Blob;
using Sluice.Data.Store;
using Sluice.Server.Resources;
using Sluice.Server.Workspaces;

namespace Sluice.Server.Datastores;

/// <summary>Datastores: their specs, their credentials (kept apart from the spec), and clients for their content.</summary>
public sealed class DatastoreService(IDbContextFactory<SluiceDbContext> factory, ResourceRepository repository, WorkspaceService workspaces, DatastoreRegistry registry, TimeProvider clock)
{
    /// <summary>The server-owned field that says which kind of secret a datastore has (never the secret).</summary>
    public const string CredentialsKey = DatastoreRegistry.CredentialsKey;

    private const string SecretScope = DatastoreRegistry.SecretScope;

    public async Task<(StoredResource Resource, bool Created)> CreateOrUpdateAsync(string workspace, DatastoreSpec spec, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        CheckName(spec.Name);
        if (spec.Type == DatastoreType.Local && !Directory.Exists(spec.Path))
        {
            throw SluiceException.Invalid($"The folder '{spec.Path}' of local datastore '{spec.Name}' does not exist on the server.", "create the folder on the server's machine first, or use a folder that exists");
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, ResourceKind.Datastore, spec.Name, cancellationToken: cancellationToken);
        if (record is not null && spec.Name == WorkspaceService.DefaultDatastore)
        {
            throw SluiceException.Conflict($"'{WorkspaceService.DefaultDatastore}' is the workspace's default datastore and is managed by Sluice.", "create a datastore under another name");
        }

        // The secret goes to its own table. The stored spec has no credentials at all: stored specs are read back
        // through the validating reader, which accepts only real credentials. Which kind of secret exists is a
        // server-owned field (credentials.type) that the view shows beside the spec.
        var stored = spec with { Credentials = null };
        var secret = spec.Credentials?.AccountKey ?? spec.Credentials?.SasToken;
        var system = new JsonObject();
        if (spec.Credentials?.Redacted().RedactedType is { } secretKind)
        {
            system[CredentialsKey] = new JsonObject { ["type"] = secretKind };
        }

        var created = record is null;
        if (record is null)
        {
            record = repository.NewRecord(workspace, stored, system: system);
            db.Resources.Add(record);
        }
        else
        {
            if (secret is null)
            {
                await db.Secrets.Where(s => s.Workspace == workspace && s.Scope == SecretScope && s.Name == spec.Name).ExecuteDeleteAsync(cancellationToken);
            }

            repository.Update(record, stored, system);
        }

        if (secret is not null)
        {
            var existing = await db.Secrets.FindAsync([workspace, SecretScope, spec.Name], cancellationToken);
            var value = Encoding.UTF8.GetBytes(secret);
            if (existing is null)
            {
                db.Secrets.Add(new SecretRecord { Workspace = workspace, Scope = SecretScope, Name = spec.Name, Value = value, ModifiedAt = clock.GetUtcNow().UtcDateTime });
            }
            else
            {
                existing.Value = value;
                existing.ModifiedAt = clock.GetUtcNow().UtcDateTime;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ResourceRepository.ToStored(record), created);
    }

    public async Task<StoredResource> GetAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, ResourceKind.Datastore, name, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"Datastore '{name}' in workspace '{workspace}'", $"list datastores with 'sluice datastore list -w {workspace}'");
        return ResourceRepository.ToStored(record);
    }

    public async Task<IReadOnlyList<StoredResource>> ListAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var records = await repository.Query(db, workspace, ResourceKind.Datastore).OrderBy(r => r.Name).ToListAsync(cancellationToken);
        return records.Select(ResourceRepository.ToStored).ToList();
    }

    public async Task DeleteAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        if (name == WorkspaceService.DefaultDatastore)
        {
            throw SluiceException.Conflict($"'{name}' is the workspace's default datastore and cannot be deleted.", "delete the workspace to remove it");
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, ResourceKind.Datastore, name, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"Datastore '{name}' in workspace '{workspace}'");
        db.Resources.Remove(record);
        await db.Secrets.Where(s => s.Workspace == workspace && s.Scope == SecretScope && s.Name == name).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A client for a datastore's content.</summary>
    public async Task<IDatastoreClient> GetClientAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        return await registry.OpenAsync(workspace, name, cancellationToken);
    }

    /// <summary>Checks that a datastore path exists, as a file or (when <paramref name="folder"/> says so) a folder.</summary>
    public async Task<DatastoreItem> RequireItemAsync(string workspace, DatastorePathReference reference, bool? folder, string what, CancellationToken cancellationToken = default)
    {
        if (reference.Workspace is not null && reference.Workspace != workspace)
        {
            throw SluiceException.Invalid($"{what} '{reference.Text}' points into workspace '{reference.Workspace}', but this request is in workspace '{workspace}'.");
        }

        var client = await GetClientAsync(workspace, reference.Datastore, cancellationToken);
        var item = await client.GetItemAsync(reference.Path, cancellationToken)
            ?? throw SluiceException.Invalid(
                client is BlobDatastoreClient blob
                    ? $"{what} '{reference.Text}' does not exist: {blob.Access.Describe()} has no blob named '{DatastorePaths.Normalize(reference.Path)}' nor any under '{DatastorePaths.Normalize(reference.Path)}/'."
                    : $"{what} '{reference.Text}' does not exist.",
                "upload it first (the sluice CLI uploads local paths for you) or fix the path");
        if (folder is { } wantFolder && item.IsFolder != wantFolder)
        {
            throw SluiceException.Invalid($"{what} '{reference.Text}' is a {(item.IsFolder ? "folder" : "file")}; expected a {(wantFolder ? "folder" : "file")}.");
        }

        return item;
    }

    private static void CheckName(string name)
    {
        if (ResourceNames.Datastore(name) is { } problem)
        {
            throw SluiceException.Invalid(problem);
        }
    }
}
