using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Data.Store;

namespace Sluice.Data.Datastores;

/// <summary>Looks datastores up in the metadata store and hands out their access descriptions.</summary>
public sealed class DatastoreRegistry(IDbContextFactory<SluiceDbContext> factory)
{
    /// <summary>The scope of datastore credentials in the secrets table (one secret per datastore, under its name).</summary>
    public const string SecretScope = "datastore";

    /// <summary>The server-owned field of a datastore's record that says which kind of secret it has (never the secret).</summary>
    public const string CredentialsKey = "credentials";

    public async Task<DatastoreAccess> GetAccessAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var kind = ResourceKind.Datastore.ToString();
        var record = await db.Resources.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Workspace == workspace && r.Kind == kind && r.Parent == string.Empty && r.Name == name && r.Version == string.Empty, cancellationToken)
            ?? throw SluiceException.Invalid($"Datastore '{name}' does not exist in workspace '{workspace}'.", $"list datastores with 'sluice datastore list -w {workspace}'");
        var spec = SpecCodec.Decode<DatastoreSpec>(ResourceKind.Datastore, record.SpecJson);
        if (spec.Type == DatastoreType.AzureBlob)
        {
            spec = spec with { Credentials = await CredentialsAsync(db, workspace, name, record.SystemJson, cancellationToken) };
        }

        return DatastoreAccess.From(spec);
    }

    public async Task<IDatastoreClient> OpenAsync(string workspace, string name, CancellationToken cancellationToken = default) =>
        (await GetAccessAsync(workspace, name, cancellationToken)).Open();

    /// <summary>The datastore's credentials in plain text, from the secrets table, of the kind its record names.</summary>
    private static async Task<DatastoreCredentials?> CredentialsAsync(SluiceDbContext db, string workspace, string name, string systemJson, CancellationToken cancellationToken)
    {
        var secret = await db.Secrets.AsNoTracking().FirstOrDefaultAsync(s => s.Workspace == workspace && s.Scope == SecretScope && s.Name == name, cancellationToken);
        if (secret is null)
        {
            return null;
        }

        var type = (JsonNode.Parse(systemJson) as JsonObject)?[CredentialsKey]?["type"]?.GetValue<string>();
        var value = Encoding.UTF8.GetString(secret.Value);
        return type switch
        {
            "account_key" => new DatastoreCredentials { AccountKey = value },
            "sas_token" => new DatastoreCredentials { SasToken = value },
            _ => throw new SluiceException($"Datastore '{name}' has a stored secret of unknown kind '{type}'.", SluiceErrorKind.Invalid, "create the datastore again with its credentials"),
        };
    }
}
