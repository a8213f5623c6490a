using System.Text;
using System.Text.Json.Serialization;

namespace Sluice.Core.Specs;

public enum DatastoreType
{
    /// <summary>A folder on the server's file system (Sluice's own kind; the default store of the embedded server).</summary>
    Local,

    /// <summary>A container in an Azure Blob Storage account (or Azurite).</summary>
    AzureBlob,

    // Parsed so that files using them get a precise "not supported" message rather than "unknown value".
    AzureFile,
    AzureDataLakeGen1,
    AzureDataLakeGen2,
}

/// <summary>Where data and outputs live. Credentials are write-only: never echoed back by the server.</summary>
public sealed record DatastoreSpec : ResourceSpec
{

    public required DatastoreType Type { get; init; }

    /// <summary>For <c>local</c>: the folder on the server's machine (absolute once read).</summary>
    public string? Path { get; init; }

    public string? AccountName { get; init; }

    public string? ContainerName { get; init; }

    /// <summary>The storage DNS suffix (<c>core.windows.net</c>), or a full endpoint URL for emulators and sovereign clouds.</summary>
    public string? Endpoint { get; init; }

    public string? Protocol { get; init; }

    public DatastoreCredentials? Credentials { get; init; }

    /// <summary>The spec as it may be shown: secrets removed, their kind kept.</summary>
    public DatastoreSpec Redacted() => Credentials is null ? this : this with { Credentials = Credentials.Redacted() };
}

public sealed record DatastoreCredentials
{
    public string? AccountKey { get; init; }

    public string? SasToken { get; init; }

    /// <summary>Set on redacted copies: which kind of secret is stored, without the secret.</summary>
    [JsonPropertyName("type")]
    public string? RedactedType { get; init; }

    public DatastoreCredentials Redacted() => new()
    {
        RedactedType = AccountKey is not null ? "account_key" : SasToken is not null ? "sas_token" : RedactedType,
    };

    // A record prints its properties; a spec logged or put in a message must not carry the secret with it.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("type = ").Append(Redacted().RedactedType ?? "none").Append(", secret redacted");
        return true;
    }
}
