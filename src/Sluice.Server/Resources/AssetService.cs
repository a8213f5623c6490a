using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Serialization;
using Sluice.Core.Naming;
using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Data.Store;
using Sluice.Server.Datastores;
using Sluice.Server.Workspaces;

namespace Sluice.Server.Resources;

/// <summary>
/// Versioned assets — models, data assets, environments, components — with Azure ML's rules: versions are immutable
/// (only description and tags may change), an omitted version becomes the next number, <c>@latest</c> is the newest.
/// </summary>
public sealed class AssetService(IDbContextFactory<SluiceDbContext> factory, ResourceRepository repository, WorkspaceService workspaces, DatastoreService datastores)
{
    public async Task<(StoredResource Resource, bool Created)> CreateAsync(string workspace, VersionedResourceSpec spec, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (record, created) = await CreateAsync(db, workspace, spec, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ResourceRepository.ToStored(record), created);
    }

    /// <summary>Adds or updates a version within the caller's unit of work (a deployment registers its inline model this way).</summary>
    internal async Task<(ResourceRecord Record, bool Created)> CreateAsync(SluiceDbContext db, string workspace, VersionedResourceSpec spec, CancellationToken cancellationToken)
    {
        var kind = spec.Kind;
        if (ResourceNames.Asset(spec.Name) is { } problem)
        {
            throw SluiceException.Invalid(problem);
        }

        await ValidateReferencesAsync(db, workspace, spec, cancellationToken);
        var version = spec.Version ?? await repository.NextVersionAsync(db, workspace, kind, spec.Name, cancellationToken);
        spec = spec with { Version = version };
        var existing = await repository.FindAsync(db, workspace, kind, spec.Name, version, cancellationToken: cancellationToken);
        if (existing is null)
        {
            var record = repository.NewRecord(workspace, spec, version: version);
            db.Resources.Add(record);
            return (record, true);
        }

        var current = (VersionedResourceSpec)SpecCodec.Decode(kind, existing.SpecJson);
        if (SpecCodec.Encode(current with { Description = null, Tags = ResourceSpec.Empty }) != SpecCodec.Encode(spec with { Description = null, Tags = ResourceSpec.Empty }))
        {
            throw SluiceException.Conflict(
                $"{Capitalized(kind)} '{spec.Name}' version '{version}' already exists with different content; versions are immutable (only description and tags can change).",
                $"create a new version: omit 'version' to get the next one, or set a new one with --version");
        }

        repository.Update(existing, current with { Description = spec.Description, Tags = spec.Tags });
        return (existing, false);
    }

    public async Task<StoredResource> GetAsync(string workspace, ResourceKind kind, string name, string? version, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = version is null
            ? await repository.FindLatestAsync(db, workspace, kind, name, cancellationToken)
            : await repository.FindAsync(db, workspace, kind, name, version, cancellationToken: cancellationToken);
        return record is null
            ? throw SluiceException.NotFound(version is null ? $"{Capitalized(kind)} '{name}'" : $"{Capitalized(kind)} '{name}' version '{version}'", $"list them with 'sluice {kind.CommandGroup()} list -w {workspace}'")
            : ResourceRepository.ToStored(record);
    }

    /// <summary>
    /// Without a name: the latest version of every asset. With a name: all its versions, newest first. Archived versions
    /// are left out (an asset whose versions are all archived disappears) unless <paramref name="includeArchived"/>.
    /// </summary>
    public async Task<IReadOnlyList<StoredResource>> ListAsync(string workspace, ResourceKind kind, string? name, bool includeArchived = false, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = repository.Query(db, workspace, kind, string.Empty);
        if (!includeArchived)
        {
            query = query.Where(r => !r.Archived);
        }

        List<ResourceRecord> records;
        if (name is not null)
        {
            records = await query.Where(r => r.Name == name).OrderByDescending(r => r.Id).ToListAsync(cancellationToken);
        }
        else
        {
            var latestIds = query.GroupBy(r => r.Name).Select(g => g.Max(r => r.Id));
            records = await query.Where(r => latestIds.Contains(r.Id)).OrderBy(r => r.Name).ToListAsync(cancellationToken);
        }

        return records.Select(ResourceRepository.ToStored).ToList();
    }

    /// <summary>
    /// Archives or restores one version, or every version when <paramref name="version"/> is null, as <c>az ml data
    /// archive/restore</c> do. An archived version is hidden from lists and skipped by <c>@latest</c>, but still works
    /// when named explicitly; archiving changes nothing else, and doing it twice is harmless.
    /// </summary>
    public async Task<IReadOnlyList<StoredResource>> SetArchivedAsync(string workspace, ResourceKind kind, string name, string? version, bool archived, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = repository.Query(db, workspace, kind, string.Empty).Where(r => r.Name == name);
        if (version is not null)
        {
            query = query.Where(r => r.Version == version);
        }

        var records = await query.OrderByDescending(r => r.Id).ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            throw SluiceException.NotFound(
                version is null ? $"{Capitalized(kind)} '{name}'" : $"{Capitalized(kind)} '{name}' version '{version}'",
                $"list them with 'sluice {kind.CommandGroup()} list --include-archived -w {workspace}'");
        }

        foreach (var record in records)
        {
            record.Archived = archived;
        }

        await db.SaveChangesAsync(cancellationToken);
        return records.Select(ResourceRepository.ToStored).ToList();
    }

    public async Task DeleteAsync(string workspace, ResourceKind kind, string name, string version, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, kind, name, version, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"{Capitalized(kind)} '{name}' version '{version}'");
        var pinned = AssetReference.Pinned(name, version).Text;
        var users = await repository.Query(db, workspace, ResourceKind.BatchDeployment)
            .Where(r => r.SpecJson.Contains("\"" + pinned + "\""))
            .Select(r => r.Parent + "/" + r.Name)
            .ToListAsync(cancellationToken);
        if (users.Count > 0)
        {
            throw SluiceException.Conflict(
                $"{Capitalized(kind)} '{name}' version '{version}' is used by deployment(s) {string.Join(", ", users)}.",
                "point those deployments at another version (or delete them) first");
        }

        db.Resources.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Resolves <c>azureml:name:version</c> or <c>azureml:name@latest</c> to the stored version it means now.</summary>
    internal async Task<ResourceRecord> ResolveAsync(SluiceDbContext db, string workspace, ResourceKind kind, Reference reference, string usedBy, CancellationToken cancellationToken)
    {
        switch (reference)
        {
            case AssetReference asset:
                if (asset.Workspace is not null && asset.Workspace != workspace)
                {
                    throw SluiceException.Invalid($"{usedBy} refers to '{asset.Text}' in workspace '{asset.Workspace}', but this request is in workspace '{workspace}'; assets are used in the workspace that holds them.", $"register the {kind.DisplayName()} in workspace '{workspace}', or refer to it as azureml:{asset.Name}:{asset.Version}");
                }

                if (asset.Collection is not null && asset.Collection != Api.ResourceViews.Collection(kind))
                {
                    throw SluiceException.Invalid($"{usedBy} refers to '{asset.Text}', which names {asset.Collection}; expected {Api.ResourceViews.Collection(kind)}.", $"write azureml://…/workspaces/{workspace}/{Api.ResourceViews.Collection(kind)}/<name>/versions/<version> or azureml:<name>:<version>");
                }

                var record = asset.IsLatest
                    ? await repository.FindLatestAsync(db, workspace, kind, asset.Name, cancellationToken)
                    : await repository.FindAsync(db, workspace, kind, asset.Name, asset.Version!, cancellationToken: cancellationToken);
                return record ?? throw SluiceException.Invalid(
                    $"{usedBy} refers to {kind.DisplayName()} '{asset.Text}', which does not exist in workspace '{workspace}'.",
                    $"create it first with 'sluice {kind.CommandGroup()} create', or check the name and version with 'sluice {kind.CommandGroup()} list -w {workspace}'");
            case RegistryReference registry:
                throw SluiceException.Invalid($"{usedBy} refers to '{registry.Text}' in registry '{registry.Registry}'; Sluice has no registries.", $"register the {kind.DisplayName()} in the workspace and refer to it as azureml:{registry.Name}@latest");
            default:
                throw SluiceException.Invalid($"{usedBy}: '{reference.Text}' is not a {kind.DisplayName()} reference.", "write azureml:<name>:<version> or azureml:<name>@latest");
        }
    }

    private async Task ValidateReferencesAsync(SluiceDbContext db, string workspace, VersionedResourceSpec spec, CancellationToken cancellationToken)
    {
        switch (spec)
        {
            case DataAssetSpec data:
                await CheckPathAsync(workspace, data.Path, data.Type == DataAssetType.UriFile ? false : true, $"Data asset '{data.Name}' path", cancellationToken);
                break;
            case ModelSpec model:
                await CheckPathAsync(workspace, model.Path, null, $"Model '{model.Name}' path", cancellationToken);
                break;
            case EnvironmentSpec environment:
                if (environment.CondaFile is not null)
                {
                    await CheckPathAsync(workspace, environment.CondaFile, false, $"Environment '{environment.Name}' conda_file", cancellationToken);
                }

                break;
            case CommandComponentSpec command:
                if (command.Code is not null)
                {
                    await CheckPathAsync(workspace, command.Code, true, $"Component '{command.Name}' code", cancellationToken);
                }

                if (command.Environment?.Reference is { } environmentReference)
                {
                    await ResolveAsync(db, workspace, ResourceKind.Environment, environmentReference, $"Component '{command.Name}'", cancellationToken);
                }

                break;
            case PipelineComponentSpec pipeline:
                foreach (var (stepName, step) in pipeline.Jobs)
                {
                    if (step.Component.Reference is { } componentReference)
                    {
                        await ResolveAsync(db, workspace, ResourceKind.Component, componentReference, $"Step '{stepName}' of component '{pipeline.Name}'", cancellationToken);
                    }
                    else if (step.Component.Inline is ComponentSpec inline)
                    {
                        await ValidateReferencesAsync(db, workspace, inline, cancellationToken);
                    }
                }

                break;
        }
    }

    private async Task CheckPathAsync(string workspace, Reference path, bool? folder, string what, CancellationToken cancellationToken)
    {
        switch (path)
        {
            case DatastorePathReference datastorePath:
                await datastores.RequireItemAsync(workspace, datastorePath, folder, what, cancellationToken);
                break;
            case WebReference:
                // Remote URLs are checked when a job reads them; the server may not have the caller's access.
                break;
            default:
                throw SluiceException.Invalid($"{what} '{path.Text}' is not a storage path.", "use azureml://datastores/<datastore>/paths/<path> or an https:// URL");
        }
    }

    private static string Capitalized(ResourceKind kind)
    {
        var name = kind.DisplayName();
        return char.ToUpperInvariant(name[0]) + name[1..];
    }
}
