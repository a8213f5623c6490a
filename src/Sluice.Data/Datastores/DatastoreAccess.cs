using System.Text;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;
using Sluice.Data.Datastores.Blob;

namespace Sluice.Data.Datastores;

/// <summary>Which secret, if any, opens an azure_blob datastore.</summary>
public enum DatastoreCredentialKind
{
    /// <summary>Anonymous access: a public container (or an emulator that allows it).</summary>
    None,

    /// <summary>One of the storage account's two access keys (shared key authorization).</summary>
    AccountKey,

    /// <summary>A shared access signature for the account or the container.</summary>
    SasToken,
}

/// <summary>
/// What a process needs to open a datastore without asking the metadata store: its kind, where it is and, for blob
/// storage, the secret that opens it. Compute nodes receive this with their work, so they never need the database.
/// The secret never appears in <see cref="object.ToString"/>; print <see cref="Describe"/> in messages.
/// </summary>
public sealed record DatastoreAccess(string Name, DatastoreType Type, string? LocalRoot)
{
    /// <summary>For azure_blob: the storage account.</summary>
    public string? AccountName { get; init; }

    /// <summary>For azure_blob: the container that is the datastore's root.</summary>
    public string? ContainerName { get; init; }

    /// <summary>For azure_blob: the blob service's URL (<c>https://&lt;account&gt;.blob.core.windows.net</c>, or an emulator's).</summary>
    public string? BlobEndpoint { get; init; }

    public DatastoreCredentialKind CredentialKind { get; init; }

    /// <summary>The account key or SAS token (as <see cref="CredentialKind"/> says); null for anonymous access.</summary>
    public string? Secret { get; init; }

    /// <summary>
    /// The access a datastore spec describes. Its credentials must be in plain text: the caller has already taken them
    /// from wherever they are kept.
    /// </summary>
    public static DatastoreAccess From(DatastoreSpec spec)
    {
        if (spec.Type != DatastoreType.AzureBlob)
        {
            return new DatastoreAccess(spec.Name, spec.Type, spec.Path);
        }

        var (kind, secret) = spec.Credentials switch
        {
            { AccountKey: { } key } => (DatastoreCredentialKind.AccountKey, key),
            { SasToken: { } sas } => (DatastoreCredentialKind.SasToken, sas),
            _ => (DatastoreCredentialKind.None, (string?)null),
        };
        return new DatastoreAccess(spec.Name, spec.Type, null)
        {
            AccountName = spec.AccountName,
            ContainerName = spec.ContainerName,
            BlobEndpoint = spec.BlobServiceUri().ToString().TrimEnd('/'),
            CredentialKind = kind,
            Secret = secret,
        };
    }

    /// <summary>
    /// A client for the datastore's content. <paramref name="listing"/> bounds how a local datastore's listings are put
    /// in order and where they spill; without it they spill to the system's temporary folder, which suits callers that
    /// have no data directory of their own.
    /// </summary>
    public IDatastoreClient Open(ListingSortOptions? listing = null) => Type switch
    {
        DatastoreType.Local => new LocalDatastoreClient(LocalRoot ?? throw new InvalidOperationException($"Local datastore '{Name}' has no folder."), listing),
        DatastoreType.AzureBlob => new BlobDatastoreClient(this),
        _ => throw new SluiceException(
            $"Reading and writing content of '{EnumNames<DatastoreType>.ToName(Type)}' datastores is not available in this version; datastore '{Name}' can be registered but not used by jobs yet.",
            SluiceErrorKind.Invalid,
            "use a local or an azure_blob datastore"),
    };

    /// <summary>The datastore as messages name it: <c>datastore 'x' (account a, container c)</c>; never the secret.</summary>
    public string Describe() => Type switch
    {
        DatastoreType.AzureBlob => $"datastore '{Name}' (account {AccountName}, container {ContainerName})",
        DatastoreType.Local => $"datastore '{Name}' (folder {LocalRoot})",
        _ => $"datastore '{Name}'",
    };

    /// <summary>Records print every property; this one prints the secret's kind instead of the secret.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name)
            .Append(", Type = ").Append(Type)
            .Append(", LocalRoot = ").Append(LocalRoot)
            .Append(", AccountName = ").Append(AccountName)
            .Append(", ContainerName = ").Append(ContainerName)
            .Append(", BlobEndpoint = ").Append(BlobEndpoint)
            .Append(", CredentialKind = ").Append(CredentialKind)
            .Append(", Secret = ").Append(Secret is null ? string.Empty : "(redacted)");
        return true;
    }
}
