using System.Text.Json.Nodes;
using Sluice.Core.Specs;
using Sluice.Data.Secrets;

namespace Sluice.Data.Datastores;

/// <summary>
/// How a datastore's credentials are kept: the secret in the encrypted secret store, and which kind it is
/// (<c>account_key</c> or <c>sas_token</c>) in the resource's server-owned <c>credentials.type</c>, which views show.
/// </summary>
public static class DatastoreSecrets
{
    public const string Scope = "datastore";

    /// <summary>The server-owned field that says which kind of secret a datastore has (never the secret).</summary>
    public const string SystemKey = "credentials";

    public const string AccountKey = "account_key";

    public const string SasToken = "sas_token";

    public static SecretAddress Address(string workspace, string datastore) => new(workspace, Scope, datastore);

    /// <summary>The kind of the stored secret, from a datastore's server-owned fields; null when it has none.</summary>
    public static string? StoredKind(JsonObject? system) => (string?)system?[SystemKey]?["type"];

    public static string? StoredKind(string systemJson) => StoredKind(JsonNode.Parse(systemJson) as JsonObject);

    /// <summary>The secret of credentials as given by a user, and its kind.</summary>
    public static (string Kind, string Secret)? Split(DatastoreCredentials? credentials) => credentials switch
    {
        { AccountKey: { } key } => (AccountKey, key),
        { SasToken: { } token } => (SasToken, token),
        _ => null,
    };

    public static DatastoreCredentials Join(string kind, string secret) =>
        kind == SasToken ? new DatastoreCredentials { SasToken = secret } : new DatastoreCredentials { AccountKey = secret };
}
