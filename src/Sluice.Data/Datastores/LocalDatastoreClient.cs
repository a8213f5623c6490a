using System.IO.Enumeration;

namespace Sluice.Data.Datastores;

/// <summary>A datastore that is a folder on this machine.</summary>
public sealed class LocalDatastoreClient(string root, ListingSortOptions? listing = null) : IDatastoreClient
{
    /// <summary>Every entry, hidden ones too, and errors surface (as Directory.EnumerateFiles does).</summary>
    private static readonly EnumerationOptions Listing = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    private readonly string _root = Path.GetFullPath(root);
    private readonly OrdinalListingSort _sort = new(listing ?? new ListingSortOptions());

    /// <summary>The most listed files this client has held in memory at once, while putting a listing in order.</summary>
    public long ListingPeakInMemory => _sort.PeakInMemory;

    public string Root => _root;

    public Task<DatastoreItem?> GetItemAsync(string path, CancellationToken cancellationToken = default)
    {
        var relative = DatastorePaths.Normalize(path);
        var full = Resolve(relative);
        DatastoreItem? item = File.Exists(full)
            ? ToItem(relative, new FileInfo(full))
            : Directory.Exists(full) ? new DatastoreItem(relative, true, 0, Directory.GetLastWriteTimeUtc(full)) : null;
        return Task.FromResult(item);
    }

    /// <summary>
    /// The files under a folder in ordinal order of their full path (a file <c>a0</c> after the folder <c>a</c>'s
    /// <c>a/x</c>), as blob storage lists. The folder is read as it comes and put in order by an
    /// <see cref="OrdinalListingSort"/>: a folder of a million files is never a million objects in memory.
    /// </summary>
    public IAsyncEnumerable<DatastoreItem> ListFilesAsync(string folder, bool recursive, CancellationToken cancellationToken = default)
    {
        var relative = DatastorePaths.Normalize(folder);
        var full = Resolve(relative);
        return Directory.Exists(full)
            ? _sort.SortAsync(Walk(full, relative, recursive, cancellationToken), cancellationToken)
            : AsyncEnumerable.Empty<DatastoreItem>();
    }

    /// <summary>The files under a folder in the file system's own order, one folder at a time.</summary>
    private static IEnumerable<DatastoreItem> Walk(string full, string relative, bool recursive, CancellationToken cancellationToken)
    {
        var pending = new Stack<(string Full, string Relative)>();
        pending.Push((full, relative));
        while (pending.TryPop(out var folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = new FileSystemEnumerable<DatastoreItem?>(
                folder.Full,
                (ref FileSystemEntry entry) =>
                {
                    var name = entry.FileName.ToString();
                    var path = folder.Relative.Length == 0 ? name : $"{folder.Relative}/{name}";
                    if (entry.IsDirectory)
                    {
                        if (recursive)
                        {
                            pending.Push((entry.ToFullPath(), path));
                        }

                        return null;
                    }

                    return IsVisible(name) ? new DatastoreItem(path, false, entry.Length, entry.LastWriteTimeUtc) : null;
                },
                Listing);
            foreach (var item in entries)
            {
                if (item is not null)
                {
                    yield return item;
                }
            }
        }
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Resolve(DatastorePaths.Normalize(path));
        Stream stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult(stream);
    }

    public async Task WriteAsync(string path, Stream content, bool overwrite, CancellationToken cancellationToken = default)
    {
        await using var upload = await BeginWriteAsync(path, overwrite, cancellationToken);
        await content.CopyToAsync(upload.Content, cancellationToken);
        await upload.CommitAsync(cancellationToken);
    }

    public Task<IDatastoreUpload> BeginWriteAsync(string path, bool overwrite, CancellationToken cancellationToken = default)
    {
        var relative = DatastorePaths.Normalize(path);
        if (relative.Length == 0)
        {
            throw new IOException("Cannot write to the datastore root; name a file.");
        }

        var full = Resolve(relative);
        if (!overwrite && File.Exists(full))
        {
            throw new IOException($"'{relative}' already exists.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return Task.FromResult<IDatastoreUpload>(new LocalUpload(full, relative, overwrite));
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Resolve(DatastorePaths.Normalize(path));
        if (File.Exists(full))
        {
            File.Delete(full);
            return Task.FromResult(true);
        }

        if (Directory.Exists(full) && full != _root)
        {
            Directory.Delete(full, recursive: true);
            return Task.FromResult(true);
        }

        return Task.FromResult(false);
    }

    public string? TryGetLocalPath(string path) => Resolve(DatastorePaths.Normalize(path));

    private string Resolve(string relative) => relative.Length == 0 ? _root : Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static DatastoreItem ToItem(string relative, FileInfo info) => new(relative, false, info.Length, info.LastWriteTimeUtc);

    // Temporary files of in-progress writes are not content.
    private static bool IsVisible(string? name) => name is not null && !(name.StartsWith('.') && name.EndsWith(".partial", StringComparison.Ordinal));

    /// <summary>Writes beside the target and renames on commit: a crash leaves a hidden temporary file, never a half-written target.</summary>
    private sealed class LocalUpload : IDatastoreUpload
    {
        private readonly string _target;
        private readonly string _relative;
        private readonly bool _overwrite;
        private readonly string _temporary;
        private readonly FileStream _stream;
        private bool _committed;

        public LocalUpload(string target, string relative, bool overwrite)
        {
            _target = target;
            _relative = relative;
            _overwrite = overwrite;
            _temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
            _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        }

        public Stream Content => _stream;

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            // The rename publishes the file whole. No fsync: like the store (SQLite WAL, synchronous=NORMAL), committed
            // files survive a process crash; only a power loss can take the last ones, which jobs then score again.
            await _stream.FlushAsync(cancellationToken);
            await _stream.DisposeAsync();
            try
            {
                // Without overwrite the move fails when the target exists, so two writers cannot both publish the same file.
                File.Move(_temporary, _target, _overwrite);
            }
            catch (IOException) when (!_overwrite && File.Exists(_target))
            {
                throw new IOException($"'{_relative}' already exists.");
            }

            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            await _stream.DisposeAsync();
            if (!_committed)
            {
                File.Delete(_temporary);
            }
        }
    }
}
