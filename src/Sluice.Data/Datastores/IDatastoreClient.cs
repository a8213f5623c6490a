namespace Sluice.Data.Datastores;

/// <summary>A file or folder in a datastore. Paths use '/' and are relative to the datastore's root.</summary>
public sealed record DatastoreItem(string Path, bool IsFolder, long Length, DateTimeOffset LastModified);

/// <summary>
/// Access to one datastore's content. Writes are atomic: a reader sees a whole file or none, which is what lets a
/// job's committed output be trusted.
/// </summary>
public interface IDatastoreClient
{
    /// <summary>The item at a path, or null when nothing is there.</summary>
    Task<DatastoreItem?> GetItemAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The files under a folder, in ordinal path order; recursive or its top level only.</summary>
    IAsyncEnumerable<DatastoreItem> ListFilesAsync(string folder, bool recursive, CancellationToken cancellationToken = default);

    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Writes a file atomically. Fails with <see cref="IOException"/> when it exists and <paramref name="overwrite"/> is false.</summary>
    Task WriteAsync(string path, Stream content, bool overwrite, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts writing a file that appears only when committed: until <see cref="IDatastoreUpload.CommitAsync"/> nobody
    /// sees it, and disposing without committing leaves nothing behind.
    /// </summary>
    Task<IDatastoreUpload> BeginWriteAsync(string path, bool overwrite, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The path on this machine's file system when the store is local (workers then read in place), else null.</summary>
    string? TryGetLocalPath(string path);
}

/// <summary>A file being written: write to <see cref="Content"/>, then commit to publish it whole.</summary>
public interface IDatastoreUpload : IAsyncDisposable
{
    Stream Content { get; }

    /// <summary>Publishes the file atomically. Fails with <see cref="IOException"/> when it exists and overwriting was not allowed.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}
