using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Naming;
using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Serialization;
using Sluice.Data.Datastores;
using Sluice.Data.Datastores.Blob;
using Sluice.Data.Secrets;
using Sluice.Data.Store;
using Sluice.Server.Resources;
using Sluice.Server.Workspaces;

namespace Sluice.Server.Datastores;

/// <summary>Datastores: their specs, their credentials (encrypted in the secret store), and clients for their content.</summary>
public sealed class DatastoreService(IDbContextFactory<SluiceDbContext> factory, ResourceRepository repository, WorkspaceService workspaces, DatastoreRegistry registry, SecretStore secrets)
{
    /// <summary>
    /// Creates or replaces a datastore. Credentials go to the secret store, encrypted; the stored spec never holds them.
    /// An update that gives no credentials keeps the stored ones, as <c>az ml datastore update</c> does, as long as they
    /// still belong to the same storage account: a key is never sent to another account's endpoint, so changing the
    /// account (or the type) without new credentials drops them, with a warning.
    /// </summary>
    public async Task<(StoredResource Resource, bool Created, IReadOnlyList<string> Warnings)> CreateOrUpdateAsync(string workspace, DatastoreSpec spec, CancellationToken cancellationToken = default)
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
        // workspaceblobstore may be re-pointed (as Azure ML's workspace storage can be): to a blob container, or to
        // another folder. New uploads, job outputs and logs land there; files already written stay where they are.

        // The stored spec has no credentials at all: stored specs are read back through the validating reader, which
        // accepts only real credentials. Which kind of secret exists is a server-owned field (credentials.type) that
        // the view shows beside the spec.
        var stored = spec with { Credentials = null };
        var address = DatastoreSecrets.Address(workspace, spec.Name);
        var warnings = new List<string>();
        string? secretKind = null;
        if (DatastoreSecrets.Split(spec.Credentials) is { } given)
        {
            secretKind = given.Kind;
            await secrets.SetAsync(db, address, given.Secret, cancellationToken);
        }
        else if (record is not null && DatastoreSecrets.StoredKind(record.SystemJson) is { } storedKind)
        {
            var previous = SpecCodec.Decode<DatastoreSpec>(ResourceKind.Datastore, record.SpecJson);
            if (SameAccount(previous, spec))
            {
                secretKind = storedKind;
            }
            else
            {
                await SecretStore.DeleteAsync(db, address, cancellationToken);
                warnings.Add($"the stored {storedKind} of datastore '{spec.Name}' was for storage account '{previous.AccountName}' and was removed; give credentials for '{spec.AccountName}' to use them");
            }
        }

        var system = new JsonObject();
        if (secretKind is not null)
        {
            system[DatastoreSecrets.SystemKey] = new JsonObject { ["type"] = secretKind };
        }

        var created = record is null;
        if (record is null)
        {
            record = repository.NewRecord(workspace, stored, system: system);
            db.Resources.Add(record);
        }
        else
        {
            repository.Update(record, stored, system);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ResourceRepository.ToStored(record), created, warnings);
    }

    private static bool SameAccount(DatastoreSpec previous, DatastoreSpec next) =>
        previous.Type == DatastoreType.AzureBlob && next.Type == DatastoreType.AzureBlob
        && string.Equals(previous.AccountName, next.AccountName, StringComparison.OrdinalIgnoreCase)
        && string.Equals(previous.Endpoint ?? string.Empty, next.Endpoint ?? string.Empty, StringComparison.OrdinalIgnoreCase);

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
        await SecretStore.DeleteAsync(db, DatastoreSecrets.Address(workspace, name), cancellationToken);
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

    /// <summary>
    /// The registered azure_blob datastore whose container holds a blob URL, and the path in it. Sluice reads storage
    /// only through datastores (their credentials, their network rules), so a URL outside every datastore is refused
    /// with the datastore to register.
    /// </summary>
    public async Task<DatastorePathReference> ResolveUrlAsync(string workspace, WebReference url, string what, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var records = await repository.Query(db, workspace, ResourceKind.Datastore).OrderBy(r => r.Name).ToListAsync(cancellationToken);
        foreach (var record in records)
        {
            var spec = SpecCodec.Decode<DatastoreSpec>(ResourceKind.Datastore, record.SpecJson);
            if (BlobUrls.ContainerUrl(spec) is { } containerUrl && BlobUrls.PathIn(containerUrl, url.Uri) is { } path)
            {
                return new DatastorePathReference(spec.Name, path);
            }
        }

        // A public container needs no credentials: the URL is read through a credential-less datastore, registered the
        // first time (so network rules and diagnosis see it like any other). Only a container that really answers
        // anonymous reads gets one; any other is refused with the datastore to register.
        if (BlobUrls.AnonymousDatastore(url.Uri) is { } anonymous && BlobUrls.PathIn(BlobUrls.ContainerUrl(anonymous)!, url.Uri) is { } anonymousPath
            && records.All(r => r.Name != anonymous.Name)
            && await AnswersAnonymouslyAsync(anonymous, anonymousPath, cancellationToken))
        {
            await CreateOrUpdateAsync(workspace, anonymous, cancellationToken);
            return new DatastorePathReference(anonymous.Name, anonymousPath);
        }

        var shape = BlobUrls.Describe(url.Uri);
        throw SluiceException.Invalid(
            $"{what} '{url.Text}' is not in any datastore of workspace '{workspace}'; Sluice reads storage only through registered datastores.",
            shape is var (account, container)
                ? $"register an azure_blob datastore with account_name '{account}' and container_name '{container}' (with credentials unless the container allows anonymous reads), then use this URL or azureml://datastores/<datastore>/paths/<path>"
                : "register an azure_blob datastore for the container that holds it, or copy the data into a datastore");
    }

    private static async Task<bool> AnswersAnonymouslyAsync(DatastoreSpec spec, string path, CancellationToken cancellationToken)
    {
        try
        {
            await DatastoreAccess.From(spec).Open().GetItemAsync(path, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is SluiceException or IOException or UnauthorizedAccessException or Azure.RequestFailedException)
        {
            return false;
        }
    }

    private static void CheckName(string name)
    {
        if (ResourceNames.Datastore(name) is { } problem)
        {
            throw SluiceException.Invalid(problem);
        }
    }
}
