using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;

namespace Sluice.Data.Datastores.Blob;

/// <summary>
/// A datastore that is a container in Azure Blob Storage (or Azurite). Paths are blob names; folders are the '/'
/// separated prefixes of those names, so a folder exists while a blob is in it (blobs whose name ends in '/', which
/// some tools make as folder markers, are not files and are skipped). Reads stream through a bounded buffer; writes
/// stage blocks as their content fills and publish the blob whole on commit. Transient failures are retried by the SDK's retry policy, as
/// <see cref="BlobDatastoreOptions"/> sets it; what remains is reported by <see cref="BlobFailures"/>.
/// </summary>
public sealed class BlobDatastoreClient : IDatastoreClient
{
    private const int ListPageSize = 5000;

    private readonly DatastoreAccess _access;
    private readonly BlobDatastoreOptions _options;
    private readonly BlobContainerClient _container;
    private readonly BlobFailures _failures;

    public BlobDatastoreClient(DatastoreAccess access, BlobDatastoreOptions? options = null)
    {
        if (access.Type != DatastoreType.AzureBlob || access.AccountName is null || access.ContainerName is null || access.BlobEndpoint is null)
        {
            throw new ArgumentException($"{access.Describe()} is not an azure_blob datastore with an account, a container and an endpoint.", nameof(access));
        }

        _access = access;
        _options = options ?? BlobDatastoreOptions.Default;
        _options.Validate();
        _failures = new BlobFailures(access);

        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = _options.MaxRetries;
        clientOptions.Retry.Delay = _options.RetryDelay;
        clientOptions.Retry.MaxDelay = _options.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = _options.NetworkTimeout;

        var endpoint = new Uri(access.BlobEndpoint);
        var service = access.CredentialKind switch
        {
            DatastoreCredentialKind.AccountKey => new BlobServiceClient(endpoint, SharedKey(access), clientOptions),
            DatastoreCredentialKind.SasToken => new BlobServiceClient(endpoint, new AzureSasCredential(RequireSecret(access).TrimStart('?')), clientOptions),
            _ => new BlobServiceClient(endpoint, clientOptions),
        };
        _container = service.GetBlobContainerClient(access.ContainerName);
    }

    public DatastoreAccess Access => _access;

    public async Task<DatastoreItem?> GetItemAsync(string path, CancellationToken cancellationToken = default)
    {
        var relative = DatastorePaths.Normalize(path);
        if (relative.Length == 0)
        {
            var container = await CallAsync(() => _container.GetPropertiesAsync(cancellationToken: cancellationToken), "read", relative);
            return new DatastoreItem(string.Empty, true, 0, container.Value.LastModified);
        }

        try
        {
            var properties = await _container.GetBlobClient(relative).GetPropertiesAsync(cancellationToken: cancellationToken);
            return new DatastoreItem(relative, false, properties.Value.ContentLength, properties.Value.LastModified);
        }
        catch (RequestFailedException failed) when (failed.Status == 404 && failed.ErrorCode != BlobErrorCode.ContainerNotFound.ToString())
        {
            // Not a file: maybe a folder, i.e. the prefix of other blobs' names.
        }
        catch (Exception ex) when (_failures.Map(ex, "read", relative) is { } mapped)
        {
            throw mapped;
        }

        await foreach (var first in ListAsync($"{relative}/", recursive: true, pageSize: 1, cancellationToken))
        {
            return new DatastoreItem(relative, true, 0, first.LastModified);
        }

        return null;
    }

    public IAsyncEnumerable<DatastoreItem> ListFilesAsync(string folder, bool recursive, CancellationToken cancellationToken = default)
    {
        var relative = DatastorePaths.Normalize(folder);
        return ListAsync(relative.Length == 0 ? string.Empty : $"{relative}/", recursive, ListPageSize, cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var relative = RequireFile(path, "read");
        var options = new BlobOpenReadOptions(allowModifications: false) { BufferSize = _options.ReadBufferSize };
        var blob = _container.GetBlobClient(relative);
        var stream = await CallAsync(() => blob.OpenReadAsync(options, cancellationToken), "read", relative);
        return new BlobReadStream(stream, blob, relative, _failures);
    }

    public async Task WriteAsync(string path, Stream content, bool overwrite, CancellationToken cancellationToken = default)
    {
        await using var upload = await BeginWriteAsync(path, overwrite, cancellationToken);
        await content.CopyToAsync(upload.Content, cancellationToken);
        await upload.CommitAsync(cancellationToken);
    }

    public async Task<IDatastoreUpload> BeginWriteAsync(string path, bool overwrite, CancellationToken cancellationToken = default)
    {
        var relative = RequireFile(path, "write");
        var blob = _container.GetBlockBlobClient(relative);
        if (!overwrite && (await CallAsync(() => blob.ExistsAsync(cancellationToken), "write", relative)).Value)
        {
            throw _failures.AlreadyExists(relative);
        }

        return new BlobUpload(blob, relative, overwrite, _options.BlockSize, _failures);
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var relative = DatastorePaths.Normalize(path);
        if (relative.Length == 0)
        {
            return false; // like a local datastore's root folder: never emptied by one call
        }

        var deletedFile = await CallAsync(() => _container.GetBlobClient(relative).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken), "delete", relative);
        if (deletedFile.Value)
        {
            return true;
        }

        var deleted = false;
        await foreach (var item in ListAsync($"{relative}/", recursive: true, ListPageSize, cancellationToken))
        {
            deleted |= (await CallAsync(() => _container.GetBlobClient(item.Path).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken), "delete", item.Path)).Value;
        }

        return deleted;
    }

    public string? TryGetLocalPath(string path) => null;

    /// <summary>
    /// The blobs under a prefix, in the service's order, which is ordinal by name: all of them, or those at the prefix's
    /// top level, listed hierarchically with '/' as delimiter (the service then folds deeper names into sub-prefixes,
    /// which are skipped). Pages are fetched as enumeration goes, so a huge folder is never listed whole in memory.
    /// </summary>
    private async IAsyncEnumerable<DatastoreItem> ListAsync(string prefix, bool recursive, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = recursive
            ? _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).AsPages(pageSizeHint: pageSize).Select(p => (IEnumerable<BlobItem>)p.Values)
            : _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, cancellationToken).AsPages(pageSizeHint: pageSize).Select(p => p.Values.Where(h => h.IsBlob).Select(h => h.Blob));
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            IEnumerable<BlobItem> page;
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    yield break;
                }

                page = enumerator.Current;
            }
            catch (Exception ex) when (_failures.Map(ex, "list", prefix.TrimEnd('/')) is { } mapped)
            {
                throw mapped;
            }

            foreach (var blob in page.Where(b => !b.Name.EndsWith('/')))
            {
                yield return new DatastoreItem(blob.Name, false, blob.Properties.ContentLength ?? 0, blob.Properties.LastModified ?? DateTimeOffset.MinValue);
            }
        }
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call, string operation, string path)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (_failures.Map(ex, operation, path) is { } mapped)
        {
            throw mapped;
        }
    }

    private static string RequireFile(string path, string operation)
    {
        var relative = DatastorePaths.Normalize(path);
        return relative.Length == 0 ? throw new IOException($"Cannot {operation} the datastore root as a file; name a file.") : relative;
    }

    private static StorageSharedKeyCredential SharedKey(DatastoreAccess access)
    {
        try
        {
            return new StorageSharedKeyCredential(access.AccountName, RequireSecret(access));
        }
        catch (FormatException)
        {
            // The key itself is never shown.
            throw new SluiceException(
                $"{access.Describe()}: the account key is not a base64 string, so it cannot be a storage account key.",
                SluiceErrorKind.Invalid,
                "copy key1 or key2 from the storage account's access keys into credentials.account_key");
        }
    }

    private static string RequireSecret(DatastoreAccess access) =>
        access.Secret ?? throw new ArgumentException($"{access.Describe()} says it has a {access.CredentialKind} but carries none.", nameof(access));
}
