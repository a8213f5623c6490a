using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Sluice.Core.Specs;
using Sluice.Data.Datastores;

[assembly: AssemblyFixture(typeof(Sluice.IntegrationTests.Infrastructure.AzuriteServer))]

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// One Azurite blob service for the whole test run, started on first use by <c>scripts/azurite.sh start</c> in a
/// temporary folder (the script installs Azurite, and Node.js when the machine lacks it, so no test skips for want of
/// it) and stopped when the run ends. Tests share the service, never a container: each asks for fresh ones.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The development account's key: public, the same in every Azurite.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"sluice-azurite-{Guid.NewGuid():N}");
    private readonly Lazy<Task<string>> _started;

    public AzuriteServer()
    {
        // Started once, on behalf of every test: one test's cancellation must not fail the start for the others.
        _started = new Lazy<Task<string>>(() => Task.Run(() => StartAsync(CancellationToken.None)));
    }

    /// <summary>The blob service's URL, <c>http://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public Task<string> EndpointAsync(CancellationToken cancellationToken = default) => _started.Value.WaitAsync(cancellationToken);

    /// <summary>Creates an empty container of the test's own (its name starts with <paramref name="purpose"/>).</summary>
    public async Task<TestContainer> CreateContainerAsync(string purpose, CancellationToken cancellationToken = default)
    {
        var endpoint = await EndpointAsync(cancellationToken);
        var service = new BlobServiceClient(new Uri(endpoint), new StorageSharedKeyCredential(AccountName, AccountKey));
        var name = $"{purpose}-{Guid.NewGuid():N}"[..Math.Min(63, purpose.Length + 33)];
        var container = service.GetBlobContainerClient(name);
        await container.CreateAsync(cancellationToken: cancellationToken);
        return new TestContainer(endpoint, container);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started.IsValueCreated)
        {
            try
            {
                await _started.Value;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                // The start failed and the tests that needed it said so; stop whatever may have started anyway.
            }

            if (Directory.Exists(_directory))
            {
                await RepositoryScripts.RunAsync("azurite.sh", ["stop", _directory], throwOnFailure: false, CancellationToken.None);
            }
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never started.
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }

    private async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        // The script's watcher stops Azurite should this process end without disposing the fixture.
        string[] arguments = ["start", _directory, "--owner", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var output = await RepositoryScripts.RunAsync("azurite.sh", arguments, throwOnFailure: true, cancellationToken);
        var url = RepositoryScripts.LastLine(output);
        if (url is null || !url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"scripts/azurite.sh start printed no http://127.0.0.1 endpoint as its last line; it printed:\n{output}");
        }

        return url;
    }
}

/// <summary>A container of one test's own on the shared <see cref="AzuriteServer"/>, with ways to open it as a datastore.</summary>
public sealed class TestContainer(string endpoint, BlobContainerClient client)
{
    public string Endpoint { get; } = endpoint;

    public string Name => Client.Name;

    /// <summary>The container through the SDK with the account key: for arranging and checking blobs behind Sluice's back.</summary>
    public BlobContainerClient Client { get; } = client;

    /// <summary>A SAS token for the container (read, list, write, create, delete unless <paramref name="permissions"/> says otherwise).</summary>
    public string SasToken(BlobContainerSasPermissions permissions = BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Delete, TimeSpan? lifetime = null)
    {
        var builder = new BlobSasBuilder
        {
            BlobContainerName = Name,
            Resource = "c",
            StartsOn = DateTimeOffset.UtcNow.AddMinutes(-5),
            ExpiresOn = DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromHours(1)),
        };
        builder.SetPermissions(permissions);
        return builder.ToSasQueryParameters(new StorageSharedKeyCredential(AzuriteServer.AccountName, AzuriteServer.AccountKey)).ToString();
    }

    /// <summary>How a datastore named <paramref name="datastore"/> on this container is opened, with the given secret.</summary>
    public DatastoreAccess Access(string datastore, DatastoreCredentialKind kind = DatastoreCredentialKind.AccountKey, string? secret = null) =>
        DatastoreAccess.From(Spec(datastore, kind, secret));

    public DatastoreSpec Spec(string datastore, DatastoreCredentialKind kind = DatastoreCredentialKind.AccountKey, string? secret = null) => new()
    {
        Name = datastore,
        Type = DatastoreType.AzureBlob,
        AccountName = AzuriteServer.AccountName,
        ContainerName = Name,
        Endpoint = Endpoint,
        Credentials = kind switch
        {
            DatastoreCredentialKind.AccountKey => new DatastoreCredentials { AccountKey = secret ?? AzuriteServer.AccountKey },
            DatastoreCredentialKind.SasToken => new DatastoreCredentials { SasToken = secret ?? SasToken() },
            _ => null,
        },
    };

    /// <summary>The datastore's YAML, as a user writes it for <c>sluice datastore create -f</c>: with the account key, or a SAS token when given.</summary>
    public string Yaml(string datastore, string? sasToken = null) => $"""
        name: {datastore}
        type: azure_blob
        account_name: {AzuriteServer.AccountName}
        container_name: {Name}
        endpoint: {Endpoint}
        credentials:
          {(sasToken is null ? $"account_key: {AzuriteServer.AccountKey}" : $"sas_token: \"{sasToken}\"")}
        """;

    /// <summary>Uploads a small blob with the SDK.</summary>
    public async Task PutAsync(string name, string content, CancellationToken cancellationToken = default) =>
        await Client.GetBlobClient(name).UploadAsync(BinaryData.FromString(content), overwrite: true, cancellationToken);
}
