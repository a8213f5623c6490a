using Sluice.Core.Naming;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static class DatastoreReader
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

            spec = spec with
            {
                AccountName = m.RequiredString("account_name"),
                ContainerName = m.RequiredString("container_name"),
                Endpoint = m.String("endpoint"),
                Protocol = protocol,
                Credentials = ReadCredentials(m),
            };
        }

        Fields.Tolerate(m, "identity-based data access is decided by the datastore's credentials in Sluice; ignored", "service_data_access_auth_identity");
        m.Complete();
        return spec;
    }

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
