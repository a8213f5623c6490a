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
    /// <summary>The storage DNS suffix of Azure's public cloud, used when an azure_blob datastore names none.</summary>
    public const string DefaultEndpointSuffix = "core.windows.net";

    public required DatastoreType Type { get; init; }

    /// <summary>For <c>local</c>: the folder on the server's machine (absolute once read).</summary>
    public string? Path { get; init; }

    public string? AccountName { get; init; }

    public string? ContainerName { get; init; }

    /// <summary>
    /// The storage DNS suffix (<c>core.windows.net</c>, <c>core.chinacloudapi.cn</c>…), or the blob service's URL as a
    /// whole for emulators and custom domains (<c>http://127.0.0.1:10000/devstoreaccount1</c>).
    /// </summary>
    public string? Endpoint { get; init; }

    /// <summary><c>https</c> (the default) or <c>http</c>; with an endpoint URL, that URL's scheme.</summary>
    public string? Protocol { get; init; }

    public DatastoreCredentials? Credentials { get; init; }

    /// <summary>Whether <see cref="Endpoint"/> is a URL (<c>scheme://…</c>) rather than a DNS suffix.</summary>
    public static bool IsEndpointUrl(string endpoint) => endpoint.Contains("://", StringComparison.Ordinal);

    /// <summary>
    /// The URL of the blob service holding an azure_blob datastore's container: <c>&lt;protocol&gt;://&lt;account&gt;.blob.&lt;suffix&gt;</c>,
    /// or the endpoint URL as given. An endpoint URL whose host is an IP address or <c>localhost</c> addresses the account
    /// in its path (as emulators do); when that path is empty, the account name is added to it.
    /// </summary>
    public Uri BlobServiceUri()
    {
        if (Type != DatastoreType.AzureBlob || AccountName is not { Length: > 0 } account)
        {
            throw new InvalidOperationException($"datastore '{Name}' is not an azure_blob datastore with an account name");
        }

        var endpoint = Endpoint ?? DefaultEndpointSuffix;
        if (!IsEndpointUrl(endpoint))
        {
            return new Uri($"{Protocol ?? "https"}://{account}.blob.{endpoint.Trim('.')}");
        }

        var uri = new Uri(endpoint.TrimEnd('/'), UriKind.Absolute);
        var pathStyle = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.IsLoopback;
        return pathStyle && uri.AbsolutePath.Trim('/').Length == 0 ? new Uri($"{uri.GetLeftPart(UriPartial.Authority)}/{account}") : uri;
    }

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
