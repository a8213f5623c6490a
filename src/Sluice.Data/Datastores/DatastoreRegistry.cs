using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Data.Secrets;
using Sluice.Data.Store;

namespace Sluice.Data.Datastores;

/// <summary>
/// Looks datastores up in the metadata store and hands out their access descriptions. This is the one place where
/// stored credentials are decrypted: only to open a datastore. Datastores it opens list with the process's
/// <see cref="ListingSortOptions"/>, so a server's long listings spill under its data directory.
/// </summary>
public sealed class DatastoreRegistry(IDbContextFactory<SluiceDbContext> factory, SecretStore secrets, ListingSortOptions listing)
{
    public async Task<DatastoreAccess> GetAccessAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var kind = ResourceKind.Datastore.ToString();
        var record = await db.Resources.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Workspace == workspace && r.Kind == kind && r.Parent == string.Empty && r.Name == name && r.Version == string.Empty, cancellationToken)
            ?? throw SluiceException.Invalid($"Datastore '{name}' does not exist in workspace '{workspace}'.", $"list datastores with 'sluice datastore list -w {workspace}'");
        var spec = SpecCodec.Decode<DatastoreSpec>(ResourceKind.Datastore, record.SpecJson);
        if (DatastoreSecrets.StoredKind(record.SystemJson) is { } secretKind
            && await secrets.GetAsync(db, DatastoreSecrets.Address(workspace, name), cancellationToken) is { } secret)
        {
            spec = spec with { Credentials = DatastoreSecrets.Join(secretKind, secret) };
        }

        return DatastoreAccess.From(spec);
    }

    public async Task<IDatastoreClient> OpenAsync(string workspace, string name, CancellationToken cancellationToken = default) =>
        Open(await GetAccessAsync(workspace, name, cancellationToken));

    /// <summary>A client for a datastore whose access is already known, listing as this process lists.</summary>
    public IDatastoreClient Open(DatastoreAccess access) => access.Open(listing);
}
