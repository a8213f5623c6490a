using System.Runtime.CompilerServices;

namespace Sluice.Data.Datastores;

/// <summary>A datastore that is a folder on this machine.</summary>
public sealed class LocalDatastoreClient(string root) : IDatastoreClient
{
    private readonly string _root = Path.GetFullPath(root);

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

    public async IAsyncEnumerable<DatastoreItem> ListFilesAsync(string folder, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var relative = DatastorePaths.Normalize(folder);
        var full = Resolve(relative);
        if (!Directory.Exists(full))
        {
            yield break;
        }

        // Enumerate lazily and sort per folder, so a folder of a million files is never one giant list in memory
        // beyond the names of that folder itself.
        var pending = new Stack<(string Full, string Relative)>();
        pending.Push((full, relative));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (dir, rel) = pending.Pop();
            var files = Directory.EnumerateFiles(dir).Select(Path.GetFileName).Where(IsVisible).Order(StringComparer.Ordinal).ToList();
            foreach (var name in files)
            {
                var childRelative = rel.Length == 0 ? name! : $"{rel}/{name}";
                yield return ToItem(childRelative, new FileInfo(Path.Combine(dir, name!)));
            }

            if (!recursive)
            {
                continue;
            }

            var dirs = Directory.EnumerateDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            for (var i = dirs.Count - 1; i >= 0; i--)
            {
                pending.Push((Path.Combine(dir, dirs[i]!), rel.Length == 0 ? dirs[i]! : $"{rel}/{dirs[i]}"));
            }

            await Task.CompletedTask;
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
