using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class DatastoreSpecTests
{
    [Fact]
    public void LocalDatastore_WithAbsolutePath_KeepsIt()
    {
        var result = Spec.Read(
            """
            name: local_store
            type: local
            path: /srv/sluice/data
            """);

        var datastore = Spec.Valid<DatastoreSpec>(result);
        Assert.Equal(DocumentKind.Datastore, result.Kind);
        Assert.Equal(DatastoreType.Local, datastore.Type);
        Assert.Equal("/srv/sluice/data", datastore.Path);
        Assert.Null(datastore.AccountName);
        Assert.Null(datastore.Credentials);
    }

    [Fact]
    public void LocalDatastore_WithRelativePath_ResolvesItAgainstTheSpecFolder()
    {
        var baseDirectory = Path.Combine(Path.GetTempPath(), "project");

        var result = Spec.Read("name: local_store\ntype: local\npath: data/in\n", baseDirectory: baseDirectory);

        Assert.Equal(Path.GetFullPath(Path.Combine(baseDirectory, "data/in")), Spec.Valid<DatastoreSpec>(result).Path);
    }

    [Fact]
    public void LocalDatastore_WithRelativePathAndNoSpecFolder_AsksForAnAbsolutePath()
    {
        var result = Spec.Read("name: local_store\ntype: local\npath: data/in\n");

        Spec.SingleError(result, "spec.yml:3:7: path: must be an absolute path on the server's machine");
    }

    [Fact]
    public void LocalDatastore_WithoutPath_ReportsTheMissingKey()
    {
        var result = Spec.Read("name: local_store\ntype: local\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'path'; the folder on the server's machine that holds the data");
    }

    [Fact]
    public void LocalDatastore_WithBlobKeys_RejectsEachOfThem()
    {
        var result = Spec.Read(
            """
            name: local_store
            type: local
            path: /srv/data
            account_name: acct
            container_name: data
            """);

        Spec.Errors(
            result,
            "spec.yml:4:1: account_name: applies to azure_blob datastores only",
            "spec.yml:5:1: container_name: applies to azure_blob datastores only");
    }

    [Fact]
    public void BlobDatastore_WithAccountAndContainerOnly_IsValidWithoutCredentials()
    {
        var datastore = Spec.Valid<DatastoreSpec>("name: blob_store\ntype: azure_blob\naccount_name: acct\ncontainer_name: data\n");

        Assert.Equal(DatastoreType.AzureBlob, datastore.Type);
        Assert.Equal(("acct", "data"), (datastore.AccountName, datastore.ContainerName));
        Assert.Null(datastore.Endpoint);
        Assert.Null(datastore.Protocol);
        Assert.Null(datastore.Credentials);
        Assert.Null(datastore.Path);
    }

    [Fact]
    public void BlobDatastore_WithEveryField_ReadsThemAll()
    {
        var datastore = Spec.Valid<DatastoreSpec>(
            """
            name: blob_store
            description: Scoring inputs
            type: azure_blob
            account_name: acct
            container_name: data
            endpoint: core.windows.net
            protocol: https
            credentials:
              account_key: secret-key
            tags:
              env: test
            """);

        Assert.Equal("Scoring inputs", datastore.Description);
        Assert.Equal("core.windows.net", datastore.Endpoint);
        Assert.Equal("https", datastore.Protocol);
        Assert.Equal("secret-key", datastore.Credentials?.AccountKey);
        Assert.Null(datastore.Credentials?.SasToken);
        Assert.Equal("test", datastore.Tags["env"]);
        Assert.Equal("account_key", datastore.Redacted().Credentials?.RedactedType);
        Assert.Null(datastore.Redacted().Credentials?.AccountKey);
    }

    [Fact]
    public void BlobDatastore_WithSeveralProblems_ReportsEveryOne()
    {
        var result = Spec.Read(
            """
            name: blob-store
            type: azure_blob
            account_name: acct
            path: x
            protocol: ftp
            credentials:
              account_key: k
              sas_token: s
            """);

        Spec.Errors(
            result,
            "spec.yml:1:7: name: 'blob-store' is not a valid name: a datastore name has 1 to 255 characters: letters, digits and '_'",
            "spec.yml:4:1: path: applies to local datastores only; an azure_blob datastore is a container, and data paths inside it go in references (azureml://datastores/<name>/paths/<path>)",
            "spec.yml:5:11: protocol: 'ftp' is not supported; expected https (or http for a local emulator)",
            "spec.yml:1:1: missing required key 'container_name'",
            "spec.yml:8:14: credentials.sas_token: give either account_key or sas_token, not both");
    }

    [Fact]
    public void BlobDatastore_WithEmptyCredentials_AsksForAKeyOrToken()
    {
        var result = Spec.Read("name: blob_store\ntype: azure_blob\naccount_name: acct\ncontainer_name: data\ncredentials: {}\n");

        Spec.SingleError(result, "spec.yml:5:14: credentials: expected account_key or sas_token; omit credentials for public or identity-based access");
    }

    [Theory]
    [InlineData(null, null, "https://acct.blob.core.windows.net/")]
    [InlineData("core.chinacloudapi.cn", null, "https://acct.blob.core.chinacloudapi.cn/")]
    [InlineData("core.windows.net", "http", "http://acct.blob.core.windows.net/")]
    [InlineData("http://127.0.0.1:10000/acct", null, "http://127.0.0.1:10000/acct")]
    [InlineData("http://127.0.0.1:10000", null, "http://127.0.0.1:10000/acct")]
    [InlineData("http://localhost:10000/", null, "http://localhost:10000/acct")]
    [InlineData("https://data.example.com", "https", "https://data.example.com/")]
    public void BlobDatastore_Endpoint_GivesTheBlobServiceUrl(string? endpoint, string? protocol, string expected)
    {
        var lines = new List<string> { "name: blob_store", "type: azure_blob", "account_name: acct", "container_name: data" };
        if (endpoint is not null)
        {
            lines.Add($"endpoint: {endpoint}");
        }

        if (protocol is not null)
        {
            lines.Add($"protocol: {protocol}");
        }

        var datastore = Spec.Valid<DatastoreSpec>(string.Join('\n', lines) + "\n");

        Assert.Equal(endpoint, datastore.Endpoint);
        Assert.Equal(expected, datastore.BlobServiceUri().ToString());
    }

    [Fact]
    public void BlobDatastore_WithMalformedEndpointAndNames_ReportsEveryProblem()
    {
        var result = Spec.Read(
            """
            name: blob_store
            type: azure_blob
            account_name: Acct_1
            container_name: Data--In
            endpoint: core windows net
            """);

        Spec.Errors(
            result,
            "spec.yml:3:15: account_name: 'Acct_1' is not a valid name: a storage account name has 3 to 24 characters: lowercase letters and digits only",
            "spec.yml:4:17: container_name: 'Data--In' is not a valid name: a blob container name has 3 to 63 characters: lowercase letters, digits and '-', starting and ending with a letter or digit, without '--'",
            "spec.yml:5:11: endpoint: 'core windows net' is not a DNS suffix; expected a storage DNS suffix such as core.windows.net, or the blob service's URL such as https://<account>.blob.core.windows.net or http://127.0.0.1:10000/devstoreaccount1 (Azurite)");
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/acct", "endpoint: 'ftp://127.0.0.1/acct' is not an http or https URL;")]
    [InlineData("http://127.0.0.1:10000/acct/data", "endpoint: 'http://127.0.0.1:10000/acct/data' has a path beyond the account;")]
    [InlineData("http://127.0.0.1:10000/other", "endpoint: the URL's path names account 'other' but account_name is 'acct'")]
    public void BlobDatastore_WithAnEndpointUrlThatCannotBeTheService_SaysWhy(string endpoint, string message)
    {
        var result = Spec.Read($"name: blob_store\ntype: azure_blob\naccount_name: acct\ncontainer_name: data\nendpoint: {endpoint}\n");

        Assert.False(result.IsValid);
        Assert.Contains(message, Assert.Single(Spec.Messages(result)), StringComparison.Ordinal);
    }

    [Fact]
    public void BlobDatastore_EndpointUrlWithAQuery_IsRefusedWithoutEchoingIt()
    {
        var result = Spec.Read("name: blob_store\ntype: azure_blob\naccount_name: acct\ncontainer_name: data\nendpoint: https://acct.blob.core.windows.net?sv=2024&sig=c2VjcmV0\n");

        Spec.SingleError(result, "spec.yml:5:11: endpoint: the URL must not carry a query, a fragment or user information; put a SAS token in credentials.sas_token");
    }

    [Fact]
    public void BlobDatastore_ProtocolContradictingTheEndpointUrl_IsAnError()
    {
        var result = Spec.Read("name: blob_store\ntype: azure_blob\naccount_name: acct\ncontainer_name: data\nendpoint: http://127.0.0.1:10000/acct\nprotocol: https\n");

        Spec.SingleError(result, "spec.yml:6:11: protocol: 'https' contradicts the endpoint URL's scheme 'http'; omit protocol when endpoint is a URL");
    }

    [Theory]
    [InlineData("azure_file")]
    [InlineData("azure_data_lake_gen1")]
    [InlineData("azure_data_lake_gen2")]
    public void Datastore_OfAnUnsupportedType_SaysItIsNotSupported(string type)
    {
        var result = Spec.Read($"name: store\ntype: {type}\n");

        Spec.SingleError(result, $"spec.yml:2:7: type: datastores of type '{type}' are not supported yet; use azure_blob (Azure Blob Storage or Azurite) or local");
    }

    [Fact]
    public void Datastore_WithoutType_ReportsTheMissingType()
    {
        var result = Spec.Read("name: store\n", DocumentKind.Datastore);

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'type'; one of: local, azure_blob");
    }

    [Fact]
    public void DatastoreSpec_PrintedAsText_NamesTheKindOfCredentialsButNotTheSecret()
    {
        const string key = "cHJpbnRlZC1zZWNyZXQta2V5";
        var spec = new DatastoreSpec { Name = "blob", Type = DatastoreType.AzureBlob, AccountName = "acct", ContainerName = "c", Credentials = new DatastoreCredentials { AccountKey = key } };

        var text = spec.ToString();

        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.Contains("type = account_key, secret redacted", text, StringComparison.Ordinal);
        Assert.Equal(key, spec.Credentials!.AccountKey);
    }
}
