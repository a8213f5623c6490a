using System.Text.RegularExpressions;
using Sluice.Core.Naming;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static partial class DatastoreReader
{
    public static DatastoreSpec Read(MappingReader m)
    {
        var type = m.Enum<DatastoreType>("type");
        if (type is null && !m.IsPresent("type"))
        {
            m.Missing("type", "one of: local, azure_blob");
        }
        else if (type is DatastoreType.AzureFile or DatastoreType.AzureDataLakeGen1 or DatastoreType.AzureDataLakeGen2)
        {
            m.Error("type", $"datastores of type '{EnumNames<DatastoreType>.ToName(type.Value)}' are not supported yet; use azure_blob (Azure Blob Storage or Azurite) or local");
        }

        var spec = new DatastoreSpec
        {
            Name = Fields.Name(m, ResourceNames.Datastore),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Type = type ?? DatastoreType.Local,
        };

        if (type == DatastoreType.Local)
        {
            var path = m.RequiredString("path", "the folder on the server's machine that holds the data");
            if (path is not null && m.Context.BaseDirectory is not null && !Path.IsPathRooted(path))
            {
                path = Path.GetFullPath(Path.Combine(m.Context.BaseDirectory, path));
            }
            else if (path is not null && !Path.IsPathRooted(path))
            {
                m.Error("path", "must be an absolute path on the server's machine");
            }

            spec = spec with { Path = path };
            foreach (var blobKey in new[] { "account_name", "container_name", "endpoint", "protocol", "credentials" })
            {
                m.Forbid(blobKey, "applies to azure_blob datastores only");
            }
        }
        else if (type == DatastoreType.AzureBlob)
        {
            m.Forbid("path", "applies to local datastores only; an azure_blob datastore is a container, and data paths inside it go in references (azureml://datastores/<name>/paths/<path>)");
            var protocol = m.String("protocol");
            if (protocol is not null and not ("https" or "http"))
            {
                m.Error("protocol", $"'{protocol}' is not supported; expected https (or http for a local emulator)");
            }

            var account = m.RequiredString("account_name");
            if (account is { Length: > 0 } && ResourceNames.StorageAccount(account) is { } accountProblem)
            {
                m.Error("account_name", accountProblem);
            }

            var container = m.RequiredString("container_name");
            if (container is { Length: > 0 } && ResourceNames.BlobContainer(container) is { } containerProblem)
            {
                m.Error("container_name", containerProblem);
            }

            var endpoint = m.String("endpoint");
            if (endpoint is not null)
            {
                CheckEndpoint(m, endpoint, account, protocol);
            }

            spec = spec with
            {
                AccountName = account,
                ContainerName = container,
                Endpoint = endpoint,
                Protocol = protocol,
                Credentials = ReadCredentials(m),
            };
        }

        Fields.Tolerate(m, "identity-based data access is decided by the datastore's credentials in Sluice; ignored", "service_data_access_auth_identity");
        m.Complete();
        return spec;
    }

    /// <summary>An endpoint is a DNS suffix (core.windows.net) or the blob service's URL (http://127.0.0.1:10000/devstoreaccount1).</summary>
    private static void CheckEndpoint(MappingReader m, string endpoint, string? account, string? protocol)
    {
        const string Forms = "expected a storage DNS suffix such as core.windows.net, or the blob service's URL such as https://<account>.blob.core.windows.net or http://127.0.0.1:10000/devstoreaccount1 (Azurite)";
        if (!DatastoreSpec.IsEndpointUrl(endpoint))
        {
            if (!SuffixPattern().IsMatch(endpoint))
            {
                m.Error("endpoint", $"'{endpoint}' is not a DNS suffix; {Forms}");
            }

            return;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            m.Error("endpoint", $"'{endpoint}' is not an http or https URL; {Forms}");
            return;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            // Never echo the value: a query here is most likely a SAS token.
            m.Error("endpoint", "the URL must not carry a query, a fragment or user information; put a SAS token in credentials.sas_token");
            return;
        }

        if (protocol is not null && protocol != uri.Scheme)
        {
            m.Error("protocol", $"'{protocol}' contradicts the endpoint URL's scheme '{uri.Scheme}'; omit protocol when endpoint is a URL");
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 1)
        {
            m.Error("endpoint", $"'{endpoint}' has a path beyond the account; the endpoint is the blob service's URL, and the container goes in container_name");
        }
        else if (segments.Length == 1 && account is { Length: > 0 } && segments[0] != account)
        {
            m.Error("endpoint", $"the URL's path names account '{segments[0]}' but account_name is '{account}'; they must be the same account");
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9\-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]*[a-z0-9])?)+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SuffixPattern();

    private static DatastoreCredentials? ReadCredentials(MappingReader m)
    {
        var credentials = m.Mapping("credentials");
        if (credentials is null)
        {
            return null;
        }

        var result = new DatastoreCredentials
        {
            AccountKey = credentials.String("account_key"),
            SasToken = credentials.String("sas_token"),
        };
        if (result.AccountKey is not null && result.SasToken is not null)
        {
            credentials.Error("sas_token", "give either account_key or sas_token, not both");
        }
        else if (result.AccountKey is null && result.SasToken is null)
        {
            m.Error("credentials", "expected account_key or sas_token; omit credentials for public or identity-based access");
        }

        credentials.Complete();
        return result;
    }
}
